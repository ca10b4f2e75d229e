"""Opening hours of service points: per weekday, several intervals (lunch breaks), local time.

``{"mon": [["07:30", "11:30"], ["13:30", "17:00"]], ..., "sun": []}``. An interval whose end is not
after its start crosses midnight (``["22:00", "02:00"]``): its tail belongs to the next morning.
Times are Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
"""
from datetime import datetime, time

from store import LOCAL_TZ

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Typical hours of a ward's public administrative service centre (Mon–Fri, Saturday morning).
OFFICE_HOURS = {d: [["07:30", "11:30"], ["13:30", "17:00"]] for d in DAYS[:5]} | {
    "sat": [["07:30", "11:30"]], "sun": []}


def _parse(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours) % 24, int(minutes))


def validate_hours(hours: dict) -> dict:
    """Return ``hours`` if well formed, else raise ``ValueError`` saying what is wrong."""
    if not isinstance(hours, dict) or set(hours) - set(DAYS):
        raise ValueError(f"opening hours must map {', '.join(DAYS)} to intervals")
    for day, intervals in hours.items():
        for interval in intervals:
            if len(interval) != 2:
                raise ValueError(f"{day}: an interval is [open, close]")
            for value in interval:
                _parse(value)
    return hours


def is_open(hours: dict | None, at: datetime) -> bool | None:
    """Open at ``at`` (aware datetime)? ``None`` when the hours are unknown."""
    if not hours:
        return None
    local = at.astimezone(LOCAL_TZ)
    now = local.time()
    today, yesterday = DAYS[local.weekday()], DAYS[(local.weekday() - 1) % 7]
    for start, end in (tuple(map(_parse, i)) for i in hours.get(today, [])):
        if (start < end and start <= now < end) or (end <= start and now >= start):
            return True
    for start, end in (tuple(map(_parse, i)) for i in hours.get(yesterday, [])):
        if end <= start and now < end:  # the overnight tail of yesterday's interval
            return True
    return False


def hours_as_text(hours: dict | None) -> dict[str, str]:
    """``{"mon": "07:30-11:30, 13:30-17:00", ..., "sun": ""}``: what a form shows (empty: closed)."""
    return {day: ", ".join(f"{a}-{b}" for a, b in (hours or {}).get(day, [])) for day in DAYS}


def hours_from_text(texts: dict[str, str]) -> dict:
    """The reverse of :func:`hours_as_text`; ``ValueError`` naming the day when a line is not
    ``HH:MM-HH:MM[, HH:MM-HH:MM]``."""
    hours = {}
    for day in DAYS:
        intervals = []
        for part in filter(None, (p.strip() for p in (texts.get(day) or "").split(","))):
            bounds = [b.strip() for b in part.split("-")]
            if len(bounds) != 2:
                raise ValueError(f"{day}: write intervals as 07:30-11:30, 13:30-17:00")
            try:
                start, end = (_parse(b).strftime("%H:%M") for b in bounds)
            except (ValueError, TypeError):
                raise ValueError(f"{day}: {part!r} is not HH:MM-HH:MM") from None
            intervals.append([start, end])
        hours[day] = intervals
    return validate_hours(hours)
