"""Query counts of the questionnaire stay flat as respondents and questions grow (targets: page ≤ 15, autosave ≤ 7).

The one-question screen (issue #15) has the same budget as a dimension page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.fixtures import build_round

pytestmark = pytest.mark.django_db

# Autosave: 6, plus the round-row lock that serialises every answer with closing (issue #13).
PAGE_MAX, AUTOSAVE_MAX = 15, 7


def measure(respondents, questions_per_dimension, slug):
    round_, user = build_round(respondents=respondents, questions_per_dimension=questions_per_dimension, slug=slug)
    client = Client()
    client.force_login(user)
    page = reverse("assessments:answer_page", args=[slug, round_.pk, "D3"])
    save = reverse("assessments:answer_save", args=[slug, round_.pk, "D3.2"])
    client.get(page)  # warm the session
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as save_queries:
        assert client.post(save, {"q-D3.2-level": "4"}).status_code == 200
    return len(page_queries), len(save_queries)


def test_questionnaire_queries_are_bounded_and_flat(framework):
    small = measure(3, 5, "small-org")
    large = measure(40, 6, "large-org")
    assert small[0] <= PAGE_MAX and small[1] <= AUTOSAVE_MAX
    assert large == small


def measure_question_screen(respondents, questions_per_dimension, slug):
    round_, user = build_round(respondents=respondents, questions_per_dimension=questions_per_dimension, slug=slug)
    client = Client()
    client.force_login(user)
    screen = reverse("assessments:answer_question", args=[slug, round_.pk, "D3.2"])
    client.get(reverse("assessments:answer_welcome", args=[slug, round_.pk]))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(screen).status_code == 200
    return len(queries)


def test_question_screen_queries_are_bounded_and_flat(framework):
    small = measure_question_screen(3, 5, "small-org")
    assert small <= PAGE_MAX
    assert measure_question_screen(40, 6, "large-org") == small


def summary_queries(respondents, slug):
    from accounts.models import User
    from assessments import services
    from organisations.models import Membership

    round_, _user = build_round(respondents=respondents, slug=slug)
    services.round_transition(round_=round_, to="closed")
    facilitator = User.objects.create_user(email=f"f@{slug}.test", password="x-pass-12345")
    Membership.objects.create(user=facilitator, organisation=round_.organisation, role="facilitator")
    client = Client()
    client.force_login(facilitator)
    url = reverse("assessments:results", args=[slug, round_.pk])
    client.get(url)  # a first view warms what is cached per process (the page stores nothing)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_summary_queries_do_not_grow_with_respondents(framework):
    assert summary_queries(3, "few") == summary_queries(40, "many")
