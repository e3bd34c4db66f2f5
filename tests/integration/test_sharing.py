"""Share links: the public page shows the executive summary and nothing individual; links expire, can be
revoked, refuse tampering and pause while the round is reopened; the PDF is offered only when one is done."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as round_services
from assessments.models import Answer
from cxgov.tokens import make_token
from organisations.services import INVITATION_SALT
from reports.models import Report, ReportStatus
from sharing import services
from sharing.models import ShareLink
from tests.conftest import publish
from tests.views.test_csp import inline_problems

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Confidential: the CFO blocks every CX budget"
PUBLIC_HEADERS = {"X-Robots-Tag": "noindex, nofollow, noarchive", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@pytest.fixture
def published_round(org, open_round, framework):
    """Acme's round answered with spread levels and attributed comments, closed and published."""
    questions = list(framework.questions.all())
    answers = []
    for i, participant in enumerate(open_round.participants.select_related("user")):
        participant.user.full_name = f"Person{i} Secretname{i}"
        participant.user.save()
        for j, q in enumerate(questions):
            level = None if (i + j) % 7 == 0 else 1 + (i + j) % 5
            answers.append(Answer(participant=participant, question=q, level=level, comment=SECRET_COMMENT if j == 0 else ""))
    Answer.objects.bulk_create(answers)
    publish(open_round)
    open_round.refresh_from_db()
    return open_round


@pytest.fixture
def link(org, published_round):
    return services.share_link_create(round_=published_round, user=org.members_by_role["facilitator"], label="Board")


def public_url(link, name="sharing:public"):
    return reverse(name, args=[services.share_token(link)])


def assert_public_headers(response):
    for header, value in PUBLIC_HEADERS.items():
        assert response[header] == value, header


def test_the_shared_page_shows_the_summary_without_login(org, published_round, link):
    response = Client().get(public_url(link))
    assert response.status_code == 200
    assert_public_headers(response)
    page = response.content.decode()
    assert "Acme Retail" in page and "Round 1" in page
    assert "chart-radar" in page and 'name="robots" content="noindex' in page
    overall = published_round.snapshot.data["scores"]["overall"]
    assert f"{overall['score']:.2f}".replace(".", ",") in page
    assert inline_problems(page) == []
    # No members-only resource is linked from it (brand stylesheet, organisation or round pages).
    assert f"/o/{org.slug}/" not in page


def test_the_shared_page_shows_no_individual_answer_name_or_comment(org, published_round, link):
    page = Client().get(public_url(link)).content.decode()
    assert SECRET_COMMENT not in page and "Confidential" not in page
    for participant in published_round.participants.select_related("user"):
        assert participant.user.email not in page
        assert "Secretname" not in page
    # Per-function figures are not there either (they would name functions: the alignment heatmap).
    assert "chart-heatmap" not in page and "chart-distribution" not in page


def test_only_published_rounds_can_be_shared(org, open_round, client_for):
    with pytest.raises(services.ShareError):
        services.share_link_create(round_=open_round, user=None)
    facilitator = client_for(org.members_by_role["facilitator"])
    response = facilitator.post(reverse("sharing:create", args=[org.slug, open_round.pk]), {"label": "x", "days": "30"})
    assert response.status_code == 302 and not ShareLink.objects.exists()
    page = facilitator.get(reverse("sharing:links", args=[org.slug, open_round.pk])).content.decode()
    assert 'action="' + reverse("sharing:create", args=[org.slug, open_round.pk]) not in page


def test_the_management_page_lists_links_with_their_url(org, published_round, link, client_for):
    response = client_for(org.members_by_role["sponsor"]).get(reverse("sharing:links", args=[org.slug, published_round.pk]))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = response.content.decode()
    assert services.share_token(link) in page and "Board" in page
    assert inline_problems(page) == []


def test_creating_through_the_page_sets_the_expiry(org, published_round, client_for):
    client = client_for(org.members_by_role["sponsor"])
    client.post(reverse("sharing:create", args=[org.slug, published_round.pk]), {"label": "Auditors", "days": "7"})
    created = ShareLink.objects.get(label="Auditors")
    assert created.created_by == org.members_by_role["sponsor"]
    assert timedelta(days=6, hours=23) < created.expires_at - timezone.now() <= timedelta(days=7)
    client.post(reverse("sharing:create", args=[org.slug, published_round.pk]), {"label": "Forever", "days": "10000"})
    assert not ShareLink.objects.filter(label="Forever").exists()


def test_an_expired_link_is_gone(link):
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for name in ("sharing:public", "sharing:public_pdf"):
        response = Client().get(public_url(link, name))
        assert response.status_code == 410
        assert_public_headers(response)
    assert "Round 1" not in Client().get(public_url(link)).content.decode()


def test_a_revoked_link_is_gone_and_revoking_twice_changes_nothing(org, published_round, link, client_for):
    url = public_url(link)
    assert Client().get(url).status_code == 200
    client_for(org.members_by_role["facilitator"]).post(reverse("sharing:revoke", args=[org.slug, published_round.pk, link.pk]))
    link.refresh_from_db()
    revoked_at = link.revoked_at
    assert revoked_at is not None
    response = Client().get(url)
    assert response.status_code == 410 and "Acme" not in response.content.decode()
    assert services.share_link_revoke(link=link) is False
    link.refresh_from_db()
    assert link.revoked_at == revoked_at


def test_a_tampered_or_foreign_token_is_404(link):
    token = services.share_token(link)
    assert (
        Client().get(reverse("sharing:public", args=[token[:-2] + ("AA" if not token.endswith("AA") else "BB")])).status_code
        == 404
    )
    assert Client().get(reverse("sharing:public", args=["not-a-token"])).status_code == 404
    # Correctly signed, but with the wrong nonce, for a link that does not exist, or under another salt.
    for forged in (
        make_token(salt=services.SHARE_SALT, object_id=link.pk, nonce="0" * 32),
        make_token(salt=services.SHARE_SALT, object_id=link.pk + 1000, nonce=link.nonce),
        make_token(salt=INVITATION_SALT, object_id=link.pk, nonce=link.nonce),
        signing.dumps({"i": link.pk, "n": link.nonce}, salt="another"),
    ):
        response = Client().get(reverse("sharing:public", args=[forged]))
        assert response.status_code == 404
        assert_public_headers(response)
        assert "Acme" not in response.content.decode()


def test_reopening_pauses_the_link_until_republished(org, published_round, link):
    url = public_url(link)
    round_services.round_transition(round_=published_round, to="open")
    response = Client().get(url)
    assert response.status_code == 404 and "Acme" not in response.content.decode()
    assert Client().get(public_url(link, "sharing:public_pdf")).status_code == 404
    publish(published_round)
    assert Client().get(url).status_code == 200


def make_report(round_, *, language="fr", status=ReportStatus.DONE, content=b"%PDF-1.7 shared"):
    report = Report.objects.create(
        round=round_, language=language, status=status, content_hash=f"h-{language}-{status}", finished_at=timezone.now()
    )
    if status == ReportStatus.DONE:
        report.file.save(f"shared-{round_.pk}-{language}.pdf", ContentFile(content))
    return report


def test_the_pdf_is_offered_only_when_a_done_report_exists(org, published_round, link, framework):
    pdf_url = public_url(link, "sharing:public_pdf")
    # Tokens carry a timestamp, so compare the links' shape, not their exact text.
    assert "/pdf/" not in Client().get(public_url(link)).content.decode()
    assert Client().get(pdf_url).status_code == 404
    make_report(published_round, status=ReportStatus.FAILED)
    make_report(published_round, status=ReportStatus.RUNNING)
    assert Client().get(pdf_url).status_code == 404
    # Another round's report is never served through this link.
    other = round_services.round_create(organisation=org, user=None, framework=framework, title="Round 2")
    make_report(other, content=b"%PDF other round")
    assert Client().get(pdf_url).status_code == 404

    make_report(published_round, language="fr", content=b"%PDF french")
    make_report(published_round, language="en", content=b"%PDF english")
    assert "/pdf/" in Client().get(public_url(link)).content.decode()
    response = Client().get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert_public_headers(response)
    assert b"".join(response.streaming_content) == b"%PDF french"  # the visitor's language (French by default)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert b"".join(english.get(pdf_url).streaming_content) == b"%PDF english"
