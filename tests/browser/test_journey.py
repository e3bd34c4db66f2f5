"""The whole journey in a browser: a facilitator runs a round from creation to the PDF (in English)."""

from playwright.sync_api import expect

from .conftest import login


def _answer_everything_but_d1(round_, email, offset):
    """The other answers, given through the service layer so the test stays fast; D1 goes through the UI."""
    from assessments import services
    from assessments.models import Participant

    participant = Participant.objects.get(round=round_, user__email=email)
    for question in round_.framework.questions.exclude(dimension__key="D1"):
        level = 1 + (question.position + offset) % 5
        services.answer_save(participant=participant, question=question, values={"level": level})


def test_round_to_pdf(browser, live_server, demo, artifacts):
    from accounts.models import User
    from assessments.models import Round

    User.objects.filter(email__in=["consultant@demo.test", "respondent1@demo.test"]).update(language="en")
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = facilitator.new_page()
    login(page, live_server, "consultant@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/new/")
    page.fill("input[name=title]", "Journey 2027")
    page.get_by_role("button", name="Create the round").click()
    for email, function in (("respondent1@demo.test", "cxo"), ("respondent2@demo.test", "cfo"), ("respondent3@demo.test", "cmo")):
        page.fill("input[name=email]", email)
        page.select_option("select[name=function]", function)
        page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The round is open")).to_be_visible()
    round_ = Round.objects.get(title="Journey 2027")

    # One respondent answers D1 in the browser; everyone's other answers come from the service layer.
    respondent_context = browser.new_context()
    respondent = respondent_context.new_page()
    login(respondent, live_server, "respondent1@demo.test")
    respondent.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/answer/D1/")  # the dimension page
    for i in range(1, 6):
        respondent.click(f"label[for=q-D1-{i}-l{1 + i % 5}]")
        expect(respondent.locator(f"#q-D1-{i}-status")).to_contain_text("Saved")
    for offset, email in enumerate(("respondent1@demo.test", "respondent2@demo.test", "respondent3@demo.test")):
        _answer_everything_but_d1(round_, email, offset)
    respondent_context.close()

    page.reload()
    page.get_by_role("button", name="Close the round").click()
    # D1 has one respondent: closing names the short dimension and needs an explicit override.
    expect(page.get_by_role("heading", name="Close the round with too few answers?")).to_be_visible()
    expect(page.locator(".cx-low-sample-dimensions")).to_contain_text("D1")
    page.get_by_label("Override: close the round anyway").check()
    page.get_by_role("button", name="Close the round").click()
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/results/targets/")
    expect(page.locator(".cx-low-sample")).to_contain_text("Low sample")
    page.select_option("select[name=target-D3]", "4")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_text("The targets have been saved.")).to_be_visible()

    # Closing proposed the RACI and generated the roadmap; the new target shows it as out of date.
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/roadmap/")
    expect(page.locator("svg.chart").first).to_be_visible()
    page.screenshot(path=str(artifacts / "journey-roadmap.png"), full_page=True)
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/raci/")
    expect(page.locator("#raci-violations")).to_contain_text("No error")
    # A second A in the budget row: the error shows at once, and publication is refused.
    accountable = page.locator("#raci-row-cx_budget select").evaluate_all(
        "els => els.filter(e => e.value === 'A').map(e => e.id)"
    )
    other = page.locator("#raci-row-cx_budget select").evaluate_all("els => els.filter(e => e.value !== 'A').map(e => e.id)")[0]
    page.select_option(f"#{other}", "A")
    expect(page.locator("#raci-violations [data-code=multiple_accountable]")).to_be_visible()
    page.screenshot(path=str(artifacts / "journey-raci-error.png"), full_page=True)
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("cannot be published")).to_be_visible()
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/raci/")
    page.select_option(f"#{other}", "C")
    expect(page.locator("#raci-violations")).to_contain_text("No error")
    assert accountable  # the proposal had its single A
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("The results are published")).to_be_visible()

    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/reports/")
    page.get_by_role("button", name="Generate the PDF").click()
    link = page.get_by_role("link", name="Download the PDF").first
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # Leave no page polling the live server once the test's database goes away.
    page.goto("about:blank")
    facilitator.close()
