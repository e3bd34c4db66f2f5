"""The review before submitting, on a 2.0 round, reads back each answer's confidence and each dimension's
importance, with a link to change the importance where it is asked; a 1.0 round's review shows neither."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from assessments import answer_flow
from tests.questionnaire import page_url, save_url
from tests.views import rounds_v2

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_v2(org):
    return rounds_v2.open_round_v2(org)


@pytest.fixture
def me(org, round_v2, client_for):
    """The respondent's client, past the welcome screen."""
    return rounds_v2.welcomed_client(client_for, org.members_by_role["respondent"], round_v2)


@pytest.fixture
def framework_v2(db):
    return rounds_v2.framework_v2()


@pytest.fixture(autouse=True)
def english(org):
    """Every member reads the pages in English, so that the words can be read here."""
    User.objects.update(language="en")


def url(round_, name, *extra):
    return reverse(f"assessments:{name}", args=[round_.organisation.slug, round_.pk, *extra])


def review_items(html):
    """Each question's block of the review by its key's id ("D1-1"), and each dimension's importance line by its key."""
    items = dict(re.findall(r'<li class="cx-review-item[^"]*" id="rv-q-([^"]+)">(.*?)</li>', html, re.S))
    importances = dict(re.findall(r'<p class="cx-review-importance[^"]*" id="rv-importance-([^"]+)">(.*?)</p>', html, re.S))
    return items, importances


def test_a_2_0_review_shows_each_confidence_and_each_importance(org, round_v2, me, framework_v2):
    assert me.post(save_url(round_v2, "D1.1"), {"q-D1.1-level": "4"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.1"), {"q-D1.1-confidence": "high"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.2"), {"q-D1.2-level": "2"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.2"), {"q-D1.2-confidence": "low"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.3"), {"q-D1.3-level": "1"}).status_code == 200
    assert me.post(save_url(round_v2, "D1.4"), {"q-D1.4-level": "dk"}).status_code == 200
    assert me.post(url(round_v2, "answer_importance", "D1"), {"importance-D1": "3"}).status_code == 200
    assert me.post(url(round_v2, "answer_importance", "D2"), {"importance-D2": "1"}).status_code == 200
    response = me.get(url(round_v2, "answer_review"))
    assert response.status_code == 200
    html = response.content.decode()
    items, importances = review_items(html)
    assert len(items) == framework_v2.questions.count()
    assert "High confidence" in items["D1-1"] and "Low confidence" not in items["D1-1"]
    assert "Low confidence" in items["D1-2"]
    assert "Confidence not said" in items["D1-3"]
    # A confidence qualifies a level: neither "don't know" nor an unanswered question has one to show.
    assert "<strong>Don't know</strong>" in items["D1-4"] and "confidence" not in items["D1-4"].lower()
    assert "confidence" not in items["D1-5"].lower()
    # One line per dimension, as the select words it, with a way to change it.
    assert set(importances) == {d.key.replace(".", "-") for d in framework_v2.dimensions.all()}
    assert "Importance for your organisation:" in importances["D1"] and "<strong>3 · High</strong>" in importances["D1"]
    assert "<strong>1 · Low</strong>" in importances["D2"]
    assert "<strong>Not said</strong>" in importances["D3"]
    # One question per screen (the default): the dimension's first question, where its importance is asked.
    assert f'href="{url(round_v2, "answer_question", "D2.1")}?from=review#importance-D2"' in importances["D2"]
    question = me.get(url(round_v2, "answer_question", "D2.1") + "?from=review").content.decode()
    assert 'id="importance-D2"' in question and 'name="from" value="review"' in question


def test_a_cleared_importance_reads_not_said_and_page_mode_links_to_the_dimension_page(org, round_v2, me):
    assert me.post(url(round_v2, "answer_importance", "D4"), {"importance-D4": "2"}).status_code == 200
    assert me.post(url(round_v2, "answer_importance", "D4"), {"importance-D4": ""}).status_code == 200
    me.cookies[answer_flow.MODE_COOKIE] = answer_flow.PAGE_MODE
    _items, importances = review_items(me.get(url(round_v2, "answer_review")).content.decode())
    assert "<strong>Not said</strong>" in importances["D4"]
    assert f'href="{page_url(round_v2, "D4")}#importance-D4"' in importances["D4"]
    assert 'id="importance-D4"' in me.get(page_url(round_v2, "D4")).content.decode()


def test_a_1_0_review_shows_neither_confidence_nor_importance(org, open_round, respondent, framework):
    assert respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"}).status_code == 200
    assert respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "dk"}).status_code == 200
    html = respondent.get(url(open_round, "answer_review")).content.decode()
    items, importances = review_items(html)
    assert len(items) == framework.questions.count() and f"3 · {framework.level_label(3)}" in items["D1-1"]
    assert importances == {}
    assert "cx-review-confidence" not in html and "cx-review-importance" not in html
    assert "confidence" not in html.lower() and "Importance" not in html
