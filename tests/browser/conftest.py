"""Playwright drives Debian's chromium (no browser download); screenshots go to test-artifacts/."""

import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason="needs Debian's chromium (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def login(page, live_server, email, password="cxgov-demo"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].w-100")


@pytest.fixture
def open_demo_round(demo):
    from accounts.models import User
    from assessments import services
    from assessments.models import Framework
    from organisations.models import Organisation

    organisation = Organisation.objects.get(slug="demo-retail")
    round_ = services.round_create(
        organisation=organisation,
        user=User.objects.get(email="consultant@demo.test"),
        framework=Framework.objects.get(key="cx-governance", version="1.0"),  # the demo round's version
        title="Pulse CX",
    )
    services.participant_invite(round_=round_, email="respondent1@demo.test", function="cxo")
    round_.status = "open"
    round_.save()
    return round_
