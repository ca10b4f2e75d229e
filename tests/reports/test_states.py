"""The state machine: every legal transition works, every illegal one is refused."""
import itertools

import pytest

from reports.errors import IllegalTransition, InvalidReport
from reports.models import Report
from reports.states import OPEN_STATUSES, STATUS_TYPES
from reports.workflow.lifecycle import change_status

PAIRS = list(itertools.product(STATUS_TYPES, STATUS_TYPES))

# The allowed transitions, written out here rather than read from reports.states (a wrong entry there
# must turn a test red). Rows: from; columns: to (received, accepted, assigned, in_progress, resolved,
# rejected, reopened, closed).
ALLOWED = """
                rec acc asg inp res rej reo clo
    received     .   x   x   x   x   x   .   .
    accepted     .   .   x   x   x   x   .   .
    assigned     .   .   .   x   x   x   .   .
    in_progress  .   .   .   .   x   x   .   .
    reopened     .   x   x   x   x   x   .   .
    resolved     .   .   .   .   .   .   x   x
    rejected     .   .   .   .   .   .   x   x
    closed       .   .   .   .   .   .   .   .
"""
COLUMNS = ("received", "accepted", "assigned", "in_progress", "resolved", "rejected", "reopened", "closed")
LEGAL = {(row.split()[0], COLUMNS[i]) for row in ALLOWED.strip().splitlines()[1:]
         for i, mark in enumerate(row.split()[1:]) if mark == "x"}


def report_in(status: str) -> Report:
    return Report(status=status, events=[], location="SRID=4326;POINT(107.58 16.47)")


@pytest.mark.parametrize("current,new", sorted(LEGAL))
def test_legal_transitions(current, new):
    report = report_in(current)
    event = change_status(report, new, "officer@t.vn", reason="invalid" if new == "rejected" else None,
                          role="officer")
    assert report.status == new and (event.data["before"], event.data["after"]) == (current, new)


@pytest.mark.parametrize("current,new", [p for p in PAIRS if p not in LEGAL])
def test_illegal_transitions_are_refused(current, new):
    report = report_in(current)
    with pytest.raises(IllegalTransition):
        change_status(report, new, "officer@t.vn")
    assert report.status == current and report.events == []


def test_rejection_needs_a_known_reason():
    with pytest.raises(InvalidReport):
        change_status(report_in("received"), "rejected", "officer@t.vn", reason="because")


def test_every_status_is_typed_open_or_closed():
    assert set(STATUS_TYPES.values()) == {"open", "closed"}
    assert set(OPEN_STATUSES) == {"received", "accepted", "assigned", "in_progress", "reopened"}
    assert set(COLUMNS) == set(STATUS_TYPES) and len(LEGAL) == 23
