"""Load profile: 50 participants autosaving every 3–8 s, 5 facilitators reading results every 5–10 s."""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["CXGOV_LOAD_PLAN"]).read_text())
SENT_LOG = Path(os.environ["CXGOV_LOAD_SENT"])
_participants = iter(PLAN["participants"])
_facilitators = iter(PLAN["facilitators"])
LAST_SENT: dict = {}


def _login(client, email):
    """Uses the session prepared for this user, then fetches a page to get the CSRF cookie."""
    client.cookies.set("sessionid", PLAN["sessions"][email])
    client.get(f"/o/{PLAN['slug']}/", name="home")
    return client.cookies.get("csrftoken")


class Participant(HttpUser):
    weight = 50
    wait_time = between(3, 8)

    def on_start(self):
        self.email = next(_participants)
        self.csrf = _login(self.client, self.email)
        self.rng = random.Random(self.email)

    @task
    def autosave(self):
        key = self.rng.choice(PLAN["questions"])
        level = str(self.rng.randint(1, 5))
        url = f"/o/{PLAN['slug']}/rounds/{PLAN['round_id']}/answer/save/{key}/"
        with self.client.post(
            url,
            {f"q-{key}-level": level},
            headers={"X-CSRFToken": self.csrf, "HX-Request": "true", "Referer": self.client.base_url},
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                LAST_SENT[(self.email, key)] = int(level)
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class Facilitator(HttpUser):
    weight = 5
    wait_time = between(5, 10)

    def on_start(self):
        _login(self.client, next(_facilitators))

    @task
    def read_results(self):
        self.client.get(f"/o/{PLAN['slug']}/rounds/{PLAN['closed_round_id']}/results/", name="results")


@events.quitting.add_listener
def _save_last_sent(environment, **kwargs):
    SENT_LOG.write_text(json.dumps([[email, key, level] for (email, key), level in LAST_SENT.items()]))
