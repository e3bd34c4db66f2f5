"""Browser journey of a facilitator: create a round, add participants, open it, follow progress."""

from playwright.sync_api import expect

from .conftest import login


def test_facilitator_creates_and_opens_a_round(page, live_server, demo, artifacts):
    from django.core import mail

    login(page, live_server, "consultant@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/")
    expect(page.get_by_role("link", name="Diagnostic CX 2026")).to_be_visible()
    page.get_by_role("link", name="Nouvelle campagne").click()
    page.fill("input[name=title]", "Diagnostic CX 2027")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_role("heading", name="Diagnostic CX 2027")).to_be_visible()
    for email, function in (("respondent1@demo.test", "cxo"), ("respondent2@demo.test", "cfo"), ("new.exec@demo.test", "coo")):
        page.fill("input[name=email]", email)
        page.select_option("select[name=function]", function)
        page.get_by_role("button", name="Ajouter", exact=True).click()
        # Members join the round at once; anyone else is invited and listed until they accept.
        listed = page.locator("tbody td" if email.startswith("respondent") else "li").filter(has_text=email)
        expect(listed.first).to_be_visible()
    # A form error keeps what was typed.
    page.fill("input[name=email]", "pas-une-adresse")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.locator("input[name=email]")).to_have_value("pas-une-adresse")
    page.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page.get_by_text("La campagne est ouverte")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["new.exec@demo.test", "respondent1@demo.test", "respondent2@demo.test"]
    page.screenshot(path=str(artifacts / "round-facilitator.png"), full_page=True)
