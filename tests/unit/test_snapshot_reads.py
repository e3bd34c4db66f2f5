"""Nobody reads the results snapshot with string keys any more (issue #14, item 5).

Every reader goes through ``ResultSnapshot.results`` (assessments/domain/snapshot.py): a new
``snapshot.data["scores"]["dimensions"]`` or ``row["unscored"]`` in the application code or a
template fails here, naming the file and line. Only the parser reads the document's keys, and only
``compute_results`` writes them.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "cxgov",
    "accounts",
    "organisations",
    "audit",
    "outbox",
    "assessments",
    "roadmaps",
    "measurement",
    "benchmarks",
    "workspace",
    "reports",
    "sharing",
    "privacy",
    "demo",
)

#: Keys that exist only in the results document (the generic "key", "dimensions", "questions" are left
#: out: framework documents and page contexts use them too; a reader reaching them through the
#: snapshot has to name one of these first, or ``snapshot.data``).
SNAPSHOT_KEYS = (
    "scores",
    "alignment",
    "distributions",
    "sample",
    "computed_at",
    "overall",
    "by_function",
    "perception_gaps",
    "unscored",
    "low_evidence",
    "dont_know_rate",
    "agreement",
    "consensus_level",
    "consensus_rationale",
    "contested",
    "sufficient",
    "stage",
    "score",
    "constraint",
)
_KEYS = "|".join(SNAPSHOT_KEYS)
PYTHON = re.compile(rf"""\[\s*["']({_KEYS})["']\s*\]|\.get\(\s*["']({_KEYS})["']|(snapshot\.data)\b""")
TEMPLATE = re.compile(rf"""(snapshot\.data)\b|\.data\.({_KEYS})\b""")

#: The parser and serialiser: the one module that reads the document's keys.
PARSER = "assessments/domain/snapshot.py"

#: (file, key) pairs that are not snapshot reads, each with why.
NOT_SNAPSHOT = {
    ("assessments/results.py", "consensus_rationale"),  # compute_results writes the document
    ("assessments/charts.py", "score"),  # the chart's own word for "Score"
    ("assessments/selectors.py", "contested"),  # the workshop's rows, computed live from the answers
    ("measurement/imports.py", "score"),  # a column of an imported KPI file
    ("roadmaps/legacy_reasons.py", "stage"),  # a group of the regex reading old RACI messages
    ("roadmaps/raci_messages.py", "stage"),  # a parameter of a RACI message
}


def snapshot_reads(path: Path, text: str, pattern: re.Pattern) -> list[str]:
    relative = path.relative_to(ROOT).as_posix()
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in pattern.finditer(line):
            key = next(group for group in match.groups() if group)
            if (relative, key) not in NOT_SNAPSHOT:
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path.relative_to(ROOT).as_posix() != PARSER:
                yield path


def test_no_application_code_reads_the_snapshot_by_string_keys():
    found = [hit for path in python_files() for hit in snapshot_reads(path, path.read_text(encoding="utf-8"), PYTHON)]
    assert not found, "read the results through ResultSnapshot.results (assessments/domain/snapshot.py):\n" + "\n".join(found)


def test_no_template_reads_the_snapshot_document():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert templates
    found = [hit for path in templates for hit in snapshot_reads(path, path.read_text(encoding="utf-8"), TEMPLATE)]
    assert not found, "pass typed results (snapshot.results) to templates:\n" + "\n".join(found)


def test_the_check_finds_the_reads_it_forbids():
    fake = ROOT / "roadmaps" / "fake.py"
    assert snapshot_reads(fake, 'rows = snapshot.data["scores"]["dimensions"]', PYTHON)
    assert snapshot_reads(fake, "if row['unscored'] or row['score'] is None:", PYTHON)
    assert snapshot_reads(fake, 'sample = data.get("sample")', PYTHON)
    assert snapshot_reads(fake, "rows = results.dimensions", PYTHON) == []
    page = ROOT / "templates" / "fake.html"
    assert snapshot_reads(page, "{% low_sample_caveat snapshot.data %}", TEMPLATE)
    assert snapshot_reads(page, "{{ round.snapshot.data.scores.overall.stage }}", TEMPLATE)
    assert snapshot_reads(page, "{% low_sample_caveat snapshot.results %}", TEMPLATE) == []
