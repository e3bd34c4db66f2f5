"""Faults survived: database connections cut under the application (PostgreSQL)."""

import psycopg
import pytest
from django.db import close_old_connections, connection

from tests.conftest import require_service


@pytest.mark.django_db(transaction=True)
def test_cut_database_connections_do_not_break_the_next_request(org, client_for):
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL)", False)
    client = client_for(org.members_by_role["facilitator"])
    assert client.get(f"/o/{org.slug}/").status_code == 200
    settings = connection.settings_dict
    # Another session kills every backend of the test database, ours included.
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True
    ) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [settings["NAME"]],
        ).fetchone()[0]
    assert killed >= 1
    # What Django's request handler does as each request starts (the test client skips it): with
    # CONN_HEALTH_CHECKS the dead persistent connection is found unusable, closed, and reopened.
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        connection.health_check_done = False
        close_old_connections()
        assert client.get(f"/o/{org.slug}/").status_code == 200
        assert client.get(f"/o/{org.slug}/members/").status_code == 200
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
