"""Load test against gunicorn (4 workers) and PostgreSQL for 2 minutes; then checks no answer was lost or stale.

python bench/load/run.py [--seconds 120]   (needs DATABASE_URL to a PostgreSQL server; prints p50/p95/p99/errors)
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must point to PostgreSQL", file=sys.stderr)
        return 2
    if not (VENV_BIN / "locust").exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-r", str(ROOT / "bench/load/requirements.txt")], check=True
        )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cxgov.settings.local", DEBUG="false", CXGOV_OPEN_SIGNUP="false")
    env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/cxgov_load"
    admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", "DROP DATABASE IF EXISTS cxgov_load"], check=True)
    subprocess.run(["psql", admin_url, "-qc", "CREATE DATABASE cxgov_load"], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    work = Path(tempfile.mkdtemp(prefix="cxgov-load-"))
    plan_path, sent_path = work / "plan.json", work / "sent.json"
    subprocess.run([*manage, "shell", "-c", PREPARE.replace("PLAN_PATH", str(plan_path))], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "cxgov.wsgi", "--workers", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env={**env, "DJANGO_SETTINGS_MODULE": "cxgov.settings.local", "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        prefix = work / "stats"
        subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless", "-u", "55", "-r", "10",
             "-t", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary"],
            env={**env, "CXGOV_LOAD_PLAN": str(plan_path), "CXGOV_LOAD_SENT": str(sent_path)},
            check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    with open(f"{prefix}_stats.csv") as handle:
        rows = {r["Name"]: r for r in csv.DictReader(handle)}
    total = rows["Aggregated"]
    figures = {
        "load_requests": int(total["Request Count"]),
        "load_errors": int(total["Failure Count"]),
        "load_p50_ms": float(total["50%"]),
        "load_p95_ms": float(total["95%"]),
        "load_p99_ms": float(total["99%"]),
    }
    for name in ("autosave", "results"):
        if name in rows:
            figures[f"load_{name}_p95_ms"] = float(rows[name]["95%"])
    check = subprocess.run(
        [*manage, "shell", "-c", VERIFY.replace("SENT_PATH", str(sent_path)).replace("PLAN_PATH", str(plan_path))],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures.update(json.loads(check.stdout.strip().splitlines()[-1]))
    print(json.dumps(figures, indent=2))
    (ROOT / "bench/load/results.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["load_errors"] == 0 and figures["lost_or_stale"] == 0 else 1


PREPARE = r"""
import json
from django.core.management import call_command
from accounts.models import User
from assessments.models import Framework, Round
from assessments import services
from organisations.models import Membership, Organisation
call_command("seed_demo", "--password", "load-test-pass", verbosity=0)
org = Organisation.objects.get(slug="demo-retail")
framework = Framework.objects.get(key="cx-governance", version="1.0")
closed = Round.objects.get(organisation=org, title="Diagnostic CX 2026")
round_ = services.round_create(organisation=org, user=User.objects.get(email="consultant@demo.test"), framework=framework, title="Load test")
participants = []
for i in range(50):
    email = f"load{i}@demo.test"
    user, _ = User.objects.get_or_create(email=email)
    user.set_password("load-test-pass"); user.save()
    services.participant_invite(round_=round_, email=email, function="other")
    participants.append(email)
facilitators = []
for i in range(5):
    email = f"facilitator{i}@demo.test"
    user, _ = User.objects.get_or_create(email=email)
    user.set_password("load-test-pass"); user.save()
    Membership.objects.update_or_create(user=user, organisation=org, defaults={"role": "facilitator"})
    facilitators.append(email)
round_.status = "open"; round_.save()
# Sessions are opened here: the load test measures the application, not password hashing at login.
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
def session_for(email):
    user = User.objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
sessions = {email: session_for(email) for email in participants + facilitators}
plan = {"slug": org.slug, "round_id": round_.pk, "closed_round_id": closed.pk, "password": "load-test-pass",
        "participants": participants, "facilitators": facilitators, "sessions": sessions,
        "questions": list(framework.questions.values_list("key", flat=True))}
open("PLAN_PATH", "w").write(json.dumps(plan))
"""

VERIFY = r"""
import json
from assessments.models import Answer
plan = json.load(open("PLAN_PATH"))
sent = json.load(open("SENT_PATH"))
stored = {(a.participant.user.email, a.question.key): a.level for a in Answer.objects.filter(participant__round_id=plan["round_id"]).select_related("participant__user", "question")}
bad = [(e, k, v, stored.get((e, k))) for e, k, v in sent if stored.get((e, k)) != v]
print(json.dumps({"answers_checked": len(sent), "lost_or_stale": len(bad)}))
"""

if __name__ == "__main__":
    sys.exit(main())
