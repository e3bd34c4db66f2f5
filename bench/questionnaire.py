"""Questionnaire screens and autosave: median server time and query count on a round of 50 questions × 40 respondents.

Two screens: the dimension page (five questions) and, since issue #15, the one-question screen that
phones open by default. Both stay within the same budget of 15 queries.
"""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import median_ms, setup_django


def run() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.fixtures import build_round

    round_, user = build_round(respondents=40, questions_per_dimension=5, slug="bench-q")
    client = Client()
    client.force_login(user)
    page = reverse("assessments:answer_page", args=["bench-q", round_.pk, "D3"])
    question = reverse("assessments:answer_question", args=["bench-q", round_.pk, "D3.2"])
    save = reverse("assessments:answer_save", args=["bench-q", round_.pk, "D3.2"])
    levels = iter(str(1 + i % 5) for i in range(10_000))

    def get_page():
        assert client.get(page).status_code == 200

    def get_question():
        assert client.get(question).status_code == 200

    def autosave():
        assert client.post(save, {"q-D3.2-level": next(levels)}).status_code == 200

    page_ms = median_ms(get_page)
    question_ms = median_ms(get_question)
    save_ms = median_ms(autosave)
    with CaptureQueriesContext(connection) as q_page:
        get_page()
    with CaptureQueriesContext(connection) as q_question:
        get_question()
    with CaptureQueriesContext(connection) as q_save:
        autosave()
    return {
        "questionnaire_page_time": {"value": page_ms, "unit": "ms", "target": None, "better": "lower"},
        "questionnaire_page_queries": {"value": len(q_page), "unit": "queries", "target": 15, "better": "lower"},
        "question_screen_time": {"value": question_ms, "unit": "ms", "target": None, "better": "lower"},
        "question_screen_queries": {"value": len(q_question), "unit": "queries", "target": 15, "better": "lower"},
        "autosave_time": {"value": save_ms, "unit": "ms", "target": None, "better": "lower"},
        # Data statements only: since issue #13 an autosave locks the round row, which needs a
        # transaction, and SQLite logs its BEGIN and COMMIT as statements of their own.
        "autosave_queries": {"value": _data_statements(q_save), "unit": "queries", "target": 6, "better": "lower"},
        "autosave_transaction_statements": {
            "value": len(q_save) - _data_statements(q_save),
            "unit": "statements",
            "target": None,
            "better": "lower",
        },
    }


def _data_statements(captured) -> int:
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return sum(1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(control))


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()
