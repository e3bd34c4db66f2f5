"""The questionnaire and RACI forms parse what is posted: bad input is a form error next to its field, never a 500,
and what was sent comes back in the re-displayed page (issue #14, item 7)."""

import re

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.forms_answers import AnswerForm, GovernanceForm
from assessments.models import Answer, Question
from roadmaps import services
from roadmaps.forms import RaciGridForm
from roadmaps.models import RaciCell
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db

LONG = "x" * 100_000
EMOJI = "🎯🚀👩🏽‍💼"
BAD_LEVELS = ("0", "6", "3.5", "abc", "-1", str(2**63), str(10**30), EMOJI, LONG, "a\x00b")


def answer_form(framework, data, key="D1.1"):
    return AnswerForm(data, question=Question.objects.get(framework=framework, key=key))


def my_answer(org, round_, key):
    return Answer.objects.filter(
        participant__round=round_, participant__user=org.members_by_role["respondent"], question__key=key
    ).first()


# ---------------------------------------------------------------------------- the answer form


@pytest.mark.parametrize("level", BAD_LEVELS, ids=["0", "6", "3.5", "abc", "-1", "int64", "huge", "emoji", "long", "nul"])
def test_a_level_outside_the_scale_is_an_error_on_the_level_kept_as_sent(framework, level):
    form = answer_form(framework, {"q-D1.1-level": level, "q-D1.1-comment": "Kept"})
    assert not form.is_valid()
    assert set(form.errors) == {"level"}
    assert form.sent().level == level and form.sent().comment == "Kept"


def test_levels_and_dont_know_are_cleaned_to_what_the_services_store(framework):
    for sent, stored in (("1", 1), ("5", 5), ("dk", None)):
        form = answer_form(framework, {"q-D1.1-level": sent})
        assert form.is_valid() and form.values == {"level": stored}


def test_a_comment_of_100000_characters_is_refused_with_the_count_and_kept(framework):
    form = answer_form(framework, {"q-D1.1-comment": LONG, "q-D1.1-level": "3"})
    assert not form.is_valid()
    assert set(form.errors) == {"comment"}
    assert "100000" in form.answer_errors().comment and "2000" in form.answer_errors().comment
    assert form.sent().comment == LONG


def test_a_nul_byte_is_an_error_not_a_crash(framework):
    # The NUL middleware removes them from requests; a form used without it still refuses them.
    form = answer_form(framework, {"q-D1.1-comment": "a\x00b", "q-D1.1-evidence": "https://x.test/\x00"})
    assert not form.is_valid()
    assert set(form.errors) == {"comment", "evidence"}


def test_emoji_are_text_like_any_other(framework):
    form = answer_form(framework, {"q-D1.1-comment": EMOJI * 100, "q-D1.1-level": "2"})
    assert form.is_valid()
    assert form.values == {"level": 2, "comment": EMOJI * 100}


def test_links_are_http_or_https_only(framework):
    for url in ("javascript:alert(1)", "file:///etc/passwd", "ftp://host/x", "not a url"):
        form = answer_form(framework, {"q-D1.1-evidence": url})
        assert not form.is_valid() and set(form.errors) == {"evidence"}
        assert form.sent().evidence_url == url
    form = answer_form(framework, {"q-D1.1-evidence": "  https://intranet.acme.test/nps  "})
    assert form.is_valid() and form.values == {"evidence_url": "https://intranet.acme.test/nps"}


def test_only_the_fields_sent_are_values_and_other_names_are_not_read(framework):
    data = {
        "q-D1.1-comment": "",  # sent empty: clears the comment
        "q-D1.2-level": "9",  # another question's field
        "q-D1.1-colour": "red",  # no such field
        "level": "9",
        "csrfmiddlewaretoken": "x",
    }
    form = answer_form(framework, data)
    assert form.is_valid()
    assert form.values == {"comment": ""}
    assert form.sent().level is None and form.sent().evidence_url is None  # not sent: left as they are
    assert form.loaded() == {"level": None, "comment": None, "evidence_url": None, "confidence": None}


def test_the_as_loaded_values_are_read_as_sent(framework):
    form = answer_form(
        framework, {"q-D1.1-level": "4", "q-D1.1-level-loaded": "dk", "q-D1.1-comment-loaded": " Before ", "x-loaded": "y"}
    )
    assert form.is_valid()
    assert form.loaded() == {"level": "dk", "comment": " Before ", "evidence_url": None, "confidence": None}


# ---------------------------------------------------------------------------- the governance form


def test_governance_choices_outside_the_options_are_errors_and_the_others_are_kept(framework):
    activities = list(framework.raci_activities.order_by("position")[:3])
    questions = list(framework.context_questions.all())
    a, b, c = (f"raci-{x.key}" for x in activities)
    data = {a: "ceo", b: "hacker", c: "", f"ctx-{questions[0].key}": LONG, "raci-unknown": "ceo"}
    form = GovernanceForm(
        data, activities=activities, context_questions=questions, raci_choices=[("ceo", "CEO"), ("nobody", "Nobody")]
    )
    assert not form.is_valid()
    assert set(form.errors) == {b, f"ctx-{questions[0].key}"}
    assert [(kind, target, choice) for kind, target, choice in form.choices()] == [("raci", activities[0], "ceo")]
    assert form.typed(b) == "hacker"


def test_an_autosaved_choice_is_required(framework):
    activity = framework.raci_activities.first()
    form = GovernanceForm({}, activities=[activity], raci_choices=[("ceo", "CEO")], required=True)
    assert not form.is_valid() and form.error(f"raci-{activity.key}")


# ---------------------------------------------------------------------------- the RACI grid form


def grid(data):
    return RaciGridForm(data, activities=["cx_strategy", "cx_budget"], roles=["ceo", "cxo"])


@pytest.mark.parametrize("value", ["X", "RA", "0", str(10**30), EMOJI, LONG, "a\x00b"])
def test_a_raci_value_outside_r_a_c_i_is_an_error_on_its_cell(value):
    form = grid({"cell-cx_budget-ceo": value, "was-cx_budget-ceo": "", "cell-cx_strategy-cxo": "A", "was-cx_strategy-cxo": "R"})
    assert not form.is_valid()
    assert set(form.errors) == {"cell-cx_budget-ceo"}
    assert form.shown("cx_budget", "ceo") == {"value": value, "was": "", "error": form.errors["cell-cx_budget-ceo"][0]}
    assert form.shown("cx_strategy", "cxo") == {"value": "A", "was": "R", "error": ""}


def test_raci_changes_are_the_cells_that_differ_from_what_the_page_showed():
    form = grid(
        {
            "cell-cx_strategy-ceo": " r ",  # written as the services read it
            "was-cx_strategy-ceo": "",
            "cell-cx_strategy-cxo": "—",  # empties the cell
            "was-cx_strategy-cxo": "A",
            "cell-cx_budget-ceo": "X",  # unchanged since the page was drawn: not a change, not checked
            "was-cx_budget-ceo": "X",
            "cell-cx_budget-cxo": "C",  # without the letter the page showed: not a change
            "cell-cx_budget-cfo": "A",  # not a visible role of the grid
            "was-cx_budget-cfo": "",
            "cell-other-ceo": "A",
        }
    )
    assert form.is_valid()
    assert form.changes == {("cx_strategy", "ceo"): "R", ("cx_strategy", "cxo"): ""}


# ---------------------------------------------------------------------------- the pages


def test_questionnaire_page_refuses_a_huge_level_next_to_it_and_keeps_the_comment(org, open_round, respondent):
    response = respondent.post(
        page_url(open_round, "D1"), {"q-D1.1-level": str(10**30), "q-D1.1-comment": f"Gardé {EMOJI}", "q-D1.2-level": "4"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="q-D1-1-level-error"' in page
    assert f"Gardé {EMOJI}</textarea>" in page
    assert my_answer(org, open_round, "D1.1") is None
    assert my_answer(org, open_round, "D1.2").level == 4  # the valid question of the page is saved


def test_questionnaire_page_refuses_a_100000_character_comment_and_shows_it_back(org, open_round, respondent):
    response = respondent.post(page_url(open_round, "D1"), {"q-D1.1-level": "3", "q-D1.1-comment": LONG})
    assert response.status_code == 400
    page = response.content.decode()
    assert LONG + "</textarea>" in page
    message = page.split('id="q-D1-1-comment-error">')[1].split("</div>")[0]
    assert "100000" in message or "100 000" in message or "100,000" in message
    assert my_answer(org, open_round, "D1.1") is None


def test_questionnaire_page_and_autosave_store_emoji_and_drop_nul_bytes(org, open_round, respondent):
    response = respondent.post(page_url(open_round, "D1"), {"q-D1.1-level": "2", "q-D1.1-comment": f"a\x00b {EMOJI}"})
    assert response.status_code == 302
    assert my_answer(org, open_round, "D1.1").comment == f"ab {EMOJI}"
    saved = respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "5", "q-D1.2-comment": EMOJI, "hack": "x"})
    assert saved.status_code == 200
    assert (my_answer(org, open_round, "D1.2").level, my_answer(org, open_round, "D1.2").comment) == (5, EMOJI)


@pytest.mark.parametrize("level", [str(2**63), EMOJI, LONG])
def test_autosave_refuses_a_bad_level_with_a_message(org, open_round, respondent, level):
    response = respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": level})
    assert response.status_code == 422
    assert "Not saved" in response.content.decode() or "Non enregistr" in response.content.decode()
    assert my_answer(org, open_round, "D1.1") is None


@pytest.fixture
def closed_round(open_round, framework):
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in framework.questions.all()
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    return open_round


def test_raci_grid_without_javascript_refuses_a_bad_letter_next_to_its_cell_and_keeps_the_other_changes(
    org, closed_round, client_for
):
    facilitator = client_for(org.members_by_role["facilitator"])
    url = reverse("roadmaps:raci", args=[org.slug, closed_round.pk])
    before = {(c.activity, c.role): c.letter for c in RaciCell.objects.filter(round=closed_round)}
    was = before.get(("cx_culture", "cio"), "")
    other = "I" if was != "I" else "C"
    response = facilitator.post(
        url,
        {
            "cell-cx_budget-ceo": "X<b>",
            "was-cx_budget-ceo": before.get(("cx_budget", "ceo"), ""),
            "cell-cx_culture-cio": other,
            "was-cx_culture-cio": was,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    cell = re.search(r'<select[^>]*name="cell-cx_budget-ceo".*?</select>\s*<div[^>]*>(.*?)</div>', page, re.S)
    assert cell and '<option value="X&lt;b&gt;" selected>X&lt;b&gt;</option>' in cell.group(0)
    assert "R, A, C, I" in cell.group(1)
    # The other change is shown as made, beside the letter the page was drawn with: a new submit writes it.
    changed = re.search(r'<input type="hidden" name="was-cx_culture-cio" value="([^"]*)">\s*<select.*?</select>', page, re.S)
    assert changed.group(1) == was and f'<option value="{other}" selected>' in changed.group(0)
    assert {(c.activity, c.role): c.letter for c in RaciCell.objects.filter(round=closed_round)} == before  # nothing saved
