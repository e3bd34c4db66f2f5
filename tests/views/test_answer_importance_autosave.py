"""A 2.0 dimension's importance autosaves on its own, like a confidence or a level: saved at once and
read back on reload, refused with a message when it is not one of the choices (never a 5xx), refused
on a closed round, out of reach of anyone who does not answer the round, within the autosave's query
budget. Without JavaScript the page's Next or Save still carries it, and a stale tab's plain submit
does not undo what the autosave stored since.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from assessments.models import DimensionImportance, Round, RoundStatus
from tests.questionnaire import page_url
from tests.views import rounds_v2

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_v2(org):
    return rounds_v2.open_round_v2(org)


@pytest.fixture
def me(org, round_v2, client_for):
    """The respondent's client, past the welcome screen."""
    return rounds_v2.welcomed_client(client_for, org.members_by_role["respondent"], round_v2)


AUTOSAVE_MAX = 7
REFUSAL = "Choose an importance from the list."


@pytest.fixture(autouse=True)
def english(org):
    """Every member reads the pages in English, so that the messages can be read here."""
    User.objects.update(language="en")


def importance_url(round_, key):
    return reverse("assessments:answer_importance", args=[round_.organisation.slug, round_.pk, key])


def q_url(round_, key):
    return reverse("assessments:answer_question", args=[round_.organisation.slug, round_.pk, key])


def stored(round_, key):
    row = DimensionImportance.objects.filter(participant__round=round_, dimension__key=key).first()
    return "absent" if row is None else row.importance


def selected(page, name):
    """The value of the option selected in the select ``name`` ("" when none is marked)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def loaded(page, name):
    return re.search(rf'<input type="hidden" id="{name}-loaded" name="{name}-loaded" value="([^"]*)"', page).group(1)


def test_both_screens_autosave_the_importance_and_carry_it_as_loaded(org, round_v2, me):
    question = me.get(q_url(round_v2, "D1.1")).content.decode()
    assert f'hx-post="{importance_url(round_v2, "D1")}"' in question
    assert 'hx-params="importance-D1"' in question and 'hx-target="#importance-D1-status"' in question
    assert 'id="importance-D1-status" role="status"' in question
    assert loaded(question, "importance-D1") == ""
    dimension = me.get(page_url(round_v2, "D2")).content.decode()
    assert f'hx-post="{importance_url(round_v2, "D2")}"' in dimension
    assert loaded(dimension, "importance-D2") == ""


def test_the_autosave_saves_and_the_screens_read_it_back(org, round_v2, me):
    response = me.post(importance_url(round_v2, "D1"), {"importance-D1": "3"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "✓ Saved" in body
    # The page's "as loaded" value follows, out of band, and the field's message is cleared.
    assert '<input type="hidden" id="importance-D1-loaded" name="importance-D1-loaded" value="3" hx-swap-oob="true">' in body
    assert re.search(r'<div class="invalid-feedback d-block" id="importance-D1-error" hx-swap-oob="true"></div>', body)
    assert stored(round_v2, "D1") == 3
    page = me.get(q_url(round_v2, "D1.1")).content.decode()
    assert selected(page, "importance-D1") == "3" and loaded(page, "importance-D1") == "3"
    page = me.get(page_url(round_v2, "D1")).content.decode()
    assert selected(page, "importance-D1") == "3" and loaded(page, "importance-D1") == "3"
    # Changed, then cleared ("Not said").
    assert me.post(importance_url(round_v2, "D1"), {"importance-D1": "1"}).status_code == 200
    assert stored(round_v2, "D1") == 1
    assert me.post(importance_url(round_v2, "D1"), {"importance-D1": ""}).status_code == 200
    assert stored(round_v2, "D1") is None
    page = me.get(q_url(round_v2, "D1.1")).content.decode()
    assert selected(page, "importance-D1") == "" and loaded(page, "importance-D1") == ""


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "4",
        "7",
        "-1",
        "2.0",
        " 2",
        "deux",
        str(2**31),
        str(2**63),
        str(10**30),
        str(-(10**30)),
        "a\x00b",
        "x" * 100_000,
        "🎯",
    ],
)
def test_a_value_that_is_not_a_choice_is_refused_with_a_message(org, round_v2, me, value):
    assert me.post(importance_url(round_v2, "D1"), {"importance-D1": "2"}).status_code == 200
    response = me.post(importance_url(round_v2, "D1"), {"importance-D1": value})
    assert response.status_code == 422
    body = response.content.decode()
    assert f"{REFUSAL} Not saved." in body
    # Next to the field too, and the "as loaded" value is left as it was.
    assert f'id="importance-D1-error" hx-swap-oob="true">{REFUSAL}</div>' in body
    assert "importance-D1-loaded" not in body
    assert stored(round_v2, "D1") == 2


def test_nothing_sent_or_another_dimension_s_field_is_refused(org, round_v2, me):
    for data in ({}, {"importance-D2": "3"}, {"importance-D1-loaded": "3"}):
        response = me.post(importance_url(round_v2, "D1"), data)
        assert response.status_code == 422 and REFUSAL in response.content.decode()
    assert stored(round_v2, "D1") == "absent" and stored(round_v2, "D2") == "absent"


def test_an_unknown_dimension_or_a_1_0_round_has_no_importance_to_save(org, round_v2, me, open_round, respondent):
    assert me.post(importance_url(round_v2, "D99"), {"importance-D99": "2"}).status_code == 404
    assert me.post(importance_url(round_v2, "D1.1"), {"importance-D1.1": "2"}).status_code == 404
    assert me.get(importance_url(round_v2, "D1")).status_code == 405
    assert respondent.post(importance_url(open_round, "D1"), {"importance-D1": "2"}).status_code == 404
    assert not DimensionImportance.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_a_closed_round_refuses_the_autosave(org, round_v2, me, status):
    assert me.post(importance_url(round_v2, "D1"), {"importance-D1": "2"}).status_code == 200
    Round.objects.filter(pk=round_v2.pk).update(status=status)
    response = me.post(importance_url(round_v2, "D1"), {"importance-D1": "3"})
    assert response.status_code == 409
    assert "This round is closed: this importance was not saved." in response.content.decode()
    assert stored(round_v2, "D1") == 2
    # The screens show the stored value, with neither the autosave nor a way to change it.
    page = me.get(q_url(round_v2, "D1.1")).content.decode()
    assert importance_url(round_v2, "D1") not in page
    assert re.search(r'<select[^>]*name="importance-D1" disabled', page)


def test_only_the_round_s_participants_reach_the_autosave(org, round_v2, me, client_for, outsider):
    address = importance_url(round_v2, "D1")
    data = {"importance-D1": "3"}
    response = client_for(outsider).post(address, data)
    assert response.status_code == 404
    assert b"Round 2.0" not in response.content and b"Acme" not in response.content
    # A viewer never answers: told so, as on every autosave.
    assert client_for(org.members_by_role["viewer"]).post(address, data).status_code == 403
    anonymous = Client().post(address, data)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:login"))
    # A participant withdrawn from the round finds nothing either.
    sponsor = client_for(org.members_by_role["sponsor"])
    round_v2.participants.filter(user=org.members_by_role["sponsor"]).update(withdrawn_at="2026-01-01T00:00:00Z")
    assert sponsor.post(address, data).status_code == 404
    assert stored(round_v2, "D1") == "absent"
    # Each participant's importance is their own.
    assert client_for(org.members_by_role["facilitator"]).post(address, {"importance-D1": "1"}).status_code == 200
    assert me.post(address, data).status_code == 200
    values = DimensionImportance.objects.filter(dimension__key="D1").values_list("participant__user__email", "importance")
    assert sorted(values) == [("facilitator@acme.test", 1), ("respondent@acme.test", 3)]


def test_the_autosave_keeps_the_query_budget(org, round_v2, me):
    for value in ("2", "3"):  # the first writes the row, the second updates it
        with CaptureQueriesContext(connection) as queries:
            assert me.post(importance_url(round_v2, "D1"), {"importance-D1": value}).status_code == 200
        assert len(queries) <= AUTOSAVE_MAX, [q["sql"] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        assert me.post(importance_url(round_v2, "D1"), {"importance-D1": "9"}).status_code == 422
    assert len(queries) <= AUTOSAVE_MAX


def test_without_javascript_next_saves_it_and_a_stale_tab_does_not_undo_the_autosave(org, round_v2, me):
    # No JavaScript: the screen's Next carries the importance, changed from what the page loaded.
    response = me.post(
        q_url(round_v2, "D1.1"), {"q-D1.1-level": "3", "importance-D1": "2", "importance-D1-loaded": "", "go": "next"}
    )
    assert response.status_code == 302 and stored(round_v2, "D1") == 2
    # Another tab autosaves 3; this tab, loaded at 2 and left at 2, goes on: the 3 stays.
    assert me.post(importance_url(round_v2, "D1"), {"importance-D1": "3"}).status_code == 200
    response = me.post(
        q_url(round_v2, "D1.1"), {"q-D1.1-level": "3", "importance-D1": "2", "importance-D1-loaded": "2", "go": "next"}
    )
    assert response.status_code == 302 and stored(round_v2, "D1") == 3
    # Changed on this tab: its choice is saved.
    response = me.post(
        q_url(round_v2, "D1.1"), {"q-D1.1-level": "3", "importance-D1": "1", "importance-D1-loaded": "2", "go": "next"}
    )
    assert response.status_code == 302 and stored(round_v2, "D1") == 1
    # The dimension page alike.
    assert me.post(page_url(round_v2, "D2"), {"importance-D2": "2", "importance-D2-loaded": ""}).status_code == 302
    assert me.post(importance_url(round_v2, "D2"), {"importance-D2": "3"}).status_code == 200
    assert me.post(page_url(round_v2, "D2"), {"importance-D2": "2", "importance-D2-loaded": "2"}).status_code == 302
    assert stored(round_v2, "D2") == 3


def test_a_level_refused_on_the_screen_keeps_the_importance_to_save_later(org, round_v2, me):
    # The screen comes back with an error: the importance typed is shown, but "as loaded" stays the stored one,
    # so the next Next saves it.
    response = me.post(
        q_url(round_v2, "D1.1"), {"q-D1.1-level": "9", "importance-D1": "3", "importance-D1-loaded": "", "go": "next"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert selected(page, "importance-D1") == "3" and loaded(page, "importance-D1") == ""
    assert stored(round_v2, "D1") == "absent"
    response = me.post(
        q_url(round_v2, "D1.1"), {"q-D1.1-level": "3", "importance-D1": "3", "importance-D1-loaded": "", "go": "next"}
    )
    assert response.status_code == 302 and stored(round_v2, "D1") == 3
