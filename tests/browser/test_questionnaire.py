"""Browser journey: answer a whole dimension on a phone with the keyboard only, reload, find everything as left."""

from pathlib import Path

from playwright.sync_api import expect

from .conftest import login

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}


def axe_serious(page):
    # evaluate() runs through the DevTools protocol, so the page's strict CSP does not block axe.
    page.evaluate(AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result if v["impact"] in ("serious", "critical")
    ]


def tab_to(page, name, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"could not reach {name} with the keyboard")


def test_keyboard_only_answers_survive_a_reload(browser, live_server, open_demo_round, artifacts):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "respondent1@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D1/")  # the dimension page
    expect(page.get_by_role("heading", name="Stratégie et vision CX")).to_be_visible()
    wanted = {"D1.1": 3, "D1.2": 1, "D1.3": 5, "D1.4": 2, "D1.5": None}  # None: don't know
    for key, level in wanted.items():
        tab_to(page, f"q-{key}-level")
        page.keyboard.press("Space")  # checks the first card of the group
        presses = 5 if level is None else level - 1
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        expect(page.locator(f"#q-{key.replace('.', '-')}-status")).to_contain_text("Enregistré")
    expect(page.locator("[data-cx-progress]")).to_have_attribute("aria-valuenow", "5")
    page.screenshot(path=str(artifacts / "questionnaire-phone.png"), full_page=False)
    assert axe_serious(page) == []

    page.reload()
    for key, level in wanted.items():
        value = "dk" if level is None else str(level)
        expect(page.locator(f"input[name='q-{key}-level'][value='{value}']")).to_be_checked()
    expect(page.locator("[data-cx-progress]")).to_have_attribute("aria-valuenow", "5")
    expect(page.locator("#cx-progress-label")).to_contain_text("5")

    page.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/review/")
    expect(page.get_by_role("heading", name="Relire et envoyer")).to_be_visible()
    assert axe_serious(page) == []
    page.screenshot(path=str(artifacts / "questionnaire-review.png"), full_page=True)
    context.close()


def test_works_without_javascript(browser, live_server, open_demo_round):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "respondent1@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D2/")
    for i in range(1, 6):
        page.click(f"label[for=q-D2-{i}-l{i}]")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", name="Gouvernance, rôles et responsabilités CX")).to_be_visible()
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D2/")
    expect(page.locator("#q-D2-4-l4")).to_be_checked()
    context.close()
