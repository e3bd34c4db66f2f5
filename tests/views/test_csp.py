"""The strict Content-Security-Policy holds: the header on every page, no inline script or style anywhere."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style>, style= and on*= attributes."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style= attribute on <{tag}>")
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}>")
        if tag == "script" and "src" not in names:
            self._in_script_without_src = True
        for name, value in attrs:
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_data(self, data):
        if self._in_script_without_src and data.strip():
            self.problems.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_without_src = False


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_finder_catches_inline_code():
    assert inline_problems('<div style="color:red"></div><style>a{}</style><script>x()</script><a onclick="x()">')
    assert not inline_problems('<script src="/static/js/app.js"></script><div class="x"></div>')


def test_no_template_contains_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # Template tags would confuse the HTML parser; they never produce inline code themselves.
        stripped = re.sub(r"{%.*?%}|{{.*?}}", "x", text, flags=re.S)
        offenders += [f"{path.relative_to(TEMPLATES)}: {p}" for p in inline_problems(stripped)]
    assert offenders == []


def page_urls(org):
    return [
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
        reverse("workspace:home"),
        reverse("organisations:create"),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("workspace:detail", args=[org.slug]),
        reverse("organisations:members", args=[org.slug]),
        reverse("organisations:settings", args=[org.slug]),
    ]


def test_every_page_sends_the_strict_policy_and_has_no_inline_code(org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    for url in page_urls(org):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert inline_problems(response.content.decode()) == [], url


def test_htmx_partials_carry_the_policy_and_no_inline_code(org, open_round, client_for):
    """The fragments htmx swaps in are responses too: same header, same rule on inline code."""
    from django.core.management import call_command

    facilitator = client_for(org.members_by_role["facilitator"])
    respondent = client_for(org.members_by_role["respondent"])
    fragments = [
        respondent.post(
            reverse("assessments:answer_save", args=[org.slug, open_round.pk, "D1.1"]),
            {"q-D1.1-level": "3"},
            HTTP_HX_REQUEST="true",
        ),
        respondent.post(
            reverse("assessments:answer_save", args=[org.slug, open_round.pk, "D1.1"]),
            {"q-D1.1-level": "9"},
            HTTP_HX_REQUEST="true",
        ),
        respondent.post(
            reverse("assessments:answer_choice_save", args=[org.slug, open_round.pk, "raci", "cx_strategy"]),
            {"raci-cx_strategy": "ceo"},
            HTTP_HX_REQUEST="true",
        ),
        facilitator.get(reverse("assessments:workshop_live", args=[org.slug, open_round.pk, "D1"]), HTTP_HX_REQUEST="true"),
    ]
    call_command("seed_demo", verbosity=0)
    from assessments.models import Round
    from reports.models import Report

    demo = Round.objects.get(organisation__slug="demo-retail")
    report = Report.objects.create(round=demo, language="fr", content_hash="x", status="running")
    from accounts.models import User

    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    fragments.append(consultant.get(reverse("reports:status", args=["demo-retail", demo.pk, report.pk]), HTTP_HX_REQUEST="true"))
    fragments.append(
        consultant.post(
            reverse("roadmaps:raci", args=["demo-retail", demo.pk]),
            {"cell-cx_budget-ceo": "I", "was-cx_budget-ceo": ""},
            HTTP_HX_REQUEST="true",
        )
    )
    for response in fragments:
        assert response.status_code < 500
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert inline_problems(response.content.decode()) == []
