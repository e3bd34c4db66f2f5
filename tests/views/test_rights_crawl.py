"""Individual answers reach only the people PRODUCT.md's rights table allows, by what every response contains.

An organisation with a published attributed round and a published anonymous round is crawled as each of
its roles (facilitator, sponsor, respondent, viewer), in French and in English: every URL the resolver
knows (filled with the organisation's real ids), as a plain request and as an htmx partial, every
download, and the links found in the pages. The organisation and its PDFs are built once for the module;
a page's htmx variant is asked for when the plain request read HX-Request (otherwise both are served the
same), and a link met again with only other words in its query string is not followed twice. Each participant's answers carry a comment and an evidence
link with a marker unique to that person and round, and every person has a distinctive name, e-mail
address and function. A response leaks when it shows:

- a server error;
- in the attributed round, to anyone but the facilitator, another person's marker in a body that also
  names that person (name or e-mail address), or with their function next to it (a per-person list of
  answers always carries the comments, so it is caught too), or JSON answers tied to a participant;
- in the anonymous round, to anyone (facilitators included), the same links between a marker and its
  author.

A participant may always see their own answers.
"""

import contextlib
import json
import re
from collections import deque
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import django.http.request
import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http.request import HttpHeaders
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import translation

from assessments.models import Answer, Function, Participant, RoundStatus
from organisations.models import Role
from tests.conftest import publish
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.views.contents import body_text

pytestmark = pytest.mark.django_db

# key, e-mail, full name, role in the organisation, function in both rounds (None: takes no part).
# Functions are chosen so that their labels ("DAF", "DRH", "DSI", "CXO", "DG") cannot be read into other words.
PEOPLE = [
    ("fac", "aurele.fontvieille@quartz.test", "Aurèle Fontvieille", Role.FACILITATOR, "cxo"),
    ("spo", "berengere.quillot@quartz.test", "Bérengère Quillot", Role.SPONSOR, "ceo"),
    ("res", "casimir.ombredane@quartz.test", "Casimir Ombredane", Role.RESPONDENT, "cfo"),
    ("zep", "zephyrine.vauclair@quartz.test", "Zéphyrine Vauclair", Role.RESPONDENT, "chro"),
    ("dieu", "dieudonne.harcourt@quartz.test", "Dieudonné Harcourt", Role.RESPONDENT, "cio"),
    ("viw", "ysolde.marchetti@quartz.test", "Ysolde Marchetti", Role.VIEWER, None),
]
CRAWLERS = {"facilitator": "fac", "sponsor": "spo", "respondent": "res", "viewer": "viw"}
ROUND_TAGS = {"attributed": "att", "anonymous": "ano"}
MARKED_DIMENSIONS = ("D1", "D3")
WINDOW = 250  # characters either side of a marker in which a function label attributes it


def marker(round_tag: str, person: str) -> str:
    # Closed at both ends, so that no marker is a substring of another.
    return f"zq{round_tag}{person}zq"


def function_labels(function: str) -> list[str]:
    labels = []
    for language in ("fr", "en"):
        with translation.override(language):
            labels.append(str(dict(Function.choices)[function]))
    return labels


# --------------------------------------------------------------------------------- the organisation


def _seed_round(organisation, users, framework, *, anonymous: bool):
    from assessments.services import participant_invite, round_create

    tag = ROUND_TAGS["anonymous" if anonymous else "attributed"]
    round_ = round_create(
        organisation=organisation, user=users["fac"], framework=framework, title=f"Tour {tag} 2027", anonymous=anonymous
    )
    round_.status = RoundStatus.OPEN
    round_.save()
    questions = list(framework.questions.select_related("dimension").order_by("position"))
    rows = []
    for index, (key, email, _name, _role, function) in enumerate(PEOPLE):
        if function is None:
            continue
        participant = participant_invite(round_=round_, email=email, function=function).participant
        for position, question in enumerate(questions):
            # A distinctive spread per person, so alignment and per-function figures are not flat.
            level = None if (position + index) % 11 == 0 else 1 + (position * (index + 2)) % 5
            comment = evidence = ""
            if question.dimension.key in MARKED_DIMENSIONS:
                comment = f"Constat {marker(tag, key)} sur {question.key}"
                evidence = f"https://preuves.example/{marker(tag, key)}/{question.key}"
            rows.append(Answer(participant=participant, question=question, level=level, comment=comment, evidence_url=evidence))
    Answer.objects.bulk_create(rows)
    if not anonymous:
        # A question the respondent forwarded to a colleague: its page (/d/<token>/) is crawled too.
        from assessments.services import delegation_create, delegation_token

        respondent = Participant.objects.get(round=round_, user=users["res"])
        delegation = delegation_create(
            participant=respondent, question=questions[0], delegate_name="Collègue", delegate_email="collegue@ailleurs.test"
        )
        round_.delegation_token = delegation_token(delegation)
    publish(round_)
    token = getattr(round_, "delegation_token", None)
    round_.refresh_from_db()
    round_.delegation_token = token
    assert round_.status == RoundStatus.PUBLISHED
    return round_


def _render_reports(round_, users):
    """A real PDF per language (rendered inline: on_commit never fires inside a test transaction)."""
    from reports.builders import build_report_data
    from reports.models import Report
    from reports.services import content_hash, report_render

    reports = []
    for language in ("fr", "en"):
        report = Report.objects.create(
            round=round_,
            language=language,
            content_hash=content_hash(build_report_data(round_, language)),
            requested_by=users["fac"],
        )
        report_render(report.pk)
        report.refresh_from_db()
        assert report.status == "done", report.error if hasattr(report, "error") else report.status
        reports.append(report)
    return reports


@pytest.fixture(scope="module")
def quartz(django_db_setup, django_db_blocker):
    """The organisation, built (and its four PDFs rendered) once for the module.

    It lives in a transaction left open for the module: each test's own transaction is a savepoint
    inside it, so what a crawl changes is undone before the next test, and the whole organisation is
    rolled back at the end, leaving nothing behind for other modules.
    """
    from django.db import transaction

    from assessments.models import Framework

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = _build_quartz(Framework.objects.get(key="cx-governance", version="1.0"))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _build_quartz(framework):
    from assessments.services import participant_new_link
    from cxgov.tokens import new_nonce
    from measurement.domain.metrics import parse_period
    from measurement.models import Measurement
    from measurement.services import MeasurementInput, measurement_save
    from organisations.models import Firm, Invitation
    from roadmaps.models import OrgRole, RoadmapItem
    from sharing.services import share_link_create, share_token
    from workspace.models import EngagementTemplate

    organisation = OrganisationFactory(name="Quartz Industrie", slug="quartz")
    users = {}
    for key, email, name, role, _function in PEOPLE:
        users[key] = MembershipFactory(organisation=organisation, role=role, user=UserFactory(email=email, full_name=name)).user
    firm = Firm.objects.create(name="Cabinet Quartz")
    firm.members.add(users["fac"])
    rounds = {name: _seed_round(organisation, users, framework, anonymous=(name == "anonymous")) for name in ROUND_TAGS}
    for round_ in rounds.values():
        _render_reports(round_, users)
    link = share_link_create(round_=rounds["attributed"], user=users["fac"], label="Comité")
    anon_link = share_link_create(round_=rounds["anonymous"], user=users["fac"], label="Comité")
    measurement_save(
        organisation=organisation,
        user=None,
        data=MeasurementInput(metric="nps", period=parse_period("2027-Q1"), value=Decimal("12"), n=200),
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="nouveau@quartz.test",
        role="viewer",
        nonce=new_nonce(),
        expires_at="2099-01-01T00:00:00Z",
    )
    template = EngagementTemplate.objects.create(firm=firm, name="Modèle Quartz", framework=framework)
    respondent = Participant.objects.get(round=rounds["attributed"], user=users["res"])
    return {
        "organisation": organisation,
        "users": users,
        "rounds": rounds,
        "links": [link, anon_link],
        "tokens": [
            share_token(link),
            share_token(anon_link),
            participant_new_link(respondent),
            rounds["attributed"].delegation_token,
        ],
        "measurement": Measurement.objects.filter(organisation=organisation).first(),
        "invitation": invitation,
        "firm": firm,
        "template": template,
        "role": OrgRole.objects.filter(organisation=organisation).first(),
        "items": {name: RoadmapItem.objects.filter(round=r).first() for name, r in rounds.items()},
    }


# ------------------------------------------------------------------------------------ the URLs


def all_routes() -> list[str]:
    routes = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            else:
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return [r for r in routes if not r.startswith("admin/")]


def parameter_values(world, round_name: str, user) -> dict[str, list]:
    """Every value worth trying for each URL parameter, for one round; a parameter missing here fails the test."""
    from reports.models import Report

    organisation = world["organisation"]
    round_ = world["rounds"][round_name]
    participants = list(Participant.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True))
    item = world["items"][round_name]
    return {
        "slug": [organisation.slug],
        "round_id": [round_.pk],
        "participant_id": participants,
        "report_id": list(Report.objects.filter(round=round_).values_list("pk", flat=True)),
        "item_id": [item.pk] if item else [],
        "measurement_id": [world["measurement"].pk],
        "membership_id": list(organisation.memberships.filter(user=user).values_list("pk", flat=True)) if user else [],
        "invitation_id": [world["invitation"].pk],
        "role_id": [world["role"].pk] if world["role"] else [],
        "link_id": [link.pk for link in world["links"] if link.round_id == round_.pk],
        "firm_id": [world["firm"].pk],
        "template_id": [world["template"].pk],
        "key": list(MARKED_DIMENSIONS),
        "question_key": ["D1.1"],
        "kind": ["raci"],
        "page": [*MARKED_DIMENSIONS, "governance", "review"],
        "fmt": ["csv", "xlsx"],
        "metric": ["nps"],
        "token": world["tokens"],
        "uidb64": ["MQ"],
    }


def expand(route: str, values: dict[str, list]) -> list[str]:
    """Every URL of a route over the candidate values of its parameters."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    urls = ["/" + route]
    for name in dict.fromkeys(names):
        if name not in values:
            raise AssertionError(f"teach the rights crawler the URL parameter <{name}> (route {route})")
        urls = [re.sub(rf"<(?:\w+:)?{name}>", str(v), url) for url in urls for v in values[name]]
    return urls


# ------------------------------------------------------------------------------------ the detector


def leaks_in(text: str, content_type: str, *, crawler: str, facilitator: bool) -> list[str]:
    """How the text ties another person's answers to them, when the crawler may not see that."""
    found = []
    for round_name, tag in ROUND_TAGS.items():
        if facilitator and round_name == "attributed":
            continue  # the facilitator sees individual answers in attributed rounds
        for key, email, name, _role, function in PEOPLE:
            if function is None or key == crawler:
                continue  # a person may see their own answers
            mark = marker(tag, key)
            positions = [m.start() for m in re.finditer(re.escape(mark), text)]
            if not positions:
                continue
            for identity in (name, email):
                if identity in text:
                    found.append(f"{round_name}: {key}'s answers together with {identity!r}")
            for label in function_labels(function):
                pattern = re.compile(rf"(?<!\w){re.escape(label)}(?!\w)")
                for start in positions:
                    window = text[max(0, start - WINDOW) : start + len(mark) + WINDOW]
                    if pattern.search(window):
                        found.append(f"{round_name}: {key}'s answer next to the function {label!r}")
                        break
    if "json" in content_type:
        payload = json.loads(text)
        is_round = isinstance(payload, dict) and payload.get("schema", "").startswith("cxgov.assessment")
        if is_round and (not facilitator or payload["round"]["anonymous"]):
            if any("participant" in a for a in payload["answers"]):
                found.append("JSON answers tied to participants")
            if any("function" in p for p in payload["participants"]):
                found.append("JSON participants with their function")
    return sorted(set(found))


# ------------------------------------------------------------------------------------ the crawl

SKIP_LINK_PREFIXES = ("/accounts/logout", "/static/", "/media/", "/admin/")
HTMX_META = "HTTP_HX_REQUEST"


class _HtmxWatch:
    """Whether the request being served has looked at its HX-Request header, in any way.

    A page that never reads the header answers an htmx request exactly as a plain one, so its htmx
    variant is asked for only when the plain request read the header (or iterated over all headers).
    """

    consulted = False


class _WatchedMeta(dict):
    def __getitem__(self, key):
        if key == HTMX_META:
            _HtmxWatch.consulted = True
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == HTMX_META:
            _HtmxWatch.consulted = True
        return super().get(key, default)

    def __contains__(self, key):
        if key == HTMX_META:
            _HtmxWatch.consulted = True
        return super().__contains__(key)


class _WatchedHeaders(HttpHeaders):
    def __getitem__(self, key):
        if key.lower() == "hx-request":
            _HtmxWatch.consulted = True
        return super().__getitem__(key)

    def __iter__(self):
        _HtmxWatch.consulted = True  # all the headers, HX-Request among them
        return super().__iter__()


class WatchingClient(Client):
    """A test client whose requests report a look at HX-Request (request.META is the environ built here)."""

    def _base_environ(self, **request):
        return _WatchedMeta(super()._base_environ(**request))


@pytest.fixture
def watching_client_for(monkeypatch):
    # request.headers is built by HttpRequest.headers from this module-level name.
    monkeypatch.setattr(django.http.request, "HttpHeaders", _WatchedHeaders)

    def make(user):
        client = WatchingClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


def link_shape(path: str, query: str) -> tuple:
    """A followed link, with the text values of its query string blanked: numbers name objects, words do not.

    Pages link to one form many times with a different prefilled word (/measurement/values/new/?metric=…
    for every metric): the same view on the same object, crawled once per set of query parameters.
    """
    pairs = parse_qsl(query, keep_blank_values=True)
    return path, tuple(sorted((name, value if value.isdigit() else "…") for name, value in pairs))


def crawl(client, *, crawler: str, role: str, world, language: str) -> tuple[list[str], set[str]]:
    """Every route and every followed link, as page and as htmx partial; returns problems and the URLs served 200."""
    user = world["users"].get(crawler)
    problems, served = [], set()
    queue = deque()
    for round_name in ROUND_TAGS:
        values = parameter_values(world, round_name, user)
        for route in all_routes():
            queue.extend(expand(route, values))
    seen, shapes = set(), set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        for htmx in (False, True):
            if htmx and not _HtmxWatch.consulted:
                continue  # the plain request never read HX-Request: the htmx one would be served the same
            headers = {HTMX_META: "true"} if htmx else {}
            label = f"{role} [{language}] GET {url}{' (htmx)' if htmx else ''}"
            _HtmxWatch.consulted = False
            try:
                response = client.get(url, **headers)
            except Exception as error:  # the test client re-raises a view's exception: that is a 500 for the user
                problems.append(f"{label}: raised {error!r}")
                continue
            if response.status_code >= 500:
                problems.append(f"{label}: {response.status_code}")
                continue
            if response.status_code != 200:
                continue
            served.add(url)
            content_type = response.get("Content-Type", "")
            text = body_text(response)
            problems += [
                f"{label}: {leak}" for leak in leaks_in(text, content_type, crawler=crawler, facilitator=role == "facilitator")
            ]
            if not htmx and content_type.startswith("text/html"):
                for href in re.findall(r'(?:href|hx-get)="([^"#]+)', text):
                    parts = urlsplit(href.replace("&amp;", "&"))
                    if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_LINK_PREFIXES):
                        continue
                    if parts.query:
                        shape = link_shape(parts.path, parts.query)
                        if shape in shapes:
                            continue
                        shapes.add(shape)
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems, served


@pytest.mark.timeout(600)  # five roles, two rounds: over a thousand requests, PDFs read as text
@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_individual_answer_reaches_a_role_that_may_not_see_it(quartz, watching_client_for, language):
    problems = []
    served_by_role = {}
    for role, crawler in CRAWLERS.items():
        user = quartz["users"][crawler]
        user.language = language
        user.save(update_fields=["language"])
        found, served = crawl(watching_client_for(user), crawler=crawler, role=role, world=quartz, language=language)
        problems += found
        served_by_role[role] = served
    # Anonymous visitors: the share pages and sign-in links of the world.
    found, served = crawl(watching_client_for(None), crawler="", role="anonymous", world=quartz, language=language)
    problems += found
    assert not problems, "\n".join(problems)
    # The crawl reached what each role may reach: otherwise the absence of leaks proves nothing.
    rounds = quartz["rounds"]
    for role in CRAWLERS:
        served = served_by_role[role]
        for round_ in rounds.values():
            base = f"/o/quartz/rounds/{round_.pk}/"
            assert f"{base}results/dimensions/D1/" in served, (role, round_.title)
            assert f"{base}export/round.json" in served, (role, round_.title)
            assert any(url.startswith(f"{base}reports/") and url.endswith("/download/") for url in served), (role, round_.title)
    assert any(url.startswith("/s/") and url.endswith("/pdf/") for url in served)
    assert f"/o/quartz/rounds/{rounds['attributed'].pk}/export/answers.xlsx" in served_by_role["facilitator"]


def test_the_watch_sees_every_way_a_view_reads_hx_request(quartz, watching_client_for):
    """The htmx variant is skipped only for pages that never read HX-Request: the watch must see those that do.

    No page read it on GET when this was written; these POSTs answer differently to htmx (request.htmx,
    request.headers), and both reads are seen through the whole middleware stack.
    """
    client = watching_client_for(quartz["users"]["fac"])
    round_ = quartz["rounds"]["attributed"]
    for path, data in (
        (f"/o/quartz/rounds/{round_.pk}/workshop/D1/consensus/", {"question": "D1.1", "level": "9"}),  # request.htmx
        (f"/o/quartz/rounds/{round_.pk}/raci/", {}),  # request.headers.get("HX-Request")
    ):
        _HtmxWatch.consulted = False
        response = client.post(path, data)
        assert response.status_code < 500, path
        assert _HtmxWatch.consulted, path
    request = WSGIRequest(WatchingClient()._base_environ(PATH_INFO="/"))
    for read in (
        lambda: request.META.get(HTMX_META),
        lambda: HTMX_META in request.META,
        lambda: request.headers["Hx-Request"],
        lambda: dict(request.headers),
    ):
        _HtmxWatch.consulted = False
        request.__dict__.pop("headers", None)
        with contextlib.suppress(KeyError):
            read()
        assert _HtmxWatch.consulted


def test_the_detector_sees_what_a_facilitator_may_see(quartz, client_for):
    """The markers and attributions are really there for the facilitator: the detector would catch them elsewhere."""
    facilitator = client_for(quartz["users"]["fac"])
    round_ = quartz["rounds"]["attributed"]
    response = facilitator.get(f"/o/quartz/rounds/{round_.pk}/export/answers.xlsx")
    text = body_text(response)
    assert leaks_in(text, response["Content-Type"], crawler="fac", facilitator=False)
    response = facilitator.get(f"/o/quartz/rounds/{round_.pk}/export/round.json")
    assert leaks_in(body_text(response), response["Content-Type"], crawler="fac", facilitator=False)
    page = facilitator.get(f"/o/quartz/rounds/{round_.pk}/results/dimensions/D1/")
    assert leaks_in(page.content.decode(), page["Content-Type"], crawler="fac", facilitator=False)  # comments with their function
    zep = Participant.objects.get(round=round_, user=quartz["users"]["zep"])
    page = facilitator.get(f"/o/quartz/rounds/{round_.pk}/participants/{zep.pk}/answers/")
    assert leaks_in(page.content.decode(), page["Content-Type"], crawler="fac", facilitator=False)


def test_selectors_and_builders_attribute_answers_for_facilitators_only(open_round, framework):
    """comments_by_question and build_export take the viewer's role: attributed for facilitators, else the anonymous shape."""
    from assessments.selectors import comments_by_question
    from reports.exports import build_export

    question = framework.questions.get(key="D1.1")
    # Saved in the reverse order of their text: an unattributed list must not follow who answered when.
    for participant, text in zip(open_round.participants.order_by("pk"), ["zeta", "mu", "alpha"], strict=True):
        Answer.objects.create(participant=participant, question=question, level=3, comment=text)
    functions = list(open_round.participants.order_by("pk").values_list("function", flat=True))
    facilitator = comments_by_question(round_=open_round, role=Role.FACILITATOR)["D1.1"]
    assert [(c["text"], c["function"]) for c in facilitator] == list(zip(["zeta", "mu", "alpha"], functions, strict=True))
    for role in (Role.SPONSOR, Role.RESPONDENT, Role.VIEWER, None):
        shown = comments_by_question(round_=open_round, role=role)["D1.1"]
        assert [(c["text"], c["function"]) for c in shown] == [("alpha", None), ("mu", None), ("zeta", None)], role
        export = build_export(open_round, role=role)
        assert export["answers_attributed"] is False
        assert all("participant" not in a for a in export["answers"]) and all("function" not in p for p in export["participants"])
        assert len(export["answers"]) == 3
    export = build_export(open_round, role=Role.FACILITATOR)
    assert export["answers_attributed"] is True and {a["participant"] for a in export["answers"]} == set(
        open_round.participants.values_list("pk", flat=True)
    )
    open_round.anonymous = True
    open_round.save()
    assert build_export(open_round, role=Role.FACILITATOR)["answers_attributed"] is False
    assert all(c["function"] is None for c in comments_by_question(round_=open_round, role=Role.FACILITATOR)["D1.1"])
