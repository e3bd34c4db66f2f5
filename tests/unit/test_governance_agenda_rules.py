"""Which initiatives a steering meeting reviews, and under whose name (governance/domain/agenda.py)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from governance.domain.agenda import Initiative, due_lines, group_by_holder

MEETING, FOLLOWING = date(2027, 3, 2), date(2027, 4, 6)


def item(key, due, owner="cfo", status="planned"):
    return Initiative(key, key.title(), owner, status, due)


def test_overdue_and_due_before_the_following_meeting_only():
    items = [
        item("late", date(2027, 2, 28)),
        item("today", MEETING),
        item("soon", date(2027, 4, 5)),
        item("next_meeting", FOLLOWING),  # the following meeting reviews it
        item("later", date(2027, 9, 30)),
        item("done_late", date(2027, 1, 31), status="done"),
        item("dropped_late", date(2027, 1, 31), status="dropped"),
        item("started_late", date(2027, 1, 31), status="in_progress"),
    ]
    lines = due_lines(items, MEETING, FOLLOWING)
    assert [(line.initiative.key, line.overdue) for line in lines] == [
        ("started_late", True),
        ("late", True),
        ("today", False),
        ("soon", False),
    ]


def test_grouped_by_person_whatever_their_roles():
    lines = due_lines(
        [
            item("a", date(2027, 3, 10), owner="cfo"),
            item("b", date(2027, 3, 11), owner="coo"),
            item("c", date(2027, 3, 12), owner="cio"),
            item("d", date(2027, 3, 13), owner=None),
            item("e", date(2027, 3, 14), owner="ceo"),
        ],
        MEETING,
        FOLLOWING,
    )
    groups = group_by_holder(lines, role_order=["ceo", "cxo", "cfo", "coo", "cio"], holders={"cfo": "7", "coo": "7", "ceo": "1"})
    assert [(g.holder, g.roles, [line.initiative.key for line in g.lines]) for g in groups] == [
        ("1", ("ceo",), ["e"]),
        ("7", ("cfo", "coo"), ["a", "b"]),
        (None, ("cio",), ["c"]),  # a role nobody holds: its own group
        (None, (), ["d"]),  # no owner: last
    ]


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
            st.sampled_from(["planned", "in_progress", "done", "dropped"]),
            st.sampled_from(["ceo", "cfo", "coo", None]),
        ),
        max_size=30,
    )
)
def test_every_due_line_is_in_exactly_one_group(rows):
    items = [item(f"k{n}", due, owner, status) for n, (due, status, owner) in enumerate(rows)]
    lines = due_lines(items, MEETING, FOLLOWING)
    expected = {i.key for i in items if i.status in ("planned", "in_progress") and i.due_on < FOLLOWING}
    assert {line.initiative.key for line in lines} == expected
    groups = group_by_holder(lines, role_order=["ceo", "cfo", "coo"], holders={"cfo": "1", "coo": "1"})
    grouped = [line.initiative.key for g in groups for line in g.lines]
    assert sorted(grouped) == sorted(expected)
