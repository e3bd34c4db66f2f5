"""A page submitted without JavaScript from a stale tab writes only what that tab changed."""

import re

import pytest

from assessments.models import Answer
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db


def stored(org, round_, key):
    answer = Answer.objects.get(participant__round=round_, participant__user=org.members_by_role["respondent"], question__key=key)
    return answer.level, answer.comment, answer.evidence_url


def form_of(html: str) -> dict[str, str]:
    """What a browser without JavaScript would post back for this page, untouched."""
    data = {}
    for tag in re.findall(r"<(?:input|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1).startswith(("delegate_",)):
            continue
        if 'type="radio"' in tag:
            if " checked" in tag:
                data[name.group(1)] = re.search(r'value="([^"]*)"', tag).group(1)
            continue
        if tag.startswith("<textarea"):
            body = html.split(tag, 1)[1].split("</textarea>", 1)[0]
            data[name.group(1)] = (
                body.replace("&#x27;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            )
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    return data


def test_stale_page_posted_unchanged_keeps_a_comment_autosaved_in_another_tab(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"})
    stale = form_of(respondent.get(page_url(open_round, "D1")).content.decode())  # tab A loads the page
    assert stale["q-D1.1-level"] == "3" and stale["q-D1.1-comment"] == "" and stale["q-D1.1-comment-loaded"] == ""
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-comment": "Typed in tab B"})  # tab B autosaves
    response = respondent.post(page_url(open_round, "D1"), stale)  # tab A, without JavaScript
    assert response.status_code == 302
    assert stored(org, open_round, "D1.1") == (3, "Typed in tab B", "")


def test_stale_page_applies_its_own_change_and_keeps_the_other_tab_s(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "2"})
    stale = form_of(respondent.get(page_url(open_round, "D1")).content.decode())
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-comment": "Typed in tab B"})
    stale["q-D1.2-level"] = "4"  # tab A changes the level only
    assert respondent.post(page_url(open_round, "D1"), stale).status_code == 302
    assert stored(org, open_round, "D1.2") == (4, "Typed in tab B", "")


def test_both_tabs_changed_the_comment_the_newer_is_kept_and_the_person_told(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-level": "1", "q-D1.3-comment": "Original"})
    stale = form_of(respondent.get(page_url(open_round, "D1")).content.decode())
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-comment": "From tab <B>"})
    stale["q-D1.3-comment"] = "From tab A"
    response = respondent.post(page_url(open_round, "D1"), stale)
    assert response.status_code == 200  # not a silent redirect: the page says what happened
    assert stored(org, open_round, "D1.3") == (1, "From tab A", "")
    page = response.content.decode()
    notice = page.split('id="q-D1-3-conflicts"')[1].split("</div>")[0]
    assert "<q>From tab &lt;B&gt;</q>" in notice  # the replaced version is shown, escaped
    assert "From tab A</textarea>" in page


def test_page_without_as_loaded_values_writes_what_it_sends(org, open_round, respondent):
    """An old page (or a hand-made post) without the hidden values behaves as before: all it sends is written."""
    respondent.post(save_url(open_round, "D1.4"), {"q-D1.4-level": "2", "q-D1.4-comment": "x"})
    respondent.post(save_url(open_round, "D1.4"), {"q-D1.4-comment": "Before"})
    assert respondent.post(page_url(open_round, "D1"), {"q-D1.4-level": "5", "q-D1.4-comment": "After"}).status_code == 302
    assert stored(org, open_round, "D1.4") == (5, "After", "")


def test_autosave_moves_the_page_s_as_loaded_values_along(org, open_round, respondent):
    """A tab's own autosaves are not its changes: after them, its plain submit keeps a newer comment from another tab."""
    tab_a = form_of(respondent.get(page_url(open_round, "D1")).content.decode())
    saved = respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-comment": "A's first words"}).content.decode()
    hidden = re.search(
        r'<input type="hidden" id="q-D1-5-comment-loaded" name="q-D1.5-comment-loaded" value="([^"]*)" hx-swap-oob="true">', saved
    )
    assert hidden and hidden.group(1) == "A&#x27;s first words"
    level = respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-level": "dk"}).content.decode()
    assert 'id="q-D1-5-level-loaded" name="q-D1.5-level-loaded" value="dk" hx-swap-oob="true"' in level
    # What the browser holds after swapping those in; then tab B writes a newer comment.
    tab_a.update(
        {
            "q-D1.5-comment": "A's first words",
            "q-D1.5-comment-loaded": "A's first words",
            "q-D1.5-level": "dk",
            "q-D1.5-level-loaded": "dk",
        }
    )
    respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-comment": "B's newer words"})
    response = respondent.post(page_url(open_round, "D1"), tab_a)
    assert response.status_code == 302  # nothing changed on tab A's side: no conflict to report
    assert stored(org, open_round, "D1.5") == (None, "B's newer words", "")
