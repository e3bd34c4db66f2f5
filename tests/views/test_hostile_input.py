"""Hostile input on every form: NUL bytes, integers beyond 32 and 64 bits, 100,000-character strings
and emoji, posted by a facilitator of a seeded organisation into every field of every form (and htmx
endpoint and CSV import) the pages offer. Nothing may answer 5xx and no NUL byte may be stored.

The walker reuses the URL resolver walk of test_isolation, so a new page is covered without anyone
remembering to add it here. Run it on PostgreSQL too (the `services` variant): PostgreSQL refuses
NUL bytes in text, where SQLite stores them silently.
"""

import contextlib
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client

from accounts.models import User
from tests.conftest import require_service
from tests.views.test_isolation import all_routes, fill, world  # noqa: F401  (world is a fixture)

HOSTILE = {
    "nul": "a\x00b",
    "int32": str(2**31),
    "int64": str(2**63),
    "huge": str(10**30),
    "negative_huge": str(-(10**30)),
    "long": "x" * 100_000,
    "emoji": "🎯🚀👩🏽‍💼" * 3,
}
# Values tried one field at a time (the others keep what the page offered), so a view that stops at
# its first bad field still has each later field checked.
PER_FIELD = ("nul", "int64")
PER_FIELD_LIMIT = 10
SKIPPED_ROUTES = ("admin/", "accounts/logout/")


class FormParser(HTMLParser):
    """Collects every POST target of a page with the field names and default values it sends."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.targets = []  # (url, {name: default}, has_file)
        self.form = None
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = {"url": a.get("action") or self.page_url, "fields": {}, "file": False}
            self.targets.append(self.form)
        name = a.get("name")
        if "hx-post" in a:
            fields = {name: a.get("value", "")} if name else {}
            if a.get("hx-vals"):
                with contextlib.suppress(ValueError):
                    fields.update({k: str(v) for k, v in json.loads(a["hx-vals"]).items()})
            target = {"url": a["hx-post"], "fields": dict(self.form["fields"]) if self.form else {}, "file": False, "htmx": True}
            target["fields"].update(fields)
            self.targets.append(target)
        if self.form is None or not name:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form["file"] = True
                self.form["fields"].setdefault(name, None)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or name not in self.form["fields"]:
                    self.form["fields"][name] = a.get("value", "on")
            elif kind != "submit" or name not in self.form["fields"]:
                self.form["fields"][name] = a.get("value", "")
        elif tag == "textarea":
            self.form["fields"][name] = ""
        elif tag == "select":
            self.select = name
            self.form["fields"].setdefault(name, "")
        elif tag == "button" and a.get("value") is not None:
            self.form["fields"].setdefault(name, a["value"])
        if tag == "option" and self.select and self.form["fields"].get(self.select) == "":
            self.form["fields"][self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def hostile_csv(value):
    return SimpleUploadedFile(
        "hostile.csv", f"metric,period,value\nnps,2026-01,{value}\n{value},{value},{value}\n".encode(), "text/csv"
    )


def stored_nul_bytes():
    """Every text or JSON value in the database that holds a NUL byte, as 'model.field'.

    Read in Python: SQLite's LIKE stops at a NUL in the pattern, so ``__contains="\\x00"`` would
    match every row there.
    """
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            for value in model._default_manager.values_list(field.attname, flat=True).iterator():
                # JSON writes a NUL as the escape \u0000.
                text = json.dumps(value).replace("\\u0000", "\x00") if isinstance(field, models.JSONField) else value
                if text and "\x00" in text:
                    found.append(f"{model._meta.label}.{field.name}")
                    break
    return found


def discover(client, values):
    """Opens every page of the organisation and returns the distinct POST targets with their fields."""
    targets, seen = [], set()
    for route in all_routes():
        if route.startswith(SKIPPED_ROUTES) or "<uidb64>" in route:
            continue
        url = fill(route, values)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = FormParser(url)
        parser.feed(response.content.decode())
        for target in parser.targets:
            # One form per kind of object is enough: the 25 initiatives share their forms.
            shape = re.sub(r"\d+", "N", target["url"])
            key = (shape, tuple(sorted(re.sub(r"\d+", "N", name) for name in target["fields"])))
            if key not in seen and not target["url"].startswith("/accounts/logout"):
                seen.add(key)
                targets.append(target)
    return targets


def payload(target, overrides):
    data = {}
    for name, default in target["fields"].items():
        value = overrides.get(name, default)
        if value is None:  # a file field: a CSV of the same hostile value
            value = hostile_csv(overrides.get(name, next(iter(overrides.values()), "x")) or "x")
        data[name] = value
    return data


def hammer(client, target):
    """Posts hostile values into every field of one target; returns the requests that failed with 5xx."""
    failures = []
    names = [n for n in target["fields"] if n != "csrfmiddlewaretoken"]
    attempts = [(label, dict.fromkeys(names, value)) for label, value in HOSTILE.items()]
    for label in PER_FIELD:
        attempts += [(f"{label} in {name}", {name: HOSTILE[label]}) for name in names[:PER_FIELD_LIMIT]]
    for label, overrides in attempts:
        for htmx in (False, True) if target.get("htmx") else (False,):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.post(target["url"], payload(target, overrides), **headers)
            if response.status_code >= 500:
                failures.append(f"POST {target['url']} ({label}{', htmx' if htmx else ''}): {response.status_code}")
    return failures


def open_round_values(closed_round):
    from assessments.models import RoundStatus
    from assessments.services import participant_invite, round_create

    consultant = User.objects.get(email="consultant@demo.test")
    round_ = round_create(
        organisation=closed_round.organisation, user=consultant, framework=closed_round.framework, title="Ouvert"
    )
    participant = participant_invite(round_=round_, email=consultant.email, function="cxo").participant
    round_.status = RoundStatus.OPEN
    round_.save()
    return {"round_id": round_.pk, "participant_id": participant.pk}


def run_walk(seeded):
    # A crash must come back as a 500 to count, not stop the walk at the first one.
    consultant = Client(raise_request_exception=False)
    consultant.force_login(User.objects.get(email="consultant@demo.test"))
    targets = discover(consultant, seeded["values"])
    # The seeded round is closed; an open one in which the facilitator takes part adds the
    # questionnaire's pages (autosave, choices, forwarding a question).
    targets += discover(consultant, seeded["values"] | open_round_values(seeded["round"]))
    assert len(targets) > 25, [t["url"] for t in targets]
    failures = []
    for target in targets:
        failures += hammer(consultant, target)
    assert not failures, "\n".join(sorted(set(failures)))
    assert stored_nul_bytes() == []


@pytest.mark.timeout(1500)
@pytest.mark.django_db
def test_hostile_values_in_every_form_never_give_5xx_nor_store_nul(world):  # noqa: F811
    if connection.vendor == "postgresql":
        pytest.skip("walked by test_hostile_values_on_postgresql (a transaction per request there)")
    run_walk(world)


@pytest.mark.services
@pytest.mark.timeout(1500)
@pytest.mark.django_db(transaction=True)  # a database error must not poison the requests after it
def test_hostile_values_on_postgresql(world):  # noqa: F811
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    run_walk(world)


# ------------------------------------------------------------------ what the walk found on PostgreSQL
#
# A NUL byte in a hand-read value reached a query: the comment of an answer was stored with it
# (a 500 on PostgreSQL, a NUL kept on SQLite), and an owner's or a question's key was looked up with
# it (a 500 on PostgreSQL). Each is checked here quickly, on both databases.


def nul_cases(client_for, org, open_round, closed_round_items):
    from assessments.models import Answer

    respondent = client_for(org.members_by_role["facilitator"])
    url = f"/o/{org.slug}/rounds/{open_round.pk}/answer/save/D1.1/"
    response = respondent.post(url, {"q-D1.1-level": "3", "q-D1.1-comment": "a\x00b"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    answer = Answer.objects.get(
        participant__round=open_round, participant__user=org.members_by_role["facilitator"], question__key="D1.1"
    )
    assert answer.level == 3
    assert answer.comment == "ab"
    assert stored_nul_bytes() == []
    # A NUL in the path names no page.
    assert respondent.post(f"/o/{org.slug}/rounds/{open_round.pk}/answer/save/D1%001/", {"q-D1.1-level": "2"}).status_code == 404
    round_, item = closed_round_items
    consultant = Client(raise_request_exception=False)
    consultant.force_login(User.objects.get(email="consultant@demo.test"))
    owner = consultant.post(f"/o/demo-retail/rounds/{round_.pk}/roadmap/items/{item.pk}/owner/", {"owner": "c\x00xo"})
    assert owner.status_code < 500
    workshop = consultant.post(
        f"/o/demo-retail/rounds/{round_.pk}/workshop/D1/consensus/", {"question": "D1.1\x00", "level": "3"}
    )
    assert workshop.status_code < 500


@pytest.fixture
def closed_round_items(framework):
    from io import StringIO

    from django.core.management import call_command

    from assessments.models import Round
    from roadmaps.models import RoadmapItem

    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    return round_, RoadmapItem.objects.filter(round=round_).first()


@pytest.mark.django_db
def test_nul_bytes_in_hand_read_values_are_removed_before_any_query(client_for, org, open_round, closed_round_items):
    nul_cases(client_for, org, open_round, closed_round_items)


@pytest.mark.services
@pytest.mark.django_db
def test_nul_bytes_in_hand_read_values_on_postgresql(client_for, org, open_round, closed_round_items):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    nul_cases(client_for, org, open_round, closed_round_items)


def huge_counts_cases():
    """A KPI value whose every other field is valid, with one count beyond what a column holds."""
    consultant = Client(raise_request_exception=False)
    consultant.force_login(User.objects.get(email="consultant@demo.test"))
    url = "/o/demo-retail/measurement/values/new/"
    base = {
        "metric": "nps",
        "period": "2026-03",
        "value": "",
        "source": "survey",
        "promoters": "5",
        "passives": "3",
        "detractors": "2",
    }
    cases = [("n", {"metric": "retention_rate", "value": "80", "promoters": "", "passives": "", "detractors": ""})]
    cases += [(name, {}) for name in ("promoters", "passives", "detractors")]
    cases += [("resolved", {"metric": "fcr", "value": "", "promoters": "", "passives": "", "detractors": "", "n": "10"})]
    # Each count within a column, but their total (the sample size) beyond it.
    top = str(2**31 - 1)
    response = consultant.post(url, base | {"promoters": top, "passives": top, "detractors": top})
    assert response.status_code < 500 and "invalid-feedback" in response.content.decode()
    for name, changes in cases:
        for huge in (2**31, 2**63, 10**30):
            response = consultant.post(url, base | changes | {name: str(huge)})
            assert response.status_code < 500, (name, huge, response.status_code)
            if response.status_code == 200:
                assert "invalid-feedback" in response.content.decode(), (name, huge)


@pytest.mark.django_db
def test_counts_beyond_a_column_are_refused_next_to_the_field(closed_round_items):
    huge_counts_cases()


@pytest.mark.services
@pytest.mark.django_db
def test_counts_beyond_a_column_on_postgresql(closed_round_items):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    huge_counts_cases()
