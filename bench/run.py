"""Runs every benchmark at full size and writes bench/results.json and the figures table of bench/README.md."""

import importlib
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.harness import setup_django  # noqa: E402

BENCHMARKS = [
    "bench.questionnaire",
    "bench.results",
    "bench.roadmap",
    "bench.workshop",
    "bench.benchmarks",
    "bench.measurement",
    "bench.pdf",
]
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def main() -> None:
    teardown = setup_django()
    results: dict = {}
    try:
        for module in BENCHMARKS:
            figures = importlib.import_module(module).run()
            for name, figure in figures.items():
                print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
            results.update(figures)
    finally:
        teardown()
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from django.db import connection

    lines = [
        START,
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, Python {platform.python_version()}, {connection.vendor}.",
        "",
        "| figure | value | target |",
        "| --- | --- | --- |",
    ]
    for name, figure in results.items():
        target = (
            "—"
            if figure["target"] is None
            else f"{'≤' if figure['better'] == 'lower' else '≥'} {figure['target']} {figure['unit']}"
        )
        lines.append(f"| {name} | {figure['value']} {figure['unit']} | {target} |")
    lines.append(END)
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
