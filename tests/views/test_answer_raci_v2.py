"""The as-is RACI of a framework 2.0 round, one activity per screen (issue #17): the screen shows the
activity, the question, the A and R definitions and every role of the round; a tap autosaves the A and
the letters, Previous and Next save them without JavaScript; refused input comes back with its message
next to the field and as typed; a closed round answers 409, an outsider 404, a viewer 403. The
governance page keeps the context questions and lists the activities; the review reads each activity's
A and letters back. A 1.0 round keeps its one role per activity.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from assessments import answer_flow, raci_catalogue, services
from assessments.models import RaciAnswer, RaciLetter, RoundStatus
from tests.questionnaire import page_url
from tests.views import rounds_v2

pytestmark = pytest.mark.django_db

# The autosave's transaction shows as two savepoints inside the test's own.
SCREEN_MAX, AUTOSAVE_MAX = 15, 16
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english(org):
    """Every member reads the pages in English, so that the words can be read here."""
    User.objects.update(language="en")


@pytest.fixture
def round_v2(org):
    return rounds_v2.open_round_v2(org)


@pytest.fixture
def me(org, round_v2, client_for):
    return rounds_v2.welcomed_client(client_for, org.members_by_role["respondent"], round_v2)


@pytest.fixture
def catalogue(round_v2):
    return raci_catalogue.catalogue_for(round_v2)


def raci_url(round_, key):
    return reverse("assessments:answer_raci", args=[round_.organisation.slug, round_.pk, key])


def participant(org, round_):
    return round_.participants.get(user=org.members_by_role["respondent"])


def field(activity, name):
    return f"raci-{activity}-{name}"


def letters_of(org, round_, activity):
    return dict(
        RaciLetter.objects.filter(participant=participant(org, round_), activity__key=activity).values_list("role", "letter")
    )


def a_of(org, round_, activity):
    return (
        RaciAnswer.objects.filter(participant=participant(org, round_), activity__key=activity)
        .values_list("choice", flat=True)
        .first()
    )


def element(html, element_id):
    """The text of the element with this id, its tags taken out."""
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


def checked(html, input_id):
    found = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', html)
    assert found, input_id
    return " checked" in found.group(0)


# ------------------------------------------------------------------------------------------ the screen


def test_the_screen_shows_the_activity_the_question_the_definitions_and_every_role(me, round_v2, catalogue):
    first, second = catalogue.activities[0], catalogue.activities[1]
    response = me.get(raci_url(round_v2, second.key))
    assert response.status_code == 200
    html = response.content.decode()
    assert element(html, "raci-title") == second.title_en
    assert f"Activity 2 of {len(catalogue.activities)}" in element(html, "raci-where") + html
    # The question asks for the A; its definition and R's are where they are asked.
    assert round_v2.framework.raci_question_en.replace('"', "&quot;") in html
    definitions = answer_flow.raci_definitions(round_v2.framework)
    assert definitions["A"] in element(html, "raci-a-def")
    assert definitions["R"] in html.split('id="raci-rci-def"')[1].split("</ul>")[0]
    for role in catalogue.roles:
        assert f'id="raci-a-{role.key}"' in html  # a choice of the A
        assert element(html, f"raci-{role.key}-name") == role.title_en
        for suffix in ("0", "R", "C", "I"):
            assert f'id="raci-{role.key}-{suffix}"' in html
    assert 'id="raci-a-nobody"' in html and 'id="raci-a-dont_know"' in html
    # Previous leads to the first activity, the page links back to the governance page.
    assert f'href="{page_url(round_v2, "governance")}"' in html
    assert me.post(raci_url(round_v2, second.key), {"go": "previous"}).url == raci_url(round_v2, first.key)


def test_the_first_activity_goes_back_to_the_governance_page_and_the_last_on_to_the_review(me, round_v2, catalogue):
    keys = [a.key for a in catalogue.activities]
    assert me.post(raci_url(round_v2, keys[0]), {"go": "previous"}).url == page_url(round_v2, "governance")
    assert me.post(raci_url(round_v2, keys[-1]), {"go": "next"}).url == page_url(round_v2, "review")
    assert me.post(raci_url(round_v2, keys[0]), {"go": "next"}).url == raci_url(round_v2, keys[1])
    assert me.post(raci_url(round_v2, keys[0]), {"go": "governance"}).url == page_url(round_v2, "governance")


def test_next_saves_the_a_and_the_letters_and_a_new_save_replaces_the_letters(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    sent = {field(key, "a"): "cmo", field(key, "role-cmo"): "R", field(key, "role-cfo"): "C", field(key, "role-ceo"): "I"}
    response = me.post(raci_url(round_v2, key), {**sent, "go": "next"})
    assert response.status_code == 302
    assert a_of(org, round_v2, key) == "cmo"
    assert letters_of(org, round_v2, key) == {"cmo": "R", "cfo": "C", "ceo": "I"}
    # The screen reads them back.
    html = me.get(raci_url(round_v2, key)).content.decode()
    assert checked(html, "raci-a-cmo") and checked(html, "raci-cmo-R") and checked(html, "raci-cfo-C")
    assert checked(html, "raci-ceo-I") and checked(html, "raci-cxo-0") and not checked(html, "raci-a-cfo")
    # A new save replaces the letters of this activity; the A left unsaid stays.
    me.post(raci_url(round_v2, key), {field(key, "role-service"): "R", "go": "next"})
    assert a_of(org, round_v2, key) == "cmo"
    assert letters_of(org, round_v2, key) == {"service": "R"}


def test_nobody_and_dont_know_are_answers(org, me, round_v2, catalogue):
    first, second = catalogue.activities[0].key, catalogue.activities[1].key
    me.post(raci_url(round_v2, first), {field(first, "a"): "nobody", field(first, "role-service"): "R"})
    me.post(raci_url(round_v2, second), {field(second, "a"): "dont_know"})
    assert (a_of(org, round_v2, first), a_of(org, round_v2, second)) == ("nobody", "dont_know")
    assert letters_of(org, round_v2, first) == {"service": "R"}


def test_a_tap_autosaves_the_screen(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    response = me.post(raci_url(round_v2, key), {field(key, "a"): "cxo", field(key, "role-cxo"): "R"}, **HTMX)
    assert response.status_code == 200
    assert "✓" in response.content.decode()
    assert (a_of(org, round_v2, key), letters_of(org, round_v2, key)) == ("cxo", {"cxo": "R"})


# ------------------------------------------------------------------------------------------ refusals


def test_the_accountable_role_may_be_r_but_never_c_or_i(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    sent = {field(key, "a"): "cfo", field(key, "role-cfo"): "C", field(key, "role-cmo"): "R"}
    response = me.post(raci_url(round_v2, key), {**sent, "go": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be consulted (C) or informed (I)" in element(html, "raci-role-cfo-error")
    assert "data-cx-error-summary" in html and 'href="#raci-cfo-C"' in html
    # What was sent comes back as sent, and nothing is saved.
    assert checked(html, "raci-a-cfo") and checked(html, "raci-cfo-C") and checked(html, "raci-cmo-R")
    assert a_of(org, round_v2, key) is None and letters_of(org, round_v2, key) == {}
    # The autosave says so too (422), with the message next to the role.
    response = me.post(raci_url(round_v2, key), sent, **HTMX)
    assert response.status_code == 422
    assert "cannot be consulted (C) or informed (I)" in element(response.content.decode(), "raci-role-cfo-error")
    # R is fine.
    assert me.post(raci_url(round_v2, key), {**sent, field(key, "role-cfo"): "R"}).status_code == 302
    assert letters_of(org, round_v2, key) == {"cfo": "R", "cmo": "R"}


def test_letters_are_checked_against_the_stored_a_when_none_is_sent(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    me.post(raci_url(round_v2, key), {field(key, "a"): "coo"})
    response = me.post(raci_url(round_v2, key), {field(key, "role-coo"): "I"})
    assert response.status_code == 400
    assert "cannot be consulted (C) or informed (I)" in element(response.content.decode(), "raci-role-coo-error")


@pytest.mark.parametrize(
    ("name", "value", "where", "says"),
    [
        ("a", "hacker", "raci-a-error", "Choose one of the options."),
        ("role-cmo", "A", "raci-role-cmo-error", "Choose one of the options."),
        ("role-cmo", "X" * 5000, "raci-role-cmo-error", "Choose one of the options."),
        ("role-hacker", "R", None, "Unknown role: hacker."),
    ],
)
def test_bad_input_is_refused_with_a_message_never_a_500(org, me, round_v2, catalogue, name, value, where, says):
    key = catalogue.activities[0].key
    response = me.post(raci_url(round_v2, key), {field(key, name): value, field(key, "role-cxo"): "R", "go": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert says in (element(html, where) if where else html)
    assert checked(html, "raci-cxo-R")  # the rest of the screen as sent
    assert letters_of(org, round_v2, key) == {}
    assert me.post(raci_url(round_v2, key), {field(key, name): value}, **HTMX).status_code == 422


def test_a_closed_round_refuses_with_409_and_shows_what_was_sent(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    round_v2.status = RoundStatus.CLOSED
    round_v2.save(update_fields=["status"])
    sent = {field(key, "a"): "cmo", field(key, "role-cmo"): "R"}
    response = me.post(raci_url(round_v2, key), {**sent, "go": "next"})
    assert response.status_code == 409
    html = response.content.decode()
    assert checked(html, "raci-a-cmo") and 'type="submit"' not in html.split("data-cx-raci")[1].split("</form>")[0]
    assert me.post(raci_url(round_v2, key), sent, **HTMX).status_code == 409
    assert a_of(org, round_v2, key) is None and letters_of(org, round_v2, key) == {}
    # Read-only: the screen still opens, its choices disabled.
    html = me.get(raci_url(round_v2, key)).content.decode()
    assert re.search(r'<input[^>]*id="raci-a-cmo"[^>]*disabled', html)


def test_outsider_404_viewer_403_unknown_activity_404(org, outsider, round_v2, client_for, catalogue):
    key = catalogue.activities[0].key
    url = raci_url(round_v2, key)
    response = client_for(outsider).get(url)
    assert response.status_code == 404 and b"Acme" not in response.content
    assert client_for(org.members_by_role["viewer"]).get(url).status_code == 403
    assert client_for(org.members_by_role["viewer"]).post(url, {field(key, "a"): "cmo"}).status_code == 403
    me = client_for(org.members_by_role["respondent"])
    assert me.get(raci_url(round_v2, "no_such_activity")).status_code == 404


def test_a_1_0_round_has_no_activity_screen_and_keeps_its_one_role_per_activity(org, open_round, respondent):
    assert respondent.get(raci_url(open_round, "cx_strategy")).status_code == 404
    html = respondent.get(page_url(open_round, "governance")).content.decode()
    assert 'name="raci-cx_strategy"' in html and "answer/raci/" not in html


def test_the_screen_costs_a_bounded_number_of_queries(me, round_v2, catalogue):
    key = catalogue.activities[0].key
    me.get(raci_url(round_v2, key))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert me.get(raci_url(round_v2, key)).status_code == 200
    assert len(queries) <= SCREEN_MAX, [q["sql"] for q in queries]
    sent = {field(key, "a"): "cmo", **{field(key, f"role-{r.key}"): "R" for r in catalogue.roles[:6]}}
    with CaptureQueriesContext(connection) as queries:
        assert me.post(raci_url(round_v2, key), sent, **HTMX).status_code == 200
    assert len(queries) <= AUTOSAVE_MAX, [q["sql"] for q in queries]


# ------------------------------------------------------------------------------- governance and review


def test_the_governance_page_keeps_the_context_and_lists_the_activities(org, me, round_v2, catalogue):
    first, second = catalogue.activities[0], catalogue.activities[1]
    me.post(raci_url(round_v2, first.key), {field(first.key, "a"): "cmo"})
    html = me.get(page_url(round_v2, "governance")).content.decode()
    assert 'name="ctx-' in html  # the context questions stay here
    assert 'name="raci-' not in html  # the RACI is asked on its screens
    for activity in catalogue.activities:
        assert f'href="{raci_url(round_v2, activity.key)}"' in html
    cmo = next(r for r in catalogue.roles if r.key == "cmo")
    assert cmo.title_en in element(html, f"raci-row-{first.key}") + html.split(f'id="raci-row-{first.key}"')[1].split("</li>")[0]
    assert f"1 of {len(catalogue.activities)} activities answered" in html
    # Saving the context goes on to the first activity without an A.
    response = me.post(page_url(round_v2, "governance"), {})
    assert response.status_code == 302 and response.url == raci_url(round_v2, second.key)
    # The one-role autosave of 1.0 is not offered on 2.0: the A is saved with its letters.
    choice_url = reverse("assessments:answer_choice_save", args=[org.slug, round_v2.pk, "raci", first.key])
    assert me.post(choice_url, {f"raci-{first.key}": "cfo"}).status_code == 404
    assert a_of(org, round_v2, first.key) == "cmo"


def test_the_review_lists_each_activity_s_a_and_letters(org, me, round_v2, catalogue):
    key = catalogue.activities[0].key
    sent = {field(key, "a"): "cmo", field(key, "role-cmo"): "R", field(key, "role-service"): "R", field(key, "role-cfo"): "C"}
    me.post(raci_url(round_v2, key), sent)
    html = me.get(reverse("assessments:answer_review", args=[org.slug, round_v2.pk])).content.decode()
    item = html.split(f'id="rv-raci-{key}"')[1].split("</li>")[0]
    titles = {r.key: r.title_en for r in catalogue.roles}
    assert f"A: <strong>{titles['cmo']}</strong>" in item
    assert re.search(rf'data-letter="R">R: {re.escape(titles["cmo"])}, {re.escape(titles["service"])}<', item)
    assert re.search(rf'data-letter="C">C: {re.escape(titles["cfo"])}<', item)
    assert 'data-letter="I"' not in item
    assert f'href="{raci_url(round_v2, key)}?from=review"' in item
    # An activity not answered says so, with its link.
    other = catalogue.activities[1].key
    assert "Not answered" in html.split(f'id="rv-raci-{other}"')[1].split("</li>")[0]


def test_from_the_review_the_screen_goes_back_to_it(me, round_v2, catalogue):
    key = catalogue.activities[3].key
    html = me.get(raci_url(round_v2, key) + "?from=review").content.decode()
    assert 'name="from" value="review"' in html and 'name="go" value="review"' in html
    response = me.post(raci_url(round_v2, key), {"from": "review", "go": "review"})
    assert response.url == page_url(round_v2, "review")


# ------------------------------------------------------------------------------------------ the service


def test_the_service_keeps_the_rule_under_the_round_lock(org, round_v2):
    me = participant(org, round_v2)
    activity = round_v2.framework.raci_activities.order_by("position").first()
    services.raci_letters_save(participant=me, activity=activity, letters={"cmo": "R", "cfo": "I"}, choice="cmo")
    with pytest.raises(services.RaciLetterClashError) as refused:
        services.raci_letters_save(participant=me, activity=activity, letters={"cmo": "C"})
    assert refused.value.roles == ["cmo"]
    with pytest.raises(ValueError, match="R, C or I"):
        services.raci_letters_save(participant=me, activity=activity, letters={"cmo": "A"})
    assert dict(RaciLetter.objects.filter(participant=me).values_list("role", "letter")) == {"cmo": "R", "cfo": "I"}
    round_v2.status = RoundStatus.CLOSED
    round_v2.save(update_fields=["status"])
    with pytest.raises(services.RoundClosedError):
        services.raci_letters_save(participant=me, activity=activity, letters={})
    assert RaciLetter.objects.filter(participant=me).count() == 2
