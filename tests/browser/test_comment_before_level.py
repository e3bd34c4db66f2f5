"""Browser: a comment typed before any level survives the click on a level (issue #13), on a phone."""

from playwright.sync_api import expect

from .conftest import login

PHONE = {"width": 390, "height": 844}


def test_comment_typed_then_level_clicked_is_there_after_a_reload(browser, live_server, open_demo_round, artifacts):
    from assessments.models import Answer, AnswerNote

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "respondent1@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D1/")
    card = page.locator("section.cx-question").first
    card.locator("summary").first.click()  # "Add a comment or an evidence link"
    comment = page.locator("#q-D1-1-comment")
    comment.click()
    page.keyboard.type("Personne ne porte la feuille de route CX")
    # At once, well within the autosave delay of the comment: the tap on a level is the next thing.
    page.locator("label[for='q-D1-1-l3']").tap()
    status = page.locator("#q-D1-1-status")
    expect(status).to_have_text("✓ Enregistré")  # whole text: the level saved last, after the comment
    # The page's "as loaded" values follow the autosaves (a later plain submit must not count them as its changes).
    expect(page.locator("#q-D1-1-comment-loaded")).to_have_value("Personne ne porte la feuille de route CX")
    expect(page.locator("#q-D1-1-level-loaded")).to_have_value("3")
    page.screenshot(path=str(artifacts / "questionnaire-comment-then-level.png"), full_page=False)

    page.reload()
    expect(page.locator("input[name='q-D1.1-level'][value='3']")).to_be_checked()
    expect(page.locator("#q-D1-1-comment")).to_have_value("Personne ne porte la feuille de route CX")
    answer = Answer.objects.get(participant__round=open_demo_round, question__key="D1.1")
    assert (answer.level, answer.comment) == (3, "Personne ne porte la feuille de route CX")
    assert not AnswerNote.objects.filter(participant__round=open_demo_round).exists()
    context.close()
