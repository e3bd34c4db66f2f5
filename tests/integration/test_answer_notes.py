"""Nothing typed on the questionnaire is dropped: a comment or a link is saved with or without a level."""

import pytest

from assessments.models import Answer, AnswerNote
from assessments.results import compute_results
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db


def stored(org, round_, key):
    """(level, comment, evidence) of the respondent's answer, or None without one."""
    answer = Answer.objects.filter(
        participant__round=round_, participant__user=org.members_by_role["respondent"], question__key=key
    ).first()
    return None if answer is None else (answer.level, answer.comment, answer.evidence_url)


def notes(round_):
    return AnswerNote.objects.filter(participant__round=round_)


def test_comment_typed_then_level_clicked_keeps_the_comment(org, open_round, respondent):
    typed = respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-comment": "Nobody owns the journey map"})
    assert typed.status_code == 200
    assert "Choisissez un niveau" in typed.content.decode() or "Choose a level" in typed.content.decode()
    assert stored(org, open_round, "D1.1") is None  # a comment alone is no answer (not even don't know)
    assert respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"}).status_code == 200
    assert stored(org, open_round, "D1.1") == (2, "Nobody owns the journey map", "")
    assert not notes(open_round).exists()
    page = respondent.get(page_url(open_round, "D1")).content.decode()
    assert "Nobody owns the journey map</textarea>" in page


def test_comment_typed_then_dont_know_keeps_the_comment(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-comment": "Ask the COO"})
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "dk"})
    assert stored(org, open_round, "D1.2") == (None, "Ask the COO", "")
    assert not notes(open_round).exists()


def test_comment_then_level_then_comment_edited(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-comment": "First thought"})
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-level": "4"})
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-comment": "Second thought"})
    assert stored(org, open_round, "D1.3") == (4, "Second thought", "")
    assert not notes(open_round).exists()


def test_link_alone_is_kept_and_follows_the_level(org, open_round, respondent):
    assert respondent.post(save_url(open_round, "D1.4"), {"q-D1.4-evidence": "https://intranet.acme.test/cx"}).status_code == 200
    respondent.post(save_url(open_round, "D1.4"), {"q-D1.4-comment": "See the charter"})
    note = notes(open_round).get()
    assert (note.comment, note.evidence_url) == ("See the charter", "https://intranet.acme.test/cx")
    respondent.post(save_url(open_round, "D1.4"), {"q-D1.4-level": "3"})
    assert stored(org, open_round, "D1.4") == (3, "See the charter", "https://intranet.acme.test/cx")


def test_note_alone_counts_nowhere_but_is_shown_back(org, open_round, respondent):
    respondent.post(save_url(open_round, "D2.1"), {"q-D2.1-comment": "Draft <b>idea</b>"})
    data = compute_results(open_round)
    assert data["distributions"]["D2.1"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "dk": 0}
    page = respondent.get(page_url(open_round, "D2")).content.decode()
    assert "Draft &lt;b&gt;idea&lt;/b&gt;</textarea>" in page
    assert 'aria-valuenow="0"' in page  # progress: still unanswered


def test_invalid_link_message_goes_next_to_the_field_and_nothing_is_lost(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-comment": "Kept"})
    refused = respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-evidence": "intranet/cx"})
    assert refused.status_code == 422
    content = refused.content.decode()
    # An out-of-band fragment replaces the message container right under the link field.
    assert 'id="q-D1-5-evidence-error" hx-swap-oob="true">' in content
    assert "http://" in content.split('id="q-D1-5-evidence-error"')[1]
    assert notes(open_round).get().comment == "Kept"
    fixed = respondent.post(save_url(open_round, "D1.5"), {"q-D1.5-evidence": "https://intranet.acme.test/cx"})
    assert 'id="q-D1-5-evidence-error" hx-swap-oob="true"></div>' in fixed.content.decode()  # the message is cleared
    # Without JavaScript: the page comes back with the typed text and the message under the field.
    plain = respondent.post(page_url(open_round, "D1"), {"q-D1.5-comment": "Kept", "q-D1.5-evidence": "intranet/other"})
    assert plain.status_code == 400
    page = plain.content.decode()
    assert 'value="intranet/other"' in page
    field = page.split('id="q-D1-5-evidence"')[1]
    assert (
        'id="q-D1-5-evidence-error">' in field and "http://" in field.split('id="q-D1-5-evidence-error">')[1].split("</div>")[0]
    )


def test_plain_submit_keeps_a_comment_without_level(org, open_round, respondent):
    response = respondent.post(page_url(open_round, "D3"), {"q-D3.1-comment": "Budget owned by marketing", "q-D3.2-level": "2"})
    assert response.status_code == 302
    assert notes(open_round).get().comment == "Budget owned by marketing"
    assert stored(org, open_round, "D3.2") == (2, "", "")
