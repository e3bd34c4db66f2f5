"""Claims against evidence on a real round (issue #18): the fixtures the issue asks for, and where the
claims show (results, workshop, PDF, export) and "cap by evidence", which changes a score only when on."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Framework, Round, RoundStatus
from measurement.claims import round_claims
from measurement.domain.metrics import Period
from measurement.services import MeasurementInput, measurement_save
from reports.builders import build_report_data
from reports.exports import build_export
from reports.rendering import render_html

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def months_back(n: int) -> Period:
    """The month ``n`` months before this one (the round closes now: its window ends this month)."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return Period(index // 12, "month", index % 12 + 1)


def nps(org, period: Period, *, counts: bool):
    """An NPS of +20: with the counts behind it (a sample size of 200), or as a bare value."""
    data = (
        MeasurementInput("nps", period, promoters=80, passives=80, detractors=40)
        if counts
        else MeasurementInput("nps", period, value=20)
    )
    measurement_save(organisation=org, user=None, data=data)


def value(org, metric: str, period: Period, amount, n=None):
    measurement_save(organisation=org, user=None, data=MeasurementInput(metric, period, value=amount, n=n))


@pytest.fixture
def round_2(org):
    framework = Framework.objects.get(key="cx-governance", version="2.0")
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Round 2.0"
    )
    for role, function in ROLES:
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def answer_all(round_, org, key, level):
    question = round_.framework.questions.get(key=key)
    for role, _function in ROLES:
        Answer.objects.create(participant=round_.participants.get(user=org.members_by_role[role]), question=question, level=level)


@pytest.fixture
def measured_4(round_2, org):
    """The committee rates Measurement 4: D7.2 (sample sizes, noise) and D7.3 (relationship and interactions)."""
    answer_all(round_2, org, "D7.2", 4)
    answer_all(round_2, org, "D7.3", 4)
    return round_2


def close(round_):
    services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    return round_


def claim(round_, key):
    return round_claims(round_).for_question(key).claim


def score(round_, key):
    round_.refresh_from_db()
    return next(q for q in round_.snapshot.results.questions if q.key == key).score


# --------------------------------------------------------------------------- the fixtures


def test_measurement_claimed_4_with_an_nps_lacking_its_sample_size_is_flagged(measured_4, org):
    nps(org, months_back(2), counts=False)
    nps(org, months_back(1), counts=False)
    round_ = close(measured_4)
    c = claim(round_, "D7.2")
    assert (c.claimed, c.supported) == (4, 2)
    assert c.flags == ("over_claimed",)
    assert c.missing == ("customer_metric_sampled", "customer_metric_trend")


def test_measurement_claimed_4_with_n_and_two_periods_is_not_flagged(measured_4, org):
    nps(org, months_back(2), counts=True)
    nps(org, months_back(1), counts=True)
    round_ = close(measured_4)
    c = claim(round_, "D7.2")
    assert (c.claimed, c.supported, c.flags, c.missing) == (4, 5, (), ())
    # D7.3 at 4 also needs a transactional metric over two periods and a financial link.
    d73 = claim(round_, "D7.3")
    assert d73.flags == ("over_claimed",) and d73.supported == 2
    value(org, "csat", months_back(2), 81, n=300)
    value(org, "csat", months_back(1), 82, n=310)
    value(org, "retention_rate", months_back(1), 90)
    d73 = claim(round_, "D7.3")
    assert (d73.supported, d73.flags) == (5, ())


def test_values_older_than_twelve_months_are_no_evidence(measured_4, org):
    nps(org, months_back(14), counts=True)
    nps(org, months_back(13), counts=True)
    round_ = close(measured_4)
    assert claim(round_, "D7.2").supported == 2


def test_cap_by_evidence_changes_the_score_only_when_on(measured_4, org, client_for):
    nps(org, months_back(1), counts=False)
    round_ = close(measured_4)
    assert score(round_, "D7.2") == 4  # off by default: the claim is flagged, the score untouched
    assert claim(round_, "D7.2").over_claimed
    facilitator = client_for(org.members_by_role["facilitator"])
    url = reverse("assessments:round_edit", args=[org.slug, round_.pk])
    form = {"title": round_.title, "min_respondents": 3, "min_response_percent": 50}
    assert facilitator.post(url, {**form, "cap_by_evidence": "on"}).status_code == 302
    assert score(round_, "D7.2") == 2
    assert score(round_, "D7.1") is None  # unanswered: no score to cap
    # The claim still reads what the committee said, and says the score is capped.
    c = round_claims(Round.objects.get(pk=round_.pk)).for_question("D7.2")
    assert (c.claim.claimed, c.claim.supported, c.capped) == (4, 2, True)
    assert facilitator.post(url, form).status_code == 302  # unticked: off again
    assert score(round_, "D7.2") == 4


def test_with_the_evidence_the_cap_changes_nothing(measured_4, org):
    nps(org, months_back(2), counts=True)
    nps(org, months_back(1), counts=True)
    round_ = close(measured_4)
    before = round_.snapshot.data["scores"]
    round_.cap_by_evidence = True
    round_.save(update_fields=["cap_by_evidence"])
    services.results_store(round_=round_)
    round_.refresh_from_db()
    d72 = next(q for q in round_.snapshot.data["scores"]["questions"] if q["key"] == "D7.2")
    assert d72["score"] == 4
    assert round_.snapshot.data["scores"]["dimensions"] != before["dimensions"]  # D7.3 (supported 2) is capped


def test_only_a_facilitator_changes_the_option_and_not_once_published(measured_4, org, client_for):
    round_ = close(measured_4)
    url = reverse("assessments:round_edit", args=[org.slug, round_.pk])
    sponsor = client_for(org.members_by_role["sponsor"])
    assert sponsor.post(url, {"title": "x", "cap_by_evidence": "on"}).status_code == 403
    round_.refresh_from_db()
    assert not round_.cap_by_evidence
    round_.status = RoundStatus.PUBLISHED
    round_.save(update_fields=["status"])
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    page = facilitator.get(url).content.decode()
    assert 'name="cap_by_evidence"' in page and "Fixed while the results are published" in page
    facilitator.post(url, {"title": round_.title, "min_respondents": 3, "min_response_percent": 50, "cap_by_evidence": "on"})
    round_.refresh_from_db()
    assert not round_.cap_by_evidence


def test_turning_the_option_on_is_in_the_audit_log_and_said_once(measured_4, org, client_for):
    from assessments.evidence_cap import round_cap_by_evidence_set
    from audit.models import AuditEvent

    round_ = close(measured_4)
    facilitator = client_for(org.members_by_role["facilitator"])
    form = {"title": round_.title, "min_respondents": 3, "min_response_percent": 50, "cap_by_evidence": "on"}
    facilitator.post(reverse("assessments:round_edit", args=[org.slug, round_.pk]), form)
    changes = [c for e in AuditEvent.objects.filter(organisation=org, kind="round") for c in e.changes]
    assert [c for c in changes if c["field"] == "cap_by_evidence"] == [
        {"field": "cap_by_evidence", "before": False, "after": True}
    ]
    stored_at = Round.objects.get(pk=round_.pk).snapshot.computed_at
    assert round_cap_by_evidence_set(round_=round_, on=True) is False  # unchanged: the results are not stored again
    assert Round.objects.get(pk=round_.pk).snapshot.computed_at == stored_at


# --------------------------------------------------------------------------- where it shows


@pytest.fixture
def flagged(measured_4, org):
    nps(org, months_back(1), counts=False)
    return close(measured_4)


def test_the_results_page_shows_the_claim_next_to_the_question(flagged, org, client_for):
    client = client_for(english(org.members_by_role["viewer"]))
    flagged.status = RoundStatus.PUBLISHED
    flagged.save(update_fields=["status"])
    page = client.get(reverse("assessments:results_dimension", args=[org.slug, flagged.pk, "D7"])).content.decode()
    assert "claimed 4 · supported by the KPI register: 2" in page
    assert (
        "missing: a survey metric (NPS, CSAT, CES or first-contact resolution) with its sample size in the last 12 months" in page
    )
    assert 'data-cx-claim="D7.2"' in page and 'data-cx-claim="D7.6"' not in page  # D7.6 has no rule
    other = client.get(reverse("assessments:results_dimension", args=[org.slug, flagged.pk, "D1"])).content.decode()
    assert "data-cx-claim" not in other


def test_the_results_page_speaks_french_by_default(flagged, org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    page = client.get(reverse("assessments:results_dimension", args=[org.slug, flagged.pk, "D7"])).content.decode()
    assert "un indicateur d&#x27;enquête (NPS, CSAT, CES ou résolution au premier contact)" in page


def test_the_workshop_prompts_the_flagged_question(flagged, org, client_for):
    client = client_for(english(org.members_by_role["facilitator"]))
    page = client.get(reverse("assessments:workshop_dimension", args=[org.slug, flagged.pk, "D7"])).content.decode()
    assert "To discuss: the evidence" in page
    assert "the committee claims level 4; the KPI register supports 2 — missing: a survey metric" in page
    assert page.count("data-cx-claim=") == 2  # D7.2 and D7.3, both over-claimed


def test_the_pdf_has_a_claims_section(flagged):
    data = build_report_data(flagged, "en")
    rows = {r["question"]: r for r in data["claims"]["rows"]}
    assert rows["D7.2"]["claimed"] == 4 and rows["D7.2"]["supported"] == 2 and rows["D7.2"]["over_claimed"]
    assert rows["D7.2"]["text"].startswith("How are scores presented")
    html = render_html(data)
    assert "Claims against evidence" in html and "a survey metric (NPS, CSAT, CES or first-contact resolution)" in html


def test_a_round_without_rules_has_no_claims_anywhere(org, framework):
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="R")
    Framework.objects.filter(pk=framework.pk).update(version="0.9")  # no rules file for this version
    round_.refresh_from_db()
    round_.status = RoundStatus.OPEN
    round_.save()
    round_ = close(round_)
    assert round_claims(round_) is None
    assert "claims" not in build_report_data(round_, "en")
    assert build_export(round_)["claims"] == []


def test_the_export_lists_each_claim_with_its_flags_and_missing_keys(flagged):
    out = StringIO()
    call_command("export_assessment", str(flagged.pk), stdout=out)
    claims = {c["question"]: c for c in json.loads(out.getvalue())["claims"]}
    assert set(claims) == {"D7.2", "D7.3"}  # the scored questions with a rule
    assert claims["D7.2"] == {
        "question": "D7.2",
        "dimension": "D7",
        "claimed": 4,
        "supported": 2,
        "flags": ["over_claimed"],
        "missing": ["customer_metric_sampled", "customer_metric_trend"],
        "falling": [],
    }


def test_optimism_when_the_nps_fell_beyond_noise(measured_4, org):
    measurement_save(
        organisation=org, user=None, data=MeasurementInput("nps", months_back(2), promoters=500, passives=300, detractors=200)
    )
    measurement_save(
        organisation=org, user=None, data=MeasurementInput("nps", months_back(1), promoters=300, passives=300, detractors=400)
    )
    round_ = close(measured_4)
    c = claim(round_, "D7.2")
    assert c.flags == ("optimism",) and c.falling == ("nps",)
    assert build_export(round_)["claims"][0]["flags"] == ["optimism"]
