"""Report statuses: an explicit state machine, each status typed open or closed (Open311's view)."""
from reports.errors import IllegalTransition

OPEN, CLOSED = "open", "closed"
STATUS_TYPES = {
    "received": OPEN, "accepted": OPEN, "assigned": OPEN, "in_progress": OPEN, "reopened": OPEN,
    "resolved": CLOSED, "rejected": CLOSED, "closed": CLOSED,
}
OPEN_STATUSES = tuple(s for s, t in STATUS_TYPES.items() if t == OPEN)
REJECTION_REASONS = ("not_responsible", "duplicate", "invalid")

TRANSITIONS = {
    "received": {"accepted", "assigned", "in_progress", "resolved", "rejected"},
    "accepted": {"assigned", "in_progress", "resolved", "rejected"},
    "assigned": {"in_progress", "resolved", "rejected"},
    "in_progress": {"resolved", "rejected"},
    "reopened": {"accepted", "assigned", "in_progress", "resolved", "rejected"},
    "resolved": {"reopened", "closed"},
    "rejected": {"reopened", "closed"},
    "closed": set(),
}


def check_transition(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, set()):
        raise IllegalTransition(f"a report cannot go from {current} to {new}")
