"""Browser journey on a 390 px phone: removing an initiative asks first, by keyboard, and the Undo button brings it back."""

from playwright.sync_api import expect

from .conftest import login


def test_remove_an_initiative_confirm_by_keyboard_then_undo(page, live_server, demo, artifacts):
    from accounts.models import User
    from assessments.models import Round
    from roadmaps.models import RoadmapItem

    User.objects.filter(email="consultant@demo.test").update(language="en")
    round_ = Round.objects.get(organisation__slug="demo-retail")
    item = RoadmapItem.objects.filter(round=round_).order_by("position").first()
    row = RoadmapItem.objects.filter(pk=item.pk).values().get()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "consultant@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/roadmap/")
    page.locator(f"#item-{item.pk} + tr summary").click()
    page.locator(f"form[action$='/items/{item.pk}/remove/'] button").click()

    heading = page.get_by_role("heading", name=f"Remove the initiative “{item.title_en}”?")
    expect(heading).to_be_visible()
    expect(page.get_by_text("leaves the roadmap, with its dates, its owner and its status")).to_be_visible()
    # Fits the phone: nothing wider than the screen, the buttons stacked at full width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    confirm, cancel = page.get_by_role("button", name="Remove"), page.get_by_role("link", name="Cancel")
    assert confirm.bounding_box()["width"] > 300 and cancel.bounding_box()["y"] > confirm.bounding_box()["y"]
    page.screenshot(path=str(artifacts / "confirm-remove-initiative-390.png"), full_page=True)
    assert RoadmapItem.objects.filter(pk=item.pk).exists()

    # Keyboard only: focus the button and press Enter.
    confirm.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"The initiative “{item.title_en}” has been removed.")).to_be_visible()
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()
    undo = page.get_by_role("button", name="Undo")
    undo.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The initiative is back.")).to_be_visible()
    assert RoadmapItem.objects.filter(pk=item.pk).values().get() == row
