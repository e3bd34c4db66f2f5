"""The respondent's screens (issue #15): welcome, one question per screen, the error summary, review, end.

Assertions read ids, links and the framework's own texts rather than new interface wording, so that
they hold in French and in English.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments import answer_flow, services
from assessments.models import Answer, Round, RoundStatus
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db


def url(round_, name, *extra):
    return reverse(f"assessments:{name}", args=[round_.organisation.slug, round_.pk, *extra])


def q_url(round_, key):
    return url(round_, "answer_question", key)


def participant_of(org, round_, role="respondent"):
    return round_.participants.get(user=org.members_by_role[role])


def welcomed(client, round_):
    """A respondent's client past the welcome screen of this session."""
    assert client.get(url(round_, "answer_welcome")).status_code == 200
    return client


def summary_links(html):
    """The hrefs of the error summary, which must sit before the progress and the questions."""
    summary = re.search(r"<div[^>]*data-cx-error-summary[^>]*>(.*?)</div>", html, re.S)
    assert summary, "no error summary"
    tag = re.search(r"<div[^>]*data-cx-error-summary[^>]*>", html).group(0)
    assert 'role="alert"' in tag and 'tabindex="-1"' in tag
    assert html.index("data-cx-error-summary") < html.index("data-cx-progress")
    return re.findall(r'href="#([^"]+)"', summary.group(1))


def assert_ids_exist(html, ids):
    for id_ in ids:
        assert f'id="{id_}"' in html, f"the summary links to #{id_}, which is not on the page"


# ----------------------------------------------------------------------------------- welcome


def test_start_shows_the_welcome_once_a_session_then_resumes_at_the_first_question_without_answer(org, open_round, respondent):
    start = url(open_round, "answer_start")
    assert respondent.get(start).url == url(open_round, "answer_welcome")
    welcome = respondent.get(url(open_round, "answer_welcome")).content.decode()
    assert f'href="{q_url(open_round, "D1.1")}"' in welcome  # Start
    assert respondent.get(start).url == q_url(open_round, "D1.1")
    for key in ("D1.1", "D1.2"):
        respondent.post(save_url(open_round, key), {f"q-{key}-level": "3"})
    assert respondent.get(start).url == q_url(open_round, "D1.3")
    # Another device (a new session) sees the welcome again, with Resume.
    other = Client()
    other.force_login(org.members_by_role["respondent"])
    assert other.get(start).url == url(open_round, "answer_welcome")
    assert f'href="{q_url(open_round, "D1.3")}"' in other.get(url(open_round, "answer_welcome")).content.decode()


def test_welcome_names_the_organisation_and_round_and_shows_the_privacy_notice(org, open_round, respondent):
    html = respondent.get(url(open_round, "answer_welcome")).content.decode()
    assert "Acme Retail" in html and "Round 1" in html
    assert 'id="privacy-title"' in html  # organisations/_privacy.html
    assert "data-cx-start" in html
    # The choice of mode is offered from the start.
    assert f'action="{url(open_round, "answer_mode")}"' in html


def test_the_sign_in_page_is_the_welcome_of_its_session(org, open_round):
    participant = participant_of(org, open_round)
    token = services.participant_new_link(participant)
    visitor = Client()
    visitor.post(reverse("assessments:sign_in", args=[token]))
    # The respondent has a password (factories), so the link leads straight to the questionnaire.
    assert visitor.get(url(open_round, "answer_start")).url == q_url(open_round, "D1.1")


# ---------------------------------------------------------------------------- question screen


def test_question_screen_shows_one_question_its_levels_dont_know_comment_and_link(org, open_round, respondent, framework):
    welcomed(respondent, open_round)
    response = respondent.get(q_url(open_round, "D1.2"))
    assert response.status_code == 200
    html = response.content.decode()
    question = framework.questions.get(key="D1.2")
    assert question.text_fr.replace("'", "&#x27;") in html
    assert html.count('name="q-D1.2-level"') == 6  # five levels and don't know
    assert 'name="q-D1.1-level"' not in html and 'name="q-D1.3-level"' not in html
    for level in range(1, 6):
        label = f"{level} · {framework.level_label(level)}"
        assert f'id="q-D1-2-l{level}"' in html and label in html
        full = question.level_text(level)
        short = answer_flow.short_text(full)
        assert short.replace("'", "&#x27;") in html
        if short != full:  # the whole description expands on tap
            assert re.search(r"<details class=\"cx-flow-more\">.*?" + re.escape(full.replace("'", "&#x27;")), html, re.S)
    assert 'id="q-D1-2-dk"' in html
    assert 'id="q-D1-2-comment"' in html and 'id="q-D1-2-evidence"' in html
    # Autosave through the questionnaire's endpoint, as on a dimension page.
    assert f'hx-post="{save_url(open_round, "D1.2")}"' in html
    # Previous and next save what was typed (submit buttons); the progress bar is there with the time left.
    assert 'name="go" value="previous"' in html and 'name="go" value="next"' in html
    assert "data-cx-progress" in html and "data-cx-minutes-left" in html
    assert 'src="/static/js/answer-flow.js"' in html
    assert "<script>" not in html  # nothing inline (strict CSP)


def test_short_titles_cut_at_a_clause_or_a_word():
    assert answer_flow.short_text("Short and whole.") == "Short and whole."
    assert answer_flow.short_text("First clause; second clause.") == "First clause…"
    long = "word " * 60
    cut = answer_flow.short_text(long)
    assert len(cut) <= answer_flow.SHORT_MAX + 1 and cut.endswith("…") and "  " not in cut


def test_previous_and_next_save_and_move_through_the_whole_questionnaire(org, open_round, respondent, framework):
    welcomed(respondent, open_round)
    moved = respondent.post(q_url(open_round, "D1.1"), {"q-D1.1-level": "4", "q-D1.1-comment": "Vu en CODIR", "go": "next"})
    assert moved.status_code == 302 and moved.url == q_url(open_round, "D1.2")
    back = respondent.post(q_url(open_round, "D1.2"), {"q-D1.2-level": "dk", "go": "previous"})
    assert back.url == q_url(open_round, "D1.1")
    # Back and forth loses nothing: D1.1 shows what was given.
    html = respondent.get(q_url(open_round, "D1.1")).content.decode()
    assert re.search(r'id="q-D1-1-l4" value="4" checked', html)
    assert ">Vu en CODIR</textarea>" in html
    assert re.search(r'id="q-D1-2-dk" value="dk" checked', respondent.get(q_url(open_round, "D1.2")).content.decode())
    # The first question goes back to the welcome; the last one on to governance; a dimension's last to the next dimension.
    assert respondent.post(q_url(open_round, "D1.1"), {"go": "previous"}).url == url(open_round, "answer_welcome")
    last = framework.questions.order_by("-dimension__position", "-position").first()
    assert respondent.post(q_url(open_round, last.key), {"go": "next"}).url == page_url(open_round, "governance")
    assert respondent.post(q_url(open_round, "D1.5"), {}).url == q_url(open_round, "D2.1")  # Enter: next by default
    # Coming from the review, the screen offers the way back to it.
    html = respondent.get(q_url(open_round, "D3.2") + "?from=review").content.decode()
    assert 'name="go" value="review"' in html and 'name="from" value="review"' in html
    assert respondent.post(q_url(open_round, "D3.2"), {"q-D3.2-level": "2", "go": "review"}).url == url(
        open_round, "answer_review"
    )
    assert Answer.objects.get(participant=participant_of(org, open_round), question__key="D3.2").level == 2


def test_a_plain_next_does_not_undo_what_the_autosave_stored(org, open_round, respondent):
    welcomed(respondent, open_round)
    respondent.post(save_url(open_round, "D2.1"), {"q-D2.1-level": "5"})
    # The screen had been loaded before the autosave: its "as loaded" level is empty and no level is sent.
    respondent.post(q_url(open_round, "D2.1"), {"q-D2.1-level-loaded": "", "q-D2.1-comment": "", "go": "next"})
    assert Answer.objects.get(participant=participant_of(org, open_round), question__key="D2.1").level == 5


def test_an_error_is_summarised_at_the_top_linked_to_its_field(org, open_round, respondent):
    welcomed(respondent, open_round)
    response = respondent.post(
        q_url(open_round, "D1.1"),
        {"q-D1.1-level": "3", "q-D1.1-comment": "x" * 2001, "q-D1.1-evidence": "javascript:alert(1)", "go": "next"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    links = summary_links(html)
    assert links == ["q-D1-1-comment", "q-D1-1-evidence"]
    assert_ids_exist(html, links)
    assert 'value="javascript:alert(1)"' in html  # shown back as typed
    assert Answer.objects.filter(participant=participant_of(org, open_round), question__key="D1.1").count() == 0


def test_the_dimension_page_summarises_its_errors_at_the_top(org, open_round, respondent):
    data = {f"q-D2.{i}-level": str(i) for i in range(1, 6)}
    data["q-D2.2-evidence"] = "ftp://nope"
    data["q-D2.4-comment"] = "y" * 2001
    response = respondent.post(page_url(open_round, "D2"), data)
    assert response.status_code == 400
    html = response.content.decode()
    links = summary_links(html)
    assert links == ["q-D2-2-evidence", "q-D2-4-comment"]
    assert_ids_exist(html, links)
    # The comment's details is open, so that the link can reach the field.
    assert re.search(
        r'<details class="mt-3" open>\s*<summary>[^<]*</summary>\s*<div class="row g-3 mt-1">\s*<div class="col-md-7">\s*<label[^>]*for="q-D2-4-comment"',
        html,
    )
    assert 'src="/static/js/answer-flow.js"' in html
    # Without errors there is no summary.
    assert "data-cx-error-summary" not in respondent.get(page_url(open_round, "D3")).content.decode()


def test_the_governance_page_summarises_a_refused_choice(org, open_round, respondent):
    response = respondent.post(page_url(open_round, "governance"), {"raci-cx_strategy": "ceo", "raci-cx_metrics": "hacker"})
    assert response.status_code == 400
    html = response.content.decode()
    links = summary_links(html)
    assert links == ["raci-cx_metrics"]
    assert_ids_exist(html, links)


def test_no_summary_when_nothing_is_wrong(org, open_round, respondent):
    welcomed(respondent, open_round)
    assert "data-cx-error-summary" not in respondent.get(q_url(open_round, "D1.1")).content.decode()
    assert "data-cx-error-summary" not in respondent.get(page_url(open_round, "governance")).content.decode()


# ------------------------------------------------------------------------------------ modes


def test_the_mode_is_chosen_where_one_is_and_remembered_on_the_device(org, open_round, respondent):
    welcomed(respondent, open_round)
    to_page = respondent.post(url(open_round, "answer_mode"), {"mode": "page", "at": "D1.3"})
    assert to_page.url == page_url(open_round, "D1") + "#q-D1-3-title"
    assert to_page.cookies[answer_flow.MODE_COOKIE].value == "page"
    assert to_page.cookies[answer_flow.MODE_COOKIE]["httponly"]
    assert respondent.get(url(open_round, "answer_start")).url == page_url(open_round, "D1")
    # The review's change links follow the mode.
    review = respondent.get(url(open_round, "answer_review")).content.decode()
    assert f'href="{page_url(open_round, "D4")}#q-D4-2-title"' in review
    respondent.post(save_url(open_round, "D2.1"), {"q-D2.1-level": "2"})
    to_question = respondent.post(url(open_round, "answer_mode"), {"mode": "question", "at": "D2"})
    assert to_question.url == q_url(open_round, "D2.2")  # the dimension's first question without an answer
    assert respondent.get(url(open_round, "answer_start")).url == q_url(open_round, "D1.1")
    # A made-up mode is the default one; the dimension page offers the switch.
    assert respondent.post(url(open_round, "answer_mode"), {"mode": "x"}).cookies[answer_flow.MODE_COOKIE].value == "question"
    assert f'action="{url(open_round, "answer_mode")}"' in respondent.get(page_url(open_round, "D5")).content.decode()
    assert respondent.get(url(open_round, "answer_mode")).status_code == 405


def test_governance_goes_back_to_the_last_question_in_question_mode(org, open_round, respondent, framework):
    last = framework.questions.order_by("-dimension__position", "-position").first()
    html = respondent.get(page_url(open_round, "governance")).content.decode()
    assert f'href="{q_url(open_round, last.key)}"' in html
    respondent.cookies[answer_flow.MODE_COOKIE] = "page"
    html = respondent.get(page_url(open_round, "governance")).content.decode()
    assert f'href="{page_url(open_round, last.dimension.key)}"' in html


# ------------------------------------------------------------------------------ review, end


def test_review_shows_every_answer_with_its_level_title_comment_and_a_change_link(org, open_round, respondent, framework):
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"})
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-comment": "Validé en comité"})
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "dk"})
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-evidence": "https://intranet.example/charte"})  # no level yet
    html = respondent.get(url(open_round, "answer_review")).content.decode()
    items = dict(re.findall(r'<li class="cx-review-item[^"]*" id="rv-q-([^"]+)">(.*?)</li>', html, re.S))
    assert len(items) == framework.questions.count()
    assert f"3 · {framework.level_label(3)}" in items["D1-1"] and "Validé en comité" in items["D1-1"]
    assert "https://intranet.example/charte" in items["D1-3"]
    for key, body in items.items():
        assert f'href="{q_url(open_round, key.replace("-", "."))}?from=review"' in body
    # Unanswered questions are listed at the top by their text, each linked to its screen.
    missing = re.search(r"<ul[^>]*data-cx-missing>(.*?)</ul>", html, re.S).group(1)
    d13 = framework.questions.get(key="D1.3")
    assert d13.text_fr.replace("'", "&#x27;") in missing and f'href="{q_url(open_round, "D1.3")}?from=review"' in missing
    assert q_url(open_round, "D1.1") not in missing and q_url(open_round, "D1.2") not in missing
    # The governance answers too, with their change link.
    assert f'href="{page_url(open_round, "governance")}"' in html
    for activity in framework.raci_activities.all():
        assert activity.title_fr.replace("'", "&#x27;") in html


def test_submitting_ends_on_the_end_screen_on_every_path(org, open_round, respondent):
    assert respondent.get(url(open_round, "answer_done")).url == url(open_round, "answer_review")  # not submitted yet
    submitted = respondent.post(url(open_round, "answer_submit"))
    assert submitted.url == url(open_round, "answer_done")
    done = respondent.get(submitted.url)
    assert done.status_code == 200 and "data-cx-done" in done.content.decode()
    assert f'href="{url(open_round, "answer_review")}"' in done.content.decode()
    # Back on the welcome later, the button shows the answers rather than an unanswered question.
    welcome = respondent.get(url(open_round, "answer_welcome")).content.decode()
    assert re.search(r'href="' + re.escape(url(open_round, "answer_review")) + r'" data-cx-start', welcome)


# ----------------------------------------------------------------------------------- access


def test_only_the_participant_reaches_their_screens(org, open_round, framework, client_for, outsider):
    names = [("answer_welcome",), ("answer_review",), ("answer_done",), ("answer_question", "D1.1")]
    for name in names:
        assert client_for(outsider).get(url(open_round, *name)).status_code == 404
        assert client_for(org.members_by_role["viewer"]).get(url(open_round, *name)).status_code == 403
        assert Client().get(url(open_round, *name)).status_code == 302  # to the log-in page
    assert client_for(outsider).post(url(open_round, "answer_mode"), {"mode": "page"}).status_code == 404
    # A round of the same organisation where the respondent does not take part: nothing to find.
    other = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Other")
    services.participant_invite(round_=other, email=org.members_by_role["sponsor"].email, function="ceo")
    Round.objects.filter(pk=other.pk).update(status=RoundStatus.OPEN)
    respondent = client_for(org.members_by_role["respondent"])
    assert respondent.get(q_url(other, "D1.1")).status_code == 404
    assert respondent.post(q_url(other, "D1.1"), {"q-D1.1-level": "2"}).status_code == 404
    assert respondent.get(q_url(open_round, "D99.9")).status_code == 404
    assert respondent.get(q_url(open_round, "D1.1")).status_code == 200


def test_a_closed_round_shows_the_question_read_only_and_keeps_what_was_typed(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"})
    services.round_transition(round_=open_round, to="closed")
    html = respondent.get(q_url(open_round, "D1.1")).content.decode()
    assert re.search(r'id="q-D1-1-l2" value="2" checked disabled', html)
    assert 'name="go"' not in html  # links to move on, no button that would post
    refused = respondent.post(q_url(open_round, "D1.1"), {"q-D1.1-level": "5", "q-D1.1-comment": "Trop tard"})
    assert refused.status_code == 409 and ">Trop tard</textarea>" in refused.content.decode()
    assert Answer.objects.get(participant=participant_of(org, open_round), question__key="D1.1").level == 2
