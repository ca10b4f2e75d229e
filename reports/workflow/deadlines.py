"""Due times counted in working hours (Asia/Ho_Chi_Minh) with a calendar of public holidays.

Default rules (configurable through :class:`DeadlineRules`):
- acknowledge within 8 working hours of receipt;
- ``urgent``: resolved within 4 working hours of receipt;
- ``normal``: answered within 24 hours (on the clock) of the transfer to the officer;
- ``complex``: within 10 working days of receipt.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays

from settings import CITY
from store import LOCAL_TZ

OFFICE_DAY = CITY.office_hours  # Huế's 07:30–11:30 and 13:30–17:00 unless OFFICE_HOURS says otherwise
HOLIDAY_YEARS = range(2020, 2051)


def public_holidays(years=HOLIDAY_YEARS) -> frozenset:
    """Vietnam's public holidays from the ``holidays`` library: the Labour Code's (2019, art. 112), Tết
    and the Hùng Kings' day by the lunar calendar every year, and the days off the government moves
    (a new release of the library brings each year's notice; ``HOLIDAYS`` adds any it lacks)."""
    return frozenset(holidays.country_holidays("VN", years=years))


VN_HOLIDAYS = public_holidays()


@dataclass(frozen=True)
class WorkCalendar:
    """Working intervals Monday–Friday and the holidays on which nobody works."""

    day: tuple = OFFICE_DAY
    workdays: frozenset = frozenset(range(5))
    holidays: frozenset = frozenset(VN_HOLIDAYS)

    def is_workday(self, d: date) -> bool:
        return d.weekday() in self.workdays and d not in self.holidays

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant ``hours`` working hours after ``start`` (aware; returned in local time)."""
        remaining = timedelta(hours=hours)
        current = start.astimezone(LOCAL_TZ)
        while True:
            if self.is_workday(current.date()):
                for begin, end in self.day:
                    begin_at = datetime.combine(current.date(), begin, LOCAL_TZ)
                    end_at = datetime.combine(current.date(), end, LOCAL_TZ)
                    if current >= end_at:
                        continue
                    current = max(current, begin_at)
                    if current + remaining <= end_at:
                        return current + remaining
                    remaining -= end_at - current
                    current = end_at
            current = datetime.combine(current.date() + timedelta(days=1), time(0), LOCAL_TZ)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """End of the working day ``days`` working days after ``start``'s day."""
        current = start.astimezone(LOCAL_TZ).date()
        while days > 0:
            current += timedelta(days=1)
            days -= self.is_workday(current)
        return datetime.combine(current, self.day[-1][1], LOCAL_TZ)


@dataclass(frozen=True)
class DeadlineRules:
    acknowledge_working_hours: float = 8
    urgent_working_hours: float = 4
    normal_hours_after_transfer: float = 24
    complex_working_days: int = 10
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def acknowledge_by(self, received_at: datetime, priority: str | None = None) -> datetime:
        """Acknowledged within 8 working hours, and an urgent report no later than it must be resolved:
        the acknowledgement is never due after the answer."""
        due = self.calendar.add_working_hours(received_at, self.acknowledge_working_hours)
        if priority == "urgent":
            return min(due, self.resolve_by(priority, received_at))
        return due

    def resolve_by(self, priority: str, received_at: datetime, assigned_at: datetime | None = None) -> datetime:
        if priority == "urgent":
            return self.calendar.add_working_hours(received_at, self.urgent_working_hours)
        if priority == "complex":
            return self.calendar.add_working_days(received_at, self.complex_working_days)
        start = assigned_at or received_at  # provisional until the transfer to an officer
        due = start.astimezone(LOCAL_TZ) + timedelta(hours=self.normal_hours_after_transfer)
        # Never before the acknowledgement is due: a report received on Friday evening is acknowledged
        # on Monday, so its answer cannot fall due on Saturday (the desk once showed exactly that).
        return max(due, self.acknowledge_by(received_at))


DEFAULT_RULES = DeadlineRules()


def rules_with_holidays(extra: str, days_off=()) -> DeadlineRules:
    """Rules whose calendar adds the comma-separated ISO dates of ``extra`` (the HOLIDAYS setting) and
    ``days_off`` (the days an administrator added: ``DayOff``)."""
    dates = {date.fromisoformat(d.strip()) for d in extra.split(",") if d.strip()}
    return DeadlineRules(calendar=WorkCalendar(holidays=frozenset(VN_HOLIDAYS | dates | set(days_off))))

