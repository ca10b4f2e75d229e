"""The one clock: stored times are aware UTC (:func:`utcnow`); the city's time zone for what people read."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from settings import CITY

LOCAL_TZ = ZoneInfo(CITY.time_zone)  # the city's time (Vietnam: UTC+7, no daylight saving): deadlines, hours, digests


def utcnow() -> datetime:
    """Stored times are timezone-aware UTC (columns ``timestamptz``)."""
    return datetime.now(timezone.utc)
