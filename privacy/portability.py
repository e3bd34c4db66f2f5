"""An organisation's data as one JSON document, and back into another instance (new ids, same content).

References are rewritten so that nothing depends on the ids of the source database: people by
e-mail, framework rows by (framework key, version, item key), the organisation's own rows by their
position in the document. Files (the logo) travel as base64 data, never as a storage name.

An import trusts nothing in the file: the whole document is checked first against the export's
own schema, built from the same models and rules as the export (only exported fields, their
types, lengths and choices, references that point inside the document), and refused whole, with
every problem named by its JSON path, before anything is written. Ids are never read; people
get only an e-mail, a name and a language (no staff or superuser flag); a logo is re-encoded as
the settings form does.

A file this product wrote stays importable after its models move on: a row in an older shape of
the same schema id is rewritten to today's before the check (``_upgrade_legacy``), exactly as the
migration that moved the database did (RACI cells with reason texts, roadmaps 0003).
"""

import base64
import binascii
import json
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import DatabaseError, models, transaction

from accounts.models import User
from assessments.domain.snapshot import Results, SnapshotError
from cxgov import schema
from cxgov.tokens import new_nonce
from governance.models import SteeringRhythm
from governance.services import uid_new
from organisations.models import Organisation
from organisations.services import LOGO_MAX_BYTES, logo_reencode
from roadmaps.legacy_reasons import CURRENT_FIELDS, LEGACY_FIELDS, upgraded

SCHEMA = "cxgov.organisation/1"

# (model label, the field linking it to its parent in the document). Order matters: parents first.
MODELS = [
    ("organisations.Membership", "organisation"),
    ("roadmaps.OrgRole", "organisation"),
    ("roadmaps.OrgActivity", "organisation"),
    ("measurement.Measurement", "organisation"),
    ("benchmarks.OptIn", "organisation"),
    ("assessments.Round", "organisation"),
    ("assessments.Participant", "round"),
    ("assessments.Answer", "participant"),
    ("assessments.AnswerNote", "participant"),
    ("assessments.RaciAnswer", "participant"),
    ("assessments.RaciLetter", "participant"),
    ("assessments.ContextAnswer", "participant"),
    ("assessments.DimensionImportance", "participant"),
    ("assessments.Delegation", "participant"),
    ("assessments.Consensus", "round"),
    ("assessments.ResultSnapshot", "round"),
    ("roadmaps.Target", "round"),
    ("roadmaps.Roadmap", "round"),
    ("roadmaps.RoadmapItem", "round"),
    ("roadmaps.RaciCell", "round"),
    ("governance.RoleHolder", "organisation"),
    ("governance.SteeringRhythm", "round"),
    ("governance.Decision", "round"),
]
# Rows deliberately left out: pending invitations (and what they say of a round) and sign-in links (secrets) and generated PDFs
# (rendered again on demand).
# The audit log stays with the instance that recorded it. Benchmark rows are derived (rewritten when results are stored); share links only work with this
# instance's secret key.
SKIPPED = {
    "organisations.Invitation",
    "assessments.RoundInvitation",
    "reports.Report",
    "benchmarks.DimensionResult",
    "sharing.ShareLink",
    "audit.AuditEvent",
    # Which engagement template a round was started from: the template is the consulting firm's, not the client's.
    "workspace.RoundOrigin",
}
FRAMEWORK_MODELS = {
    "assessments.Framework",
    "assessments.Dimension",
    "assessments.Question",
    "assessments.ContextQuestion",
    "assessments.RaciActivity",
}
NEVER_EXPORTED = {"id", "nonce"}
PEOPLE_FIELDS = ("full_name", "language")


class PortabilityError(Exception):
    """The document was refused; ``problems`` names every problem with its JSON path."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def _target_label(field: models.ForeignKey) -> str:
    """The label of the model a foreign key points at.

    Django resolves a lazy target (a string, "self") to the model class when the app registry is
    ready, which it is whenever a row is exported or imported."""
    target = field.related_model
    assert not isinstance(target, str), f"{field} points at an unresolved model {target!r}"
    return target._meta.label


def _framework_ref(obj):
    if obj._meta.label == "assessments.Framework":
        return [obj.key, obj.version]
    return [obj.framework.key, obj.framework.version, obj.key]


def _framework_get(label, ref):
    model = apps.get_model(label)
    if label == "assessments.Framework":
        return model.objects.get(key=ref[0], version=ref[1])
    return model.objects.get(framework__key=ref[0], framework__version=ref[1], key=ref[2])


def _file_data(fieldfile) -> str | None:
    """A stored file's bytes as base64 (null when there is none, or when the file has gone from storage)."""
    if not fieldfile:
        return None
    try:
        with fieldfile.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except OSError:
        return None


def _serialise(obj, refs: dict) -> dict:
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_EXPORTED:
            continue
        if isinstance(field, models.ForeignKey):
            target = getattr(obj, field.name)
            if target is None:
                row[field.name] = None
            elif _target_label(field) == "accounts.User":
                row[field.name] = {"user": target.email}
            elif _target_label(field) in FRAMEWORK_MODELS:
                row[field.name] = {"framework": _framework_ref(target)}
            else:
                row[field.name] = {"ref": refs[(_target_label(field), target.pk)]}
        elif isinstance(field, models.FileField):
            row[field.name] = _file_data(getattr(obj, field.name))
        else:
            value = field.value_from_object(obj)
            if value is None or isinstance(field, models.JSONField):
                row[field.name] = value
            else:
                row[field.name] = field.value_to_string(obj)
    return row


def export_organisation(organisation) -> dict:
    """Every row of the organisation, its people (e-mail, name, language) and their roles."""
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
                if isinstance(field, models.ForeignKey) and _target_label(field) == "accounts.User":
                    user = getattr(obj, field.name)
                    if user is not None:
                        people[user.email] = {"full_name": user.full_name, "language": user.language}
        doc["rows"][label] = rows
    doc["people"] = people
    assert isinstance(organisation, Organisation)
    return doc


# ------------------------------------------------------------------------------------ the import's schema

_INDEXED_REF = re.compile(r"(?P<label>[\w.]+):(?P<index>\d{1,9})")


def exported_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in NEVER_EXPORTED]


def _clean_with(field):
    """A plain column's exported text (``value_to_string``) checked by the model field's own rules."""

    def rule(value):
        if not isinstance(value, str):
            return "expected a string"
        try:
            field.clean(field.to_python(value), None)
        except ValidationError as error:
            return " ".join(str(message) for message in error.messages)
        return None

    return rule


def _json_rule(field):
    """A JSON column holds the container its default is (a list or an object); one without a default, an object.

    Only the outer type is checked: the inner shape of a stored snapshot is the results code's own format."""
    default = field.default() if callable(field.default) else field.default
    expected = type(default) if isinstance(default, (list, dict)) else dict

    def rule(value):
        if not isinstance(value, expected):
            return "expected a list" if expected is list else "expected an object"
        return None

    return rule


def _snapshot_rule(value) -> str | None:
    """A results snapshot is read by every results page: it must be in the shape the results code writes.

    Checked here, with the rest of the document, so that a malformed file is refused before anything
    is written rather than failing later on the first page that reads it.
    """
    if not isinstance(value, dict):
        return "expected an object"
    try:
        Results.from_data(value)
    except SnapshotError as error:
        return f"not a results snapshot ({error.path or 'the document'}: {error.problem})"
    return None


class _Document:
    """What the row schemas need to know about the document: people, row counts, file contents, framework rows."""

    def __init__(self, doc):
        self.doc = doc  # as checked: older rows already in today's shape, what the import writes
        doc = doc if isinstance(doc, dict) else {}
        people = doc.get("people")
        self.people = set(people) if isinstance(people, dict) else set()
        rows = doc.get("rows") if isinstance(doc.get("rows"), dict) else {}
        self.counts = {label: len(rows[label]) if isinstance(rows.get(label), list) else 0 for label, _parent in MODELS}
        self.order = {label: position for position, (label, _parent) in enumerate(MODELS)}
        self.files: dict[str, ContentFile] = {}  # JSON path → re-encoded file, for the import
        self._framework_rows: dict = {}

    def user_rule(self, value):
        if not isinstance(value, str) or value not in self.people:
            return f"{value!r} is not one of the document's people"
        return None

    def ref_rule(self, target: str, label: str):
        def rule(value):
            if value == "organisation" and target == "organisations.Organisation":
                return None
            match = _INDEXED_REF.fullmatch(value) if isinstance(value, str) else None
            if match is None or match["label"] != target:
                return f"expected a reference to a {target} row of the document"
            if target not in self.order or self.order[target] > self.order.get(label, -1):
                return f"{value!r}: a {label} row cannot refer to a {target} row"
            if int(match["index"]) >= self.counts[target]:
                return f"{value!r}: the document has no such row"
            return None

        return rule

    def framework_rule(self, target: str):
        size = 2 if target == "assessments.Framework" else 3

        def rule(value):
            if (
                not isinstance(value, list)
                or len(value) != size
                or not all(isinstance(part, str) and len(part) <= 60 for part in value)
            ):
                return f"expected a list of {size} strings"
            key = (target, *value)
            if key not in self._framework_rows:
                try:
                    _framework_get(target, value)
                    self._framework_rows[key] = True
                except apps.get_model(target).DoesNotExist:
                    self._framework_rows[key] = False
            if not self._framework_rows[key]:
                return f"{value!r} is not in this instance's frameworks: import the framework first"
            return None

        return rule

    def file_rule(self, path: str):
        def rule(value):
            if not isinstance(value, str):
                return "expected base64 data"
            try:
                data = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return "is not base64 data"
            if len(data) > LOGO_MAX_BYTES:
                return f"is larger than {LOGO_MAX_BYTES // (1024 * 1024)} MB"
            try:
                self.files[path] = logo_reencode(ContentFile(data, name="logo"))
            except ValidationError as error:
                return " ".join(str(message) for message in error.messages)
            return None

        return rule


def _required(field) -> bool:
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return not (field.null or field.blank or field.has_default() or automatic or field.db_default is not models.NOT_PROVIDED)


def row_schema(model, label: str, document: _Document, path: str) -> schema.Obj:
    """The schema of one exported row of ``model``: one node per exported field, built from the field itself."""
    nodes: dict[str, schema.Node] = {}
    for field in exported_fields(model):
        common = {"null": field.null, "optional": not _required(field)}
        if isinstance(field, models.ForeignKey):
            target = _target_label(field)
            if target == "accounts.User":
                inner = {"user": schema.Check(document.user_rule)}
            elif target in FRAMEWORK_MODELS:
                inner = {"framework": schema.Check(document.framework_rule(target))}
            else:
                inner = {"ref": schema.Check(document.ref_rule(target, label))}
            nodes[field.name] = schema.Obj(inner, **common)
        elif isinstance(field, models.FileField):
            nodes[field.name] = schema.Check(document.file_rule(schema.child(path, field.name)), null=True, optional=True)
        elif (label, field.name) == ("assessments.ResultSnapshot", "data"):
            nodes[field.name] = schema.Check(_snapshot_rule, **common)
        elif isinstance(field, models.JSONField):
            nodes[field.name] = schema.Check(_json_rule(field), **common)
        else:
            nodes[field.name] = schema.Check(_clean_with(field), **common)
    return schema.Obj(nodes)


def _people_schema() -> schema.Map:
    def email_rule(value):
        try:
            validate_email(value)
        except ValidationError:
            return f"{value!r} is not an e-mail address"
        return None

    person = schema.Obj({name: schema.Check(_clean_with(User._meta.get_field(name))) for name in PEOPLE_FIELDS})
    return schema.Map(schema.All(schema.Str(max_length=254), schema.Check(email_rule)), person)


def _unique_groups(model) -> list[tuple[str, ...]]:
    """The field sets a model holds unique (single unique fields, unique constraints without a condition, unique_together)."""
    exported = {f.name for f in exported_fields(model)}
    groups: list[tuple[str, ...]] = [(f.name,) for f in exported_fields(model) if f.unique]
    groups += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    groups += [tuple(g) for g in model._meta.unique_together]
    return [g for g in groups if set(g) <= exported]


def _row_problems(doc: dict) -> list[str]:
    """What the schema of one row cannot see: duplicates of a unique set within the document, and self-references forward."""
    problems = []
    for label, _parent in MODELS:
        model = apps.get_model(label)
        rows = doc["rows"].get(label) or []
        for group in _unique_groups(model):
            first: dict = {}
            for index, row in enumerate(rows):
                key = json.dumps([row.get(name) for name in group], sort_keys=True)
                if key in first:
                    problems.append(f"rows[{label!r}][{index}]: same {', '.join(group)} as rows[{label!r}][{first[key]}]")
                else:
                    first[key] = index
        for field in exported_fields(model):
            if isinstance(field, models.ForeignKey) and field.related_model is model:
                for index, row in enumerate(rows):
                    match = _INDEXED_REF.fullmatch(str((row.get(field.name) or {}).get("ref", "")))
                    if match and int(match["index"]) >= index:
                        problems.append(f"rows[{label!r}][{index}].{field.name}: must refer to an earlier row")
    return problems


# ------------------------------------------------------------------------------------ older shapes

RACI_CELL = "roadmaps.RaciCell"


def _round_cxo_exists(doc: dict, ref) -> bool | None:
    """Whether the round a row refers to (``{"ref": "assessments.Round:N"}``) had a CXO; None when unknown.

    A reference that does not resolve is the schema's to report: here it only means "unknown"."""
    match = _INDEXED_REF.fullmatch(ref["ref"]) if isinstance(ref, dict) and isinstance(ref.get("ref"), str) else None
    rounds = doc["rows"].get("assessments.Round")
    if match is None or match["label"] != "assessments.Round" or not isinstance(rounds, list):
        return None
    index = int(match["index"])
    row = rounds[index] if index < len(rounds) else None
    if not isinstance(row, dict):
        return None
    try:
        return apps.get_model("assessments.Round")._meta.get_field("cxo_exists").to_python(row.get("cxo_exists"))
    except ValidationError:
        return None


def _upgrade_legacy(doc) -> tuple[Any, list[str]]:
    """The document with its older rows in today's shape, and the problems of the rows that cannot be read.

    A RACI cell exported before roadmaps 0003 carries its reason as text (``reason_fr``,
    ``reason_en``): it gets the code and parameters the migration would have given it
    (roadmaps/legacy_reasons.py, the same frozen texts and reading), using the cell's activity and
    whether its round, elsewhere in the document, had a CXO. A text matching nothing known leaves
    the cell without a reason, as the migration does. A row carrying both shapes, or a text that
    is not a string, is a problem. The caller's document is left as it is.
    """
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, dict):
        return doc, []
    cells = rows.get(RACI_CELL)
    if not isinstance(cells, list) or not any(isinstance(row, dict) and set(LEGACY_FIELDS) & row.keys() for row in cells):
        return doc, []
    problems = []
    new_cells = []
    for index, row in enumerate(cells):
        if not isinstance(row, dict) or not set(LEGACY_FIELDS) & row.keys():
            new_cells.append(row)
            continue
        path = schema.item(schema.child(schema.child("$", "rows"), RACI_CELL), index)
        unreadable = [
            f"{schema.child(path, name)}: expected a string"
            for name in LEGACY_FIELDS
            if name in row and not isinstance(row[name], str)
        ]
        if set(CURRENT_FIELDS) & row.keys():
            unreadable.insert(
                0,
                f"{path}: holds both a reason text of older exports ({', '.join(LEGACY_FIELDS)}) and a reason "
                f"code ({', '.join(CURRENT_FIELDS)}): keep one",
            )
        if unreadable:
            problems += unreadable
            # Without its old columns, so that the rest of the row is still checked and nothing is said twice.
            new_cells.append({name: value for name, value in row.items() if name not in LEGACY_FIELDS})
            continue
        new_cells.append(upgraded(row, cxo_exists=_round_cxo_exists(doc, row.get("round"))))
    return {**doc, "rows": {**rows, RACI_CELL: new_cells}}, problems


def validate_organisation(doc, *, slug: str | None = None) -> tuple[list[str], _Document]:
    """Every problem of the document (each with its JSON path), and what the import needs from the check.

    The check is of the document in today's shape (``document.doc``): the import writes that one."""
    nul = schema.nul_problems(doc)  # first, on their own, as schema.validate does: before anything reads the texts
    if nul:
        return nul, _Document(doc)
    doc, legacy_problems = _upgrade_legacy(doc)
    document = _Document(doc)
    rows = schema.Obj(
        {label: schema.List(row_schema(apps.get_model(label), label, document, "$"), optional=True) for label, _parent in MODELS},
        unknown="not something an organisation export holds",
    )
    shape = schema.Obj(
        {
            "schema": schema.Const(SCHEMA),
            "organisation": row_schema(Organisation, "organisations.Organisation", document, "organisation"),
            "people": _people_schema(),
            "rows": rows,
        }
    )
    problems = legacy_problems + schema.validate(shape, doc)
    if problems:
        return problems, document
    slug_field = Organisation._meta.get_field("slug")
    if slug is not None:
        problem = _clean_with(slug_field)(slug)
        if problem:
            return [f"--slug: {problem}"], document
    wanted = slug or doc["organisation"].get("slug")
    if Organisation.objects.filter(slug=wanted).exists():
        problems.append(
            f"{'--slug' if slug else 'organisation.slug'}: an organisation with the short name {wanted!r} already exists"
        )
    return problems + _row_problems(doc), document


@transaction.atomic
def import_organisation(doc: dict, *, slug: str | None = None):
    """Creates the organisation and everything in it; people are matched by e-mail (created without a password).

    Nothing is written unless the whole document is valid (PortabilityError lists every problem).
    """
    problems, document = validate_organisation(doc, slug=slug)
    if problems:
        raise PortabilityError(problems)
    doc = _fresh_calendar_identities(document.doc)
    values = dict(doc["organisation"])
    values["slug"] = slug or values["slug"]
    users = {}
    for email, person in doc["people"].items():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            # Only the exported fields: nothing in a file can make a staff member or a superuser.
            user = User.objects.create_user(email=email, password=None, **{name: person[name] for name in PEOPLE_FIELDS})
        users[email] = user
    try:
        objects = {"organisation": _build(Organisation, values, {}, users, document.files.get("organisation.logo"))}
        for label, _parent in MODELS:
            model = apps.get_model(label)
            for index, row in enumerate(doc["rows"].get(label, [])):
                objects[f"{label}:{index}"] = _build(model, row, objects, users, None)
    except DatabaseError as error:  # a rule only the database knows (a check constraint): still no traceback, nothing written
        raise PortabilityError([f"rows: refused by the database ({error})"]) from None
    return objects["organisation"]


STEERING_RHYTHM = "governance.SteeringRhythm"


def _fresh_calendar_identities(doc: dict) -> dict:
    """The document with a fresh calendar UID for each steering series whose UID this instance already holds.

    A series' UID is unique across the instance, not only within the document. Imported elsewhere
    (the organisation moves), a series keeps it, so the attendees' calendars go on updating the
    series they hold. Imported as a copy next to its original, it gets a new one — calendars would
    otherwise merge the two — and counts as never sent (``invited_sequence`` null): nothing is
    e-mailed from the copy, not even the agendas, until its facilitator sends its invitations.
    """
    rows = doc["rows"].get(STEERING_RHYTHM) or []
    taken = set(SteeringRhythm.objects.filter(uid__in=[row["uid"] for row in rows]).values_list("uid", flat=True))
    if not taken:
        return doc
    fresh = [{**row, "uid": uid_new(), "invited_sequence": None} if row["uid"] in taken else row for row in rows]
    return {**doc, "rows": {**doc["rows"], STEERING_RHYTHM: fresh}}


def _build(model, row: dict, objects: dict, users: dict, file: ContentFile | None):
    kwargs: dict[str, Any] = {}
    file_field = None
    for field in exported_fields(model):
        if field.name not in row:
            continue
        value = row[field.name]
        if isinstance(field, models.FileField):
            file_field = field
        elif isinstance(field, models.ForeignKey):
            if value is None:
                kwargs[field.name] = None
            elif "user" in value:
                kwargs[field.name] = users[value["user"]]
            elif "framework" in value:
                kwargs[field.name] = _framework_get(_target_label(field), value["framework"])
            else:
                kwargs[field.name] = objects[value["ref"]]
        elif isinstance(field, models.JSONField):
            kwargs[field.name] = value
        else:
            kwargs[field.name] = field.to_python(value) if value is not None else None
    if "nonce" in {f.name for f in model._meta.concrete_fields}:
        kwargs["nonce"] = new_nonce()
    with transaction.atomic():  # a savepoint, so a refused row leaves the outer transaction usable for the error
        obj = model(**kwargs)
        obj.save(force_insert=True)
    if file_field is not None and file is not None:
        # Stored under a name of our choosing, as the settings form does: never the file's own storage name.
        getattr(obj, file_field.name).save(f"{getattr(obj, 'slug', obj.pk)}.png", file, save=True)
    # auto_now fields were overwritten on save: put the exported values back.
    stamps = {
        f.name: kwargs[f.name]
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    stamps = {k: v for k, v in stamps.items() if v is not None}
    if stamps:
        model.objects.filter(pk=obj.pk).update(**stamps)
    return obj
