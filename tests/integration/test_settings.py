"""Production settings: refuse to start without SECRET_KEY, and pass `check --deploy` with no warning."""

import os
import subprocess
import sys

from django.conf import settings


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DJANGO_SETTINGS_MODULE": "cxgov.settings.production"}
    done = manage("check", env=env)
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


def test_production_passes_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "cxgov.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "cxgov.example",
    }
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout
