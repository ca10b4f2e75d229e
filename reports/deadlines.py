"""When an answer is due: hours after the report is received, by priority."""
from datetime import datetime, timedelta

DEADLINE_HOURS = {"urgent": 24, "normal": 72, "complex": 240}


def deadline_for(priority: str, received_at: datetime) -> datetime:
    return received_at + timedelta(hours=DEADLINE_HOURS.get(priority, DEADLINE_HOURS["normal"]))
