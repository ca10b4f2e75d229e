"""Opening hours around the lunch break and across midnight (local time, UTC+7)."""
from datetime import datetime

import pytest

from geo.opening_hours import OFFICE_HOURS, is_open, validate_hours
from store import LOCAL_TZ

NIGHT_SHIFT = {"fri": [["22:00", "02:00"]], "sat": [["08:00", "12:00"]]}


def at(day: int, hh: int, mm: int = 0) -> datetime:
    """23 Nov 2026 is a Monday: day 0 = Monday."""
    return datetime(2026, 11, 23 + day, hh, mm, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("when,expected", [
    (at(0, 7, 29), False), (at(0, 7, 30), True), (at(0, 11, 29), True), (at(0, 11, 30), False),
    (at(0, 12, 45), False), (at(0, 13, 30), True), (at(0, 16, 59), True), (at(0, 17, 0), False),
    (at(5, 9, 0), True), (at(5, 14, 0), False), (at(6, 9, 0), False),
])
def test_office_hours_with_lunch_break(when, expected):
    assert is_open(OFFICE_HOURS, when) is expected


@pytest.mark.parametrize("when,expected", [
    (at(4, 21, 59), False), (at(4, 22, 0), True), (at(4, 23, 59), True),
    (at(5, 0, 30), True), (at(5, 1, 59), True), (at(5, 2, 0), False), (at(5, 9, 0), True),
    (at(6, 1, 0), False),  # Saturday's hours do not cross midnight
])
def test_an_interval_across_midnight(when, expected):
    assert is_open(NIGHT_SHIFT, when) is expected


def test_utc_instants_are_read_in_vietnam_time():
    from datetime import timezone
    assert is_open(OFFICE_HOURS, datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)) is True  # 08:00 local
    assert is_open(OFFICE_HOURS, datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)) is False  # 12:00 local


def test_unknown_and_invalid_hours():
    assert is_open(None, at(0, 9)) is None
    with pytest.raises(ValueError):
        validate_hours({"monday": []})
    with pytest.raises(ValueError):
        validate_hours({"mon": [["07:30"]]})
