"""The respondent's screens on a framework 2.0 round (issue #16): level titles, wording variants,
"not applicable" where its rule holds, a confidence per answer, an importance per dimension, the
dimension's introduction; and the facilitator's notes (guidance, evidence) kept off every
respondent page. A 1.0 round's screens offer none of it.

Assertions read ids, field names and the framework's own texts, so that they hold in either language.
"""

import html as html_lib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Answer, ContextQuestion, DimensionImportance, Framework, RoundStatus
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db

PAGE_MAX, AUTOSAVE_MAX = 15, 7


def url(round_, name, *extra):
    return reverse(f"assessments:{name}", args=[round_.organisation.slug, round_.pk, *extra])


def q_url(round_, key):
    return url(round_, "answer_question", key)


def contains(page, text):
    """The text as Django escapes it (apostrophes as &#x27;)."""
    return html_lib.escape(text, quote=True).replace("&#x27;", "'").replace("'", "&#x27;") in page


@pytest.fixture
def framework_v2(db):
    return Framework.objects.get(key="cx-governance", version="2.0")


@pytest.fixture
def round_v2(org, framework_v2):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework_v2, title="Round 2.0"
    )
    for role, function in (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo")):
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status"])
    return round_


@pytest.fixture
def me(org, round_v2, client_for):
    """The respondent's client, past the welcome screen."""
    client = client_for(org.members_by_role["respondent"])
    assert client.get(url(round_v2, "answer_welcome")).status_code == 200
    return client


def participant(org, round_):
    return round_.participants.get(user=org.members_by_role["respondent"])


def set_context(org, round_, key, choice):
    question = ContextQuestion.objects.get(framework=round_.framework, key=key)
    services.context_answer_save(participant=participant(org, round_), question=question, choice=choice)


def facilitator_texts(framework):
    """Every guidance and evidence text of the framework, in both languages."""
    texts = []
    for q in framework.questions.all():
        texts += [q.guidance_fr, q.guidance_en]
        for entry in q.level_texts:
            texts += [entry["evidence"]["fr"], entry["evidence"]["en"]]
    return [t for t in texts if t]


def assert_no_facilitator_notes(page, framework):
    assert "data-cx-facilitator-notes" not in page
    for text in facilitator_texts(framework):
        assert not contains(page, text), f"a facilitator's note reached a respondent page: {text[:60]}"


# ---------------------------------------------------------------------------- question screen


def test_first_question_of_a_dimension_shows_titles_intro_importance_and_confidence(org, round_v2, me, framework_v2):
    page = me.get(q_url(round_v2, "D1.1")).content.decode()
    question = framework_v2.questions.get(key="D1.1")
    dimension = question.dimension
    for entry in question.level_texts:
        assert contains(page, entry["title"]["fr"])  # the level's own title is the short title
    assert 'id="dimension-intro"' in page and contains(page, dimension.intro_fr)
    assert 'name="importance-D1"' in page
    assert 'name="q-D1.1-confidence"' in page and 'name="q-D1.1-confidence-loaded"' in page
    assert 'hx-params="q-D1.1-confidence"' in page
    # No rule: no "not applicable".
    assert 'value="na"' not in page
    assert_no_facilitator_notes(page, framework_v2)
    # The second question of the dimension neither introduces it nor asks its importance again.
    second = me.get(q_url(round_v2, "D1.2")).content.decode()
    assert 'id="dimension-intro"' not in second and 'name="importance-D1"' not in second
    assert 'name="q-D1.2-confidence"' in second


def test_not_applicable_is_offered_only_where_its_rule_holds(org, round_v2, me, framework_v2):
    question = framework_v2.questions.get(key="D3.6")
    reason = question.not_applicable["reason"]["fr"]
    page = me.get(q_url(round_v2, "D3.6")).content.decode()
    assert 'id="q-D3-6-na"' not in page
    # Posted by hand where the rule does not hold: refused next to the level.
    response = me.post(q_url(round_v2, "D3.6"), {"q-D3.6-level": "na", "go": "next"})
    assert response.status_code == 400
    assert 'id="q-D3-6-level-error"' in response.content.decode()
    assert not Answer.objects.filter(question=question).exists()
    # Nobody serves the customers for the company: the rule holds, with its reason.
    set_context(org, round_v2, "networks_outsourcing", "none")
    page = me.get(q_url(round_v2, "D3.6")).content.decode()
    assert 'id="q-D3-6-na"' in page and contains(page, reason)
    assert me.post(q_url(round_v2, "D3.6"), {"q-D3.6-level": "na", "go": "next"}).status_code == 302
    answer = Answer.objects.get(question=question)
    assert answer.not_applicable and answer.level is None
    page = me.get(q_url(round_v2, "D3.6")).content.decode()
    assert 'value="na" checked' in page and 'value="dk" checked' not in page
    # A question without a rule still refuses it, on the autosave too.
    response = me.post(save_url(round_v2, "D1.1"), {"q-D1.1-level": "na"})
    assert response.status_code == 422
    assert not Answer.objects.filter(question__key="D1.1").exists()


def test_a_stored_not_applicable_reads_as_such_on_the_review_and_the_dimension_page(org, round_v2, me, framework_v2):
    set_context(org, round_v2, "networks_outsourcing", "none")
    assert me.post(save_url(round_v2, "D3.6"), {"q-D3.6-level": "na"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.1"), {"q-D1.1-level": "dk"}).status_code == 200
    review = me.get(url(round_v2, "answer_review")).content.decode()
    row = review[review.index("D3.6") :]
    row = row[: row.index("</li>")] if "</li>" in row else row[:2000]
    assert "Sans objet" in row or "Not applicable" in row
    assert "Je ne sais pas" not in row and "Don&#x27;t know" not in row
    dimension = me.get(page_url(round_v2, "D3")).content.decode()
    assert 'id="q-D3-6-na" value="na" checked' in dimension
    assert_no_facilitator_notes(dimension, framework_v2)
    assert_no_facilitator_notes(review, framework_v2)


def test_confidence_is_saved_by_the_autosave_and_by_a_plain_submit(org, round_v2, me):
    response = me.post(save_url(round_v2, "D1.1"), {"q-D1.1-level": "4"})
    assert response.status_code == 200
    response = me.post(save_url(round_v2, "D1.1"), {"q-D1.1-confidence": "high"})
    assert response.status_code == 200
    # The page's "as loaded" value follows, so a later plain submit does not undo it.
    assert 'id="q-D1-1-confidence-loaded"' in response.content.decode()
    assert Answer.objects.get(question__key="D1.1").confidence == "high"
    assert 'value="high" selected' in me.get(q_url(round_v2, "D1.1")).content.decode()
    response = me.post(q_url(round_v2, "D1.2"), {"q-D1.2-level": "2", "q-D1.2-confidence": "low", "go": "next"})
    assert response.status_code == 302
    assert Answer.objects.get(question__key="D1.2").confidence == "low"
    # Another value is refused next to the field.
    response = me.post(q_url(round_v2, "D1.2"), {"q-D1.2-confidence": "certain", "go": "next"})
    assert response.status_code == 400
    assert 'id="q-D1-2-confidence-error"' in response.content.decode()
    assert Answer.objects.get(question__key="D1.2").confidence == "low"


def test_importance_is_saved_once_per_dimension(org, round_v2, me):
    p = participant(org, round_v2)
    response = me.post(q_url(round_v2, "D1.1"), {"q-D1.1-level": "3", "importance-D1": "3", "go": "next"})
    assert response.status_code == 302
    assert DimensionImportance.objects.get(participant=p, dimension__key="D1").importance == 3
    assert 'value="3" selected' in me.get(q_url(round_v2, "D1.1")).content.decode()
    # Not one of the choices: refused, nothing changes.
    response = me.post(q_url(round_v2, "D1.1"), {"importance-D1": "7", "go": "next"})
    assert response.status_code == 400
    assert 'id="importance-D1-error"' in response.content.decode()
    assert DimensionImportance.objects.get(participant=p, dimension__key="D1").importance == 3
    # On the dimension page, once at the top; "" clears it.
    page = me.get(page_url(round_v2, "D2")).content.decode()
    assert page.count('name="importance-D2"') == 1 and 'id="dimension-intro"' in page
    assert me.post(page_url(round_v2, "D2"), {"importance-D2": "2"}).status_code == 302
    assert DimensionImportance.objects.get(participant=p, dimension__key="D2").importance == 2
    assert me.post(page_url(round_v2, "D2"), {"importance-D2": ""}).status_code == 302
    assert DimensionImportance.objects.get(participant=p, dimension__key="D2").importance is None


def test_the_wording_follows_the_context(org, round_v2, me, framework_v2):
    question = framework_v2.questions.get(key="D5.1")
    variant = question.variants[0]
    assert variant["when"] == {"b2b_b2c": ["b2b"]}
    assert contains(me.get(q_url(round_v2, "D5.1")).content.decode(), question.text_fr)
    set_context(org, round_v2, "b2b_b2c", "b2b")
    screen = me.get(q_url(round_v2, "D5.1")).content.decode()
    assert contains(screen, variant["text"]["fr"]) and not contains(screen, question.text_fr)
    assert contains(me.get(page_url(round_v2, "D5")).content.decode(), variant["text"]["fr"])


# ------------------------------------------------------------------------- facilitator's notes


def test_the_facilitator_reads_guidance_and_evidence_where_respondents_do_not(org, round_v2, me, client_for, framework_v2):
    question = framework_v2.questions.get(key="D1.1")
    evidence = question.level_texts[2]["evidence"]["fr"]
    facilitator = client_for(org.members_by_role["facilitator"])
    printable = facilitator.get(url(round_v2, "round_print")).content.decode()
    assert contains(printable, question.guidance_fr) and contains(printable, evidence)
    workshop = facilitator.get(url(round_v2, "workshop")).content.decode()
    assert contains(workshop, question.guidance_fr) and contains(workshop, evidence)
    # Never projected to the room.
    projected = facilitator.get(url(round_v2, "workshop") + "?chrome=0").content.decode()
    assert "data-cx-facilitator-notes" not in projected
    # The respondent's copy of the questionnaire and every screen they answer on carry none of it.
    response = me.get(url(round_v2, "round_print"))
    if response.status_code == 200:
        assert_no_facilitator_notes(response.content.decode(), framework_v2)
    for address in (q_url(round_v2, "D1.1"), page_url(round_v2, "D1"), url(round_v2, "answer_review")):
        assert_no_facilitator_notes(me.get(address).content.decode(), framework_v2)


# ------------------------------------------------------------------------------------ 1.0 round


def test_a_1_0_round_offers_no_not_applicable_confidence_or_importance(org, open_round, respondent):
    assert respondent.get(url(open_round, "answer_welcome")).status_code == 200
    for address in (q_url(open_round, "D1.1"), page_url(open_round, "D1")):
        page = respondent.get(address).content.decode()
        assert 'value="na"' not in page and "-confidence" not in page and "importance-" not in page
        assert 'id="dimension-intro"' not in page
    response = respondent.post(q_url(open_round, "D1.1"), {"q-D1.1-level": "na", "go": "next"})
    assert response.status_code == 400
    assert not Answer.objects.filter(participant__round=open_round).exists()


def test_a_1_0_printable_questionnaire_has_no_facilitator_notes(org, open_round, client_for):
    page = client_for(org.members_by_role["facilitator"]).get(url(open_round, "round_print")).content.decode()
    assert "data-cx-facilitator-notes" not in page


# -------------------------------------------------------------------------------- query budgets


def test_2_0_screens_keep_the_query_budgets(org, round_v2, me):
    set_context(org, round_v2, "networks_outsourcing", "none")
    for key in ("D1.1", "D3.6"):
        with CaptureQueriesContext(connection) as queries:
            assert me.get(q_url(round_v2, key)).status_code == 200
        assert len(queries) <= PAGE_MAX, key
    with CaptureQueriesContext(connection) as queries:
        assert me.get(page_url(round_v2, "D3")).status_code == 200
    assert len(queries) <= PAGE_MAX
    with CaptureQueriesContext(connection) as queries:
        assert me.post(save_url(round_v2, "D3.6"), {"q-D3.6-level": "na"}).status_code == 200
    assert len(queries) <= AUTOSAVE_MAX
