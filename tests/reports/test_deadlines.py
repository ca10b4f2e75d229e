"""Deadlines in working hours: weekends, the lunch break, public holidays."""
from datetime import date, datetime, timedelta

import pytest

from reports.workflow.deadlines import DeadlineRules, WorkCalendar, rules_with_holidays
from store import LOCAL_TZ

CAL = WorkCalendar(holidays=frozenset())


def local(day, hh, mm=0, month=11):
    return datetime(2026, month, day, hh, mm, tzinfo=LOCAL_TZ)  # 23 Nov 2026 is a Monday


@pytest.mark.parametrize("start,hours,expected", [
    (local(23, 8), 2, local(23, 10)),                    # inside the morning
    (local(23, 10), 4, local(23, 16)),                   # 1.5 h before lunch, 2.5 h after
    (local(23, 12), 1, local(23, 14, 30)),               # received during lunch: starts at 13:30
    (local(23, 6), 1, local(23, 8, 30)),                 # before opening
    (local(27, 16), 2, local(30, 8, 30)),                # Friday afternoon → Monday morning
    (local(28, 10), 1, local(30, 8, 30)),                # Saturday → Monday
    (local(23, 17, 30), 7.5, local(24, 17)),             # after closing: a whole next day
])
def test_working_hours_across_lunch_and_weekends(start, hours, expected):
    assert CAL.add_working_hours(start, hours) == expected


def test_holidays_are_skipped():
    calendar = WorkCalendar(holidays=frozenset({local(24, 0).date()}))
    assert calendar.add_working_hours(local(23, 16), 2) == local(25, 8, 30)
    assert rules_with_holidays("2026-11-24").acknowledge_by(local(23, 16)) == \
        WorkCalendar(holidays=frozenset({local(24, 0).date()})).add_working_hours(local(23, 16), 8)


def test_tet_2026_is_a_default_holiday():
    rules = DeadlineRules()
    due = rules.acknowledge_by(datetime(2026, 2, 13, 16, 0, tzinfo=LOCAL_TZ))  # the Friday before Tết
    assert due == datetime(2026, 2, 23, 16, 30, tzinfo=LOCAL_TZ)  # 1 h on Friday, 7 h after the 9 days off


def test_rules_by_priority():
    rules = DeadlineRules(calendar=CAL)
    received, assigned = local(27, 15), local(30, 9)
    assert rules.acknowledge_by(received) == local(30, 15, 30)
    assert rules.resolve_by("urgent", received) == local(30, 9, 30)
    assert rules.resolve_by("normal", received, assigned) == local(1, 9, month=12)  # 24 h after the transfer
    assert rules.resolve_by("complex", received) == local(11, 17, month=12)  # 10 working days


@pytest.mark.parametrize("day", ["2027-02-08", "2028-01-26", "2029-02-13", "2030-02-04",  # Tết, on weekdays
                                 "2027-04-16", "2028-04-04", "2029-04-23", "2030-04-12"])  # Hùng Kings' day
def test_lunar_holidays_of_later_years_are_known(day):
    """Tết and the Hùng Kings' day move with the lunar calendar: the calendar knows them for years
    ahead (from the holidays library), not only the years someone typed in."""
    assert not WorkCalendar().is_workday(date.fromisoformat(day))
    assert WorkCalendar().is_workday(date.fromisoformat(day) + timedelta(days=14)) or \
        date.fromisoformat(day).weekday() >= 3  # two weeks later is an ordinary day (or a weekend)


def test_a_deadline_across_tet_2027():
    due = DeadlineRules().acknowledge_by(datetime(2027, 2, 3, 16, 0, tzinfo=LOCAL_TZ))  # the Wednesday before
    assert due == datetime(2027, 2, 11, 16, 30, tzinfo=LOCAL_TZ)  # 1 h then, 7 h after the days off (4–10 Feb)


@pytest.mark.parametrize("priority", ["urgent", "normal", "complex"])
@pytest.mark.parametrize("received", [local(27, 17, 30), local(23, 16), local(28, 9), local(23, 7, 0)])
def test_the_answer_is_never_due_before_the_acknowledgement(priority, received):
    """Friday evening, Saturday, before office hours: whatever the priority, the acknowledgement is
    due no later than the answer (the desk once showed "hạn tiếp nhận 08:00 · hạn trả lời 07:18")."""
    rules = DeadlineRules()
    assert rules.acknowledge_by(received, priority) <= rules.resolve_by(priority, received)
