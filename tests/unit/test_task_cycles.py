"""Tasks call services; services never import tasks, not even through another module.

A service that needs work done later enqueues it by its dotted name through the outbox
(`outbox.enqueue("assessments.tasks.send_participant_link", …)`), which imports the task only
when a worker runs it. So `app.tasks -> app.services` is the only direction, and no import circle
ties the two modules together (issue #14).
"""

import grimp
import pytest

APPS = ("assessments", "organisations", "reports")
PACKAGES = (
    "cxgov",
    "accounts",
    "organisations",
    "audit",
    "outbox",
    "assessments",
    "roadmaps",
    "measurement",
    "benchmarks",
    "reports",
    "sharing",
    "privacy",
)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


@pytest.mark.parametrize("app", APPS)
def test_services_reach_no_task_module(graph, app):
    assert graph.find_shortest_chain(importer=f"{app}.services", imported=f"{app}.tasks") is None


@pytest.mark.parametrize("app", APPS)
def test_tasks_call_services(graph, app):
    assert graph.direct_import_exists(importer=f"{app}.tasks", imported=f"{app}.services")
