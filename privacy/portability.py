"""An organisation's data as one JSON document, and back into another instance (new ids, same content).

References are rewritten so that nothing depends on the ids of the source database: people by
e-mail, framework rows by (framework key, version, item key), the organisation's own rows by their
position in the document.
"""

from django.apps import apps
from django.db import models, transaction

SCHEMA = "cxgov.organisation/1"

# (model label, the field linking it to its parent in the document). Order matters: parents first.
MODELS = [
    ("organisations.Membership", "organisation"),
    ("roadmaps.OrgRole", "organisation"),
    ("measurement.Measurement", "organisation"),
    ("benchmarks.OptIn", "organisation"),
    ("assessments.Round", "organisation"),
    ("assessments.Participant", "round"),
    ("assessments.Answer", "participant"),
    ("assessments.AnswerNote", "participant"),
    ("assessments.RaciAnswer", "participant"),
    ("assessments.ContextAnswer", "participant"),
    ("assessments.Delegation", "participant"),
    ("assessments.Consensus", "round"),
    ("assessments.ResultSnapshot", "round"),
    ("roadmaps.Target", "round"),
    ("roadmaps.Roadmap", "round"),
    ("roadmaps.RoadmapItem", "round"),
    ("roadmaps.RaciCell", "round"),
]
# Rows deliberately left out: pending invitations and sign-in links (secrets), generated PDFs
# (rendered again on demand) and logos (files; re-upload them).
# The audit log stays with the instance that recorded it. Benchmark rows are derived (rewritten when results are stored); share links only work with this
# instance's secret key.
SKIPPED = {"organisations.Invitation", "reports.Report", "benchmarks.DimensionResult", "sharing.ShareLink", "audit.AuditEvent"}
FRAMEWORK_MODELS = {"assessments.Framework", "assessments.Dimension", "assessments.Question", "assessments.ContextQuestion", "assessments.RaciActivity"}
# A round's engagement template belongs to the consulting firm, not to the client organisation.
NEVER_EXPORTED = {"id", "nonce", "logo", "template"}


class PortabilityError(Exception):
    pass


def _framework_ref(obj):
    if obj._meta.label == "assessments.Framework":
        return [obj.key, obj.version]
    return [obj.framework.key, obj.framework.version, obj.key]


def _framework_get(label, ref):
    model = apps.get_model(label)
    if label == "assessments.Framework":
        return model.objects.get(key=ref[0], version=ref[1])
    return model.objects.get(framework__key=ref[0], framework__version=ref[1], key=ref[2])


def _serialise(obj, refs: dict) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_EXPORTED:
            continue
        if isinstance(field, models.ForeignKey):
            target = getattr(obj, field.name)
            if target is None:
                row[field.name] = None
            elif field.related_model._meta.label == "accounts.User":
                row[field.name] = {"user": target.email}
            elif field.related_model._meta.label in FRAMEWORK_MODELS:
                row[field.name] = {"framework": _framework_ref(target)}
            else:
                row[field.name] = {"ref": refs[(field.related_model._meta.label, target.pk)]}
        else:
            value = field.value_from_object(obj)
            if value is None or isinstance(field, models.JSONField):
                row[field.name] = value
            else:
                row[field.name] = field.value_to_string(obj)
    return row


def export_organisation(organisation) -> dict:
    """Every row of the organisation, its people (e-mail, name, language) and their roles."""
    from organisations.models import Organisation

    refs: dict = {("organisations.Organisation", organisation.pk): "organisation"}
    doc: dict = {"schema": SCHEMA, "organisation": _serialise(organisation, refs), "people": {}, "rows": {}}
    people = {}
    for label, parent in MODELS:
        model = apps.get_model(label)
        parent_model = model._meta.get_field(parent).related_model
        parent_ids = [pk for (lab, pk) in refs if lab == parent_model._meta.label]
        rows = []
        for index, obj in enumerate(model.objects.filter(**{f"{parent}__in": parent_ids}).order_by("pk")):
            refs[(label, obj.pk)] = f"{label}:{index}"
            rows.append(_serialise(obj, refs))
            for field in obj._meta.concrete_fields:
                if isinstance(field, models.ForeignKey) and field.related_model._meta.label == "accounts.User":
                    user = getattr(obj, field.name)
                    if user is not None:
                        people[user.email] = {"full_name": user.full_name, "language": user.language}
        doc["rows"][label] = rows
    doc["people"] = people
    assert isinstance(organisation, Organisation)
    return doc


@transaction.atomic
def import_organisation(doc: dict, *, slug: str | None = None):
    """Creates the organisation and everything in it; people are matched by e-mail (created without a password)."""
    from accounts.models import User
    from organisations.models import Organisation

    if doc.get("schema") != SCHEMA:
        raise PortabilityError(f"expected schema {SCHEMA}")
    values = dict(doc["organisation"])
    values["slug"] = slug or values["slug"]
    if Organisation.objects.filter(slug=values["slug"]).exists():
        raise PortabilityError(f"an organisation with the short name {values['slug']!r} already exists")
    users = {}
    for email, person in doc["people"].items():
        user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(email=email, password=None, **person)
        users[email] = user
    objects = {"organisation": _build(Organisation, values, {}, users)}
    for label, _parent in MODELS:
        model = apps.get_model(label)
        for index, row in enumerate(doc["rows"].get(label, [])):
            objects[f"{label}:{index}"] = _build(model, row, objects, users)
    return objects["organisation"]


def _build(model, row: dict, objects: dict, users: dict):
    kwargs = {}
    for field in model._meta.concrete_fields:
        if field.name not in row:
            continue
        value = row[field.name]
        if isinstance(field, models.ForeignKey):
            if value is None:
                kwargs[field.name] = None
            elif "user" in value:
                kwargs[field.name] = users[value["user"]]
            elif "framework" in value:
                kwargs[field.name] = _framework_get(field.related_model._meta.label, value["framework"])
            else:
                kwargs[field.name] = objects[value["ref"]]
        elif isinstance(field, models.JSONField):
            kwargs[field.name] = value
        else:
            kwargs[field.name] = field.to_python(value) if value is not None else None
    if "nonce" in {f.name for f in model._meta.concrete_fields}:
        from organisations.tokens import new_nonce

        kwargs["nonce"] = new_nonce()
    obj = model(**kwargs)
    obj.save(force_insert=True)
    # auto_now fields were overwritten on save: put the exported values back.
    stamps = {f.name: kwargs[f.name] for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    stamps = {k: v for k, v in stamps.items() if v is not None}
    if stamps:
        model.objects.filter(pk=obj.pk).update(**stamps)
    return obj
