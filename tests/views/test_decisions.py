"""The decision log page: what it lists and filters, the refusal of a role that is not the A (French and
English), errors next to their field with what was typed, hostile input, the audit line, the health table."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessments import services as round_services
from assessments.models import Answer, Round
from audit.models import AuditEvent
from governance.health import role_health
from governance.models import Decision
from roadmaps import services
from roadmaps.models import RaciCell, Roadmap, RoadmapItem
from tests.views.contents import body_text

pytestmark = pytest.mark.django_db

REFUSAL = "Only the role accountable for this activity (A) may decide: here, %(role)s."


@pytest.fixture
def closed_round(open_round, framework):
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in framework.questions.all()
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    return open_round


def set_raci(round_, cells):
    """Replaces the to-be RACI by ``cells`` ({(activity, role): letter}); owners follow."""
    services.org_roles_ensure(organisation=round_.organisation, framework=round_.framework)
    RaciCell.objects.filter(round=round_).delete()
    RaciCell.objects.bulk_create(RaciCell(round=round_, activity=a, role=r, letter=letter) for (a, r), letter in cells.items())
    services.roadmap_owners_refresh(round_=round_)


RACI = {
    ("cx_budget", "cfo"): "A",
    ("cx_budget", "cxo"): "R",
    ("cx_strategy", "ceo"): "A",
    ("cx_metrics", "cxo"): "A",
    ("close_the_loop", "coo"): "A",
    ("close_the_loop", "cxo"): "A",  # two As
    # voc_programme: no A
}


@pytest.fixture
def round_(closed_round):
    set_raci(closed_round, RACI)
    return closed_round


def client_in(client_for, user, language):
    user.language = language
    user.save(update_fields=["language"])
    return client_for(user)


def log_url(round_):
    return reverse("governance:decisions", args=[round_.organisation.slug, round_.pk])


def record_url(round_):
    return reverse("governance:decision_record", args=[round_.organisation.slug, round_.pk])


def post(client, round_, **overrides):
    data = {
        "title": "Fund the complaints overhaul",
        "decided_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "activity": "cx_budget",
        "deciding_role": "cfo",
        "rationale": "Complaints cost twice what fixing them would.",
    }
    data.update(overrides)
    return client.post(record_url(round_), {k: v for k, v in data.items() if v is not None})


def field_block(html, name):
    """The crispy block of a field: its input and the error shown under it."""
    block = re.search(r'<div id="div_id_' + name + r'".*?(?=<div id="div_id_|</form>)', html, re.S)
    assert block, f"no field {name}"
    return block.group(0)


def test_a_decision_by_the_accountable_role_is_recorded_listed_and_audited(org, round_, client_for):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    item = RoadmapItem.objects.filter(round=round_).order_by("position").first()
    response = post(client, round_, initiative_keys=[item.key])
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#decision-{decision.pk}")
    assert (decision.deciding_role, decision.activity, decision.initiative_keys) == ("cfo", "cx_budget", [item.key])
    assert decision.recorded_by == org.members_by_role["facilitator"] and decision.organisation == org
    page = body_text(client.get(log_url(round_)))
    assert "Fund the complaints overhaul" in page and "Complaints cost twice what fixing them would." in page
    assert "decided by CFO" in page and item.title_en in page
    event = AuditEvent.objects.get(kind="decision")
    assert (event.verb, event.target, event.round_id) == ("created", "Fund the complaints overhaul", round_.pk)


def test_the_same_decision_posted_twice_is_recorded_once(org, round_, client_for):
    client = client_for(org.members_by_role["sponsor"])
    assert post(client, round_).status_code == 302
    assert post(client, round_).status_code == 302
    assert Decision.objects.count() == 1


def test_a_role_that_is_not_the_a_is_refused_in_english(org, round_, client_for):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    response = post(client, round_, deciding_role="cxo", title="CXO decides the budget")
    assert response.status_code == 400
    assert not Decision.objects.exists()
    html = response.content.decode()
    block = field_block(html, "deciding_role")
    assert "Only the role accountable for this activity (A) may decide: here, CFO." in block
    # What was typed comes back, next to the message.
    assert 'value="CXO decides the budget"' in field_block(html, "title")
    assert re.search(r'<option value="cxo" selected>', block)


def test_a_role_that_is_not_the_a_is_refused_in_french(org, round_, client_for):
    """The message is the French catalogue's (merged from the translators' file) and names the role in French."""
    client = client_in(client_for, org.members_by_role["facilitator"], "fr")
    response = post(client, round_, deciding_role="ceo")
    assert response.status_code == 400
    block = field_block(response.content.decode(), "deciding_role")
    with translation.override("fr"):
        expected = gettext(REFUSAL) % {"role": "Direction financière"}
    assert expected.replace("'", "&#x27;") in block
    assert "Direction financière" in block and "CFO" not in block
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("voc_programme", "has no accountable role (A) in the to-be RACI: fix the RACI first"),
        ("close_the_loop", "has several accountable roles (A) in the to-be RACI (CXO, COO): fix the RACI first"),
    ],
)
def test_an_activity_without_a_single_a_asks_to_fix_the_raci(org, round_, client_for, activity, expected):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    response = post(client, round_, activity=activity, deciding_role="coo")
    assert response.status_code == 400
    assert expected in field_block(response.content.decode(), "activity")
    assert not Decision.objects.exists()


def test_every_problem_is_shown_next_to_its_field_at_once(org, round_, client_for):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, round_, title="  ", decided_on=tomorrow, deciding_role="ceo", initiative_keys=["nope"])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the decision a title." in field_block(html, "title")
    assert "its date cannot be in the future" in field_block(html, "decided_on")
    assert f'value="{tomorrow}"' in field_block(html, "decided_on")
    assert "here, CFO" in field_block(html, "deciding_role")
    assert "Choose initiatives of this round&#x27;s roadmap." in field_block(html, "initiative_keys")


def test_an_unreadable_date_is_said_with_the_other_problems(org, round_, client_for):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    response = post(client, round_, decided_on="31/02/2026", deciding_role="cxo")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid date." in field_block(html, "decided_on")
    assert 'value="31/02/2026"' in field_block(html, "decided_on")
    assert "here, CFO" in field_block(html, "deciding_role")


HOSTILE = {
    # case: (posted values, field, message shown next to it)
    "long_title": ({"title": "x" * 100_000}, "title", "holds at most 200 characters"),
    "long_rationale": ({"rationale": "y" * 100_000}, "rationale", "holds at most 4,000 characters"),
    "huge_date": ({"decided_on": str(10**30)}, "decided_on", "Enter a valid date."),
    "int64_date": ({"decided_on": str(2**63)}, "decided_on", "Enter a valid date."),
    "huge_activity": ({"activity": str(10**30)}, "activity", "Choose one of the RACI&#x27;s activities."),
    "long_role": ({"deciding_role": "r" * 100_000}, "deciding_role", "Choose one of the organisation&#x27;s visible roles."),
    "emoji_role": ({"deciding_role": "🎯🚀"}, "deciding_role", "Choose one of the organisation&#x27;s visible roles."),
    "hostile_initiatives": (
        {"initiative_keys": ["x" * 100_000, "🎯", str(2**63)]},
        "initiative_keys",
        "Choose initiatives of this round&#x27;s roadmap.",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_input_is_refused_next_to_its_field(org, round_, client_for, case):
    values, field, message = HOSTILE[case]
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    response = post(client, round_, **values)
    assert response.status_code == 400
    assert message in field_block(response.content.decode(), field)
    assert not Decision.objects.exists()


def test_a_nul_byte_is_dropped(org, round_, client_for):
    response = post(client_for(org.members_by_role["facilitator"]), round_, title="Budget\x00 2027", rationale="a\x00b")
    assert response.status_code == 302
    assert (Decision.objects.get().title, Decision.objects.get().rationale) == ("Budget 2027", "ab")


def test_emoji_and_the_longest_title_are_kept(org, round_, client_for):
    client = client_for(org.members_by_role["facilitator"])
    title = "🎯" * 200
    assert post(client, round_, title=title).status_code == 302
    assert Decision.objects.get().title == title
    assert title in body_text(client.get(log_url(round_)))


def test_log_is_newest_first_and_filters_by_activity_and_role(org, round_, client_for):
    today = timezone.localdate()
    for title, activity, role, days in [
        ("Older budget call", "cx_budget", "cfo", 30),
        ("Newest strategy call", "cx_strategy", "ceo", 1),
        ("Middle metrics call", "cx_metrics", "cxo", 10),
    ]:
        Decision.objects.create(
            organisation=org,
            round=round_,
            title=title,
            decided_on=today - timedelta(days=days),
            activity=activity,
            deciding_role=role,
        )
    client = client_in(client_for, org.members_by_role["viewer"], "en")
    Round.objects.filter(pk=round_.pk).update(status="published")  # the fixture's RACI has errors: no publish check
    page = body_text(client.get(log_url(round_)))
    assert page.index("Newest strategy call") < page.index("Middle metrics call") < page.index("Older budget call")
    by_activity = body_text(client.get(log_url(round_), {"activity": "cx_metrics"}))
    assert "Middle metrics call" in by_activity and "Older budget call" not in by_activity
    by_role = body_text(client.get(log_url(round_), {"role": "cfo"}))
    assert "Older budget call" in by_role and "Newest strategy call" not in by_role
    # An unknown key is ignored, never an error.
    assert "Older budget call" in body_text(client.get(log_url(round_), {"activity": "x" * 5000, "role": "🎯"}))
    # A viewer reads the log but is offered no form.
    assert "Record a decision" not in page


def test_the_form_names_the_accountable_role_of_each_activity(org, round_, client_for):
    html = client_in(client_for, org.members_by_role["sponsor"], "en").get(log_url(round_)).content.decode()
    activity = field_block(html, "activity")
    assert re.search(r'<option value="cx_budget">[^<]*\(A: CFO\)</option>', activity)
    assert re.search(r'<option value="voc_programme">[^<]*\(no A: fix the RACI\)</option>', activity)
    assert re.search(r'<option value="close_the_loop">[^<]*\(several As: fix the RACI\)</option>', activity)


def test_a_round_not_closed_refuses_with_a_message(org, open_round, client_for):
    client = client_in(client_for, org.members_by_role["facilitator"], "en")
    response = post(client, open_round)
    assert response.status_code == 302
    assert not Decision.objects.exists()
    followed = client.get(response.url)
    assert "Decisions are recorded once the round is closed and its RACI drawn up." in body_text(followed)


# --------------------------------------------------------------------------- accountability health


@pytest.fixture
def health_round(round_):
    """A roadmap starting 1 January 2027 with hand-made initiatives, and decisions, around 15 May 2027."""
    Roadmap.objects.filter(round=round_).update(start_date=date(2027, 1, 1))
    RoadmapItem.objects.filter(round=round_).delete()
    for position, (key, activity, start, duration, status, by_hand) in enumerate(
        [
            ("S1", "cx_strategy", 0, 3, "planned", None),  # due March: overdue (CEO)
            ("S2", "cx_strategy", 2, 6, "in_progress", None),  # due July (CEO, in progress)
            ("B1", "cx_budget", 0, 2, "done", None),  # done: never overdue (CFO)
            ("M1", "cx_metrics", 0, 1, "planned", None),  # due January: overdue (CXO)
            ("M2", "cx_metrics", 4, 1, "planned", None),  # due May, this month: not yet (CXO)
            ("L1", "close_the_loop", 0, 1, "planned", None),  # two As: nobody's
            ("H1", "cx_budget", 0, 1, "planned", "coo"),  # owner set by hand: the COO's
        ]
    ):
        RoadmapItem.objects.create(
            round=round_,
            key=key,
            title_en=f"Initiative {key}",
            title_fr=f"Initiative {key}",
            activity=activity,
            start_month=start,
            duration_months=duration,
            status=status,
            owner_role=by_hand,
            owner_overridden=by_hand is not None,
            selected_by="custom",
            custom=True,
            position=position,
        )
    for role, activity, day in [("cfo", "cx_budget", date(2027, 5, 1)), ("cxo", "cx_metrics", date(2027, 1, 10))]:
        Decision.objects.create(
            organisation=round_.organisation, round=round_, title="t", decided_on=day, activity=activity, deciding_role=role
        )
    return round_


def test_health_figures_on_a_fixture(health_round):
    with translation.override("en"):
        rows = {row["role"]: row for row in role_health(round_=health_round, today=date(2027, 5, 15))}
    assert list(rows) == ["ceo", "cxo", "cmo", "cfo", "chro", "coo", "cio", "sales", "service", "product"]

    def figures(role):
        r = rows[role]
        return r["accountable"], r["overdue"], r["in_progress"], r["recent_decisions"], r["idle"]

    assert figures("ceo") == (1, ["Initiative S1"], 1, 0, False)
    assert figures("cxo") == (2, ["Initiative M1"], 0, 0, True)  # the January decision is over 90 days old
    assert figures("cfo") == (1, [], 0, 1, False)
    assert figures("coo") == (1, ["Initiative H1"], 0, 0, True)
    assert figures("cmo") == (0, [], 0, 0, False)


def test_health_table_on_the_page(org, health_round, client_for):
    html = client_in(client_for, org.members_by_role["facilitator"], "en").get(log_url(health_round)).content.decode()
    row = re.search(r'<tr id="health-cxo".*?</tr>', html, re.S).group(0)
    assert "CXO" in row and "idle A" in row
    ceo = re.search(r'<tr id="health-ceo".*?</tr>', html, re.S).group(0)
    assert "idle A" not in ceo


def test_the_page_costs_the_same_queries_for_one_or_many_decisions(org, round_, client_for):
    client = client_for(org.members_by_role["facilitator"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(log_url(round_)).status_code == 200
        return len(queries)

    Decision.objects.create(
        organisation=org, round=round_, title="one", decided_on=date(2026, 1, 1), activity="cx_budget", deciding_role="cfo"
    )
    one = count()
    Decision.objects.bulk_create(
        Decision(
            organisation=org, round=round_, title=f"d{n}", decided_on=date(2026, 1, 1), activity="cx_budget", deciding_role="cfo"
        )
        for n in range(20)
    )
    assert count() == one
