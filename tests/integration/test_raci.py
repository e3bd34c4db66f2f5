"""The to-be RACI: proposal, live validation through the grid (htmx and plain form), roles, the export."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments.models import RaciAnswer, Round
from roadmaps import services
from roadmaps.demo import seed_demo_roadmap
from roadmaps.exports import raci_errors, raci_export
from roadmaps.models import OrgRole, RaciCell, RoadmapItem
from roadmaps.raci_messages import cell_reason, reason_text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    seed_demo_roadmap(round_)
    return round_


@pytest.fixture
def facilitator(demo, client_for):
    from accounts.models import User

    return client_for(User.objects.get(email="consultant@demo.test"))


def raci_url(round_):
    return reverse("roadmaps:raci", args=[round_.organisation.slug, round_.pk])


def letter(round_, activity, role):
    cell = RaciCell.objects.filter(round=round_, activity=activity, role=role).first()
    return cell.letter if cell else ""


def accountable(round_, activity):
    return RaciCell.objects.get(round=round_, activity=activity, letter="A").role


def test_proposal_has_no_error_with_and_without_a_cxo(demo):
    assert raci_errors(demo) == []
    assert all(c.proposed and c.reason_code for c in RaciCell.objects.filter(round=demo))
    Round.objects.filter(pk=demo.pk).update(cxo_exists=False, cxo_reports_to="")
    demo.refresh_from_db()
    services.raci_propose(round_=demo)
    assert raci_errors(demo) == []
    assert accountable(demo, "cx_strategy") == "ceo"
    assert not RaciCell.objects.filter(round=demo, role="cxo").exists()


def test_a_second_a_shows_multiple_accountable_at_once_and_fixing_clears_it(demo, facilitator):
    owner = accountable(demo, "cx_budget")
    other = "ceo" if owner != "ceo" else "coo"
    was = letter(demo, "cx_budget", other)
    response = facilitator.post(raci_url(demo), {f"cell-cx_budget-{other}": "A", f"was-cx_budget-{other}": was}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    # The response swaps the row and the checks panel out of band, with the error named.
    assert 'id="raci-row-cx_budget"' in html and 'id="raci-violations"' in html and html.count('hx-swap-oob="true"') == 3
    assert 'data-code="multiple_accountable"' in html
    assert "cx-raci-error" in html
    assert letter(demo, "cx_budget", other) == "A"  # a draft with errors saves
    assert [e["code"] for e in raci_errors(demo)] == ["multiple_accountable"]
    # Fixing it clears the error.
    response = facilitator.post(raci_url(demo), {f"cell-cx_budget-{other}": was, f"was-cx_budget-{other}": "A"}, **HTMX)
    html = response.content.decode()
    assert 'data-code="multiple_accountable"' not in html and "cx-raci-error" not in html
    assert raci_errors(demo) == []


def test_every_violation_is_listed_with_a_code_and_both_languages(demo):
    owner = accountable(demo, "cx_metrics")
    doers = list(RaciCell.objects.filter(round=demo, activity="cx_metrics", letter="R").values_list("role", flat=True))
    violations = services.raci_set_cells(
        round_=demo, changes={("cx_metrics", owner): "", **{("cx_metrics", r): "C" for r in doers}, ("cx_budget", "ceo"): "A"}
    )
    codes = {(v.code, v.activity) for v in violations if v.severity == "error"}
    assert codes == {("no_accountable", "cx_metrics"), ("no_responsible", "cx_metrics"), ("multiple_accountable", "cx_budget")}
    for v in raci_export(demo)["to_be"]["violations"]:
        assert set(v) == {"severity", "code", "activity", "role", "message"}
        assert v["message"]["fr"] and v["message"]["en"]


def test_the_grid_works_without_javascript(demo, facilitator):
    page = facilitator.get(raci_url(demo)).content.decode()
    assert 'name="cell-cx_budget-ceo"' in page and 'name="was-cx_budget-ceo"' in page
    assert 'hx-post="' in page and 'hx-swap="none"' in page
    was = letter(demo, "cx_culture", "cio")
    new = "I" if was != "I" else "C"
    # A plain form posts every cell; only the ones that differ from what the page showed change.
    data = {f"cell-{c.activity}-{c.role}": c.letter for c in RaciCell.objects.filter(round=demo)}
    data.update({f"was-{c.activity}-{c.role}": c.letter for c in RaciCell.objects.filter(round=demo)})
    data.update({"cell-cx_culture-cio": new, "was-cx_culture-cio": was})
    services.raci_set_cell(round_=demo, activity="omnichannel", role="product", letter="I")  # someone else, meanwhile
    response = facilitator.post(raci_url(demo), data, follow=True)
    assert response.status_code == 200
    assert letter(demo, "cx_culture", "cio") == new
    assert letter(demo, "omnichannel", "product") == "I"  # not overwritten by the stale page
    cell = RaciCell.objects.get(round=demo, activity="cx_culture", role="cio")
    assert not cell.proposed and (cell.reason_code, cell.reason_params) == ("manual", {})


def test_bad_letter_and_frozen_round_are_refused_and_the_row_restored(demo, facilitator):
    response = facilitator.post(raci_url(demo), {"cell-cx_budget-ceo": "X", "was-cx_budget-ceo": ""}, **HTMX)
    assert response.status_code == 400 and 'id="raci-row-cx_budget"' in response.content.decode()
    from assessments import services as round_services

    round_services.round_transition(round_=demo, to="published")
    response = facilitator.post(raci_url(demo), {"cell-cx_budget-ceo": "I", "was-cx_budget-ceo": ""}, **HTMX)
    assert response.status_code == 409
    assert letter(demo, "cx_budget", "ceo") != "I"


def test_page_shows_as_is_votes_differences_and_reasons(demo, facilitator):
    page = facilitator.get(raci_url(demo)).content.decode()
    assert "cx-raci-diff" in page  # marketing is accountable for strategy today; the CXO will be
    cell = RaciCell.objects.get(round=demo, activity="cx_strategy", role="cxo")
    assert (cell.reason_code, cell.reason_params) == ("rule", {"table": "with_cxo", "activity": "cx_strategy"})
    with translation.override("fr"):  # the page's language; the words are the catalogue's
        assert escape(reason_text(cell_reason(cell))) in page
    assert 'title="' in page and "cx-raci-reasons" in page
    assert 'style="' not in page


def test_as_is_comes_from_votes_of_participants_still_counted(demo):
    doc = raci_export(demo)
    strategy = next(r for r in doc["as_is"] if r["activity"] == "cx_strategy")
    assert strategy == {
        "activity": "cx_strategy",
        "votes": {"cmo": 4, "cxo": 2, "ceo": 1},
        "nobody": 0,
        "dont_know": 1,
        "accountable": "cmo",
    }
    withdrawn = RaciAnswer.objects.filter(participant__round=demo, activity__key="cx_strategy", choice="cmo").first().participant
    withdrawn.withdrawn_at = withdrawn.invited_at
    withdrawn.save()
    strategy = next(r for r in raci_export(demo)["as_is"] if r["activity"] == "cx_strategy")
    assert strategy["votes"]["cmo"] == 3


def test_export_lists_non_empty_cells_with_reasons(demo):
    doc = raci_export(demo)
    assert {r["key"] for r in doc["roles"]} >= {"ceo", "cxo", "cmo", "cfo", "chro", "coo", "cio", "sales", "service", "product"}
    assert all(set(r) == {"key", "title", "hidden"} for r in doc["roles"])
    assert doc["to_be"]["cells"] and all(c["value"] in "RACI" for c in doc["to_be"]["cells"])
    assert all(
        set(c) == {"activity", "role", "value", "reason"} and c["reason"]["fr"] and c["reason"]["en"]
        for c in doc["to_be"]["cells"]
    )
    assert len(doc["to_be"]["cells"]) == RaciCell.objects.filter(round=demo).count()
    strategy = next(c for c in doc["to_be"]["cells"] if (c["activity"], c["role"]) == ("cx_strategy", "cxo"))
    assert strategy["reason"]["en"] == (
        "The CXO owns the CX vision and strategy; the CEO co-builds it and carries it in the executive committee."
    )


def test_roles_rename_add_hide_and_remove(demo, facilitator):
    org = demo.organisation
    roles_url = reverse("roadmaps:roles", args=[org.slug])
    assert facilitator.get(roles_url).status_code == 200
    # Add, with one language only (a key that is not one of the framework's roles).
    assert facilitator.post(roles_url, {"key": "ethics", "title_fr": "Direction de l'éthique"}).status_code == 302
    ethics = OrgRole.objects.get(organisation=org, key="ethics")
    assert (ethics.title_fr, ethics.title_en, ethics.hidden) == ("Direction de l'éthique", "Direction de l'éthique", False)
    assert facilitator.post(roles_url, {"key": "ethics", "title_fr": "Encore"}).status_code == 400  # duplicate key
    assert facilitator.post(roles_url, {"key": "nobody", "title_fr": "Personne"}).status_code == 400  # reserved
    # It appears in the grid; rename it.
    assert 'name="cell-cx_budget-ethics"' in facilitator.get(raci_url(demo)).content.decode()
    facilitator.post(reverse("roadmaps:role_edit", args=[org.slug, ethics.pk]), {"title_fr": "Éthique", "title_en": "Ethics"})
    ethics.refresh_from_db()
    assert (ethics.title_fr, ethics.title_en) == ("Éthique", "Ethics")
    # Unused: it can be removed.
    facilitator.post(reverse("roadmaps:role_remove", args=[org.slug, ethics.pk]))
    assert not OrgRole.objects.filter(pk=ethics.pk).exists()


def test_role_in_use_cannot_be_removed_but_can_be_hidden(demo, facilitator):
    org = demo.organisation
    cfo = OrgRole.objects.get(organisation=org, key="cfo")
    assert set(services.org_role_usage(cfo)) == {"letter", "owner", "function"}
    response = facilitator.post(reverse("roadmaps:role_remove", args=[org.slug, cfo.pk]), follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert OrgRole.objects.filter(pk=cfo.pk).exists()
    with pytest.raises(services.RoadmapError):
        services.org_role_remove(role=cfo)
    # A role that only owns an initiative by hand is in use too.
    extra = services.org_role_add(organisation=org, key="pmo", title_fr="PMO", title_en="PMO")
    services.roadmap_item_set_owner(item=RoadmapItem.objects.filter(round=demo).first(), role="pmo")
    assert services.org_role_usage(extra) == ["owner"]
    # Hiding the CFO: its letters stop counting, the rows it was accountable for lose their A, owners follow.
    cfo_items = list(RoadmapItem.objects.filter(round=demo, owner_role="cfo", owner_overridden=False))
    assert cfo_items
    facilitator.post(
        reverse("roadmaps:role_edit", args=[org.slug, cfo.pk]),
        {"title_fr": cfo.title_fr, "title_en": cfo.title_en, "hidden": "on"},
    )
    cfo.refresh_from_db()
    assert cfo.hidden
    assert "no_accountable" in {e["code"] for e in raci_errors(demo)}
    assert 'name="cell-cx_budget-cfo"' not in facilitator.get(raci_url(demo)).content.decode()
    for item in cfo_items:
        item.refresh_from_db()
        assert item.owner_role is None
    # Proposing again with the CFO hidden gives a valid RACI without it.
    services.raci_propose(round_=demo)
    assert raci_errors(demo) == []
    assert not RaciCell.objects.filter(round=demo, role="cfo").exists()


def test_roles_are_copied_from_the_framework_once(demo):
    org = demo.organisation
    keys = [r.key for r in services.org_roles_ensure(organisation=org)]
    assert keys == list(demo.framework.raci_roles.order_by("position").values_list("key", flat=True))
    OrgRole.objects.filter(organisation=org, key="product").update(title_en="Product & design")
    services.org_roles_ensure(organisation=org)
    assert OrgRole.objects.get(organisation=org, key="product").title_en == "Product & design"


def test_a_round_never_proposed_has_errors_for_publication(open_round):
    errors = raci_errors(open_round)
    assert {e["code"] for e in errors} == {"no_accountable", "no_responsible"}
    assert len(errors) == 2 * open_round.framework.raci_activities.count()


def test_the_whole_2_0_matrix_posts_as_the_page_sends_it(demo, facilitator):
    """The page posts every cell twice (letter, letter as loaded): 27 × 19 cells went past Django's 1,000 fields."""
    page = facilitator.get(raci_url(demo)).content.decode()
    form = page[page.index('id="raci-form"') :]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(was-[^"]+)" value="([^"]*)"', form):
        data[name] = value
        data["cell-" + name.removeprefix("was-")] = value
    assert len(data) > 1000, len(data)
    cell = RaciCell.objects.filter(round=demo, letter="C").order_by("pk").first()
    data[f"cell-{cell.activity}-{cell.role}"] = "I"
    response = facilitator.post(raci_url(demo), data)
    assert response.status_code == 302
    assert letter(demo, cell.activity, cell.role) == "I"
