"""Browser: the facilitator reads the demo results; screenshots of the summary and alignment pages."""

from playwright.sync_api import expect

from .conftest import login


def test_summary_and_alignment_pages(page, live_server, demo, artifacts):
    from assessments.models import Round

    round_ = Round.objects.get(organisation__slug="demo-retail")
    login(page, live_server, "consultant@demo.test")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/results/")
    expect(page.get_by_role("heading", name="Synthèse")).to_be_visible()
    expect(page.locator("svg.chart-radar")).to_be_visible()
    page.screenshot(path=str(artifacts / "results-summary.png"), full_page=True)
    page.get_by_role("link", name="Alignement", exact=True).click()
    expect(page.locator("svg.chart-heatmap")).to_be_visible()
    page.screenshot(path=str(artifacts / "results-alignment.png"), full_page=True)
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/results/dimensions/D3/")
    expect(page.locator("svg.chart-distribution").first).to_be_visible()
    page.screenshot(path=str(artifacts / "results-dimension.png"), full_page=True)
