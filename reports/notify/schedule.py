"""Jobs that come at set times, enqueued by the worker's loop (at most once a minute): deadline
reminders every time, and at ``DIGEST_HOUR`` local time (Asia/Ho_Chi_Minh) the day's area-alert
digests, the ward leads' overdue digests and the administrators' reminder of requests about personal
data due soon. Deduplication keys make a repeated call harmless."""
from datetime import datetime, timedelta

from reports.notify.alerts import enqueue_digests
from reports.notify.staff import enqueue_overdue_digests, enqueue_reminders
from reports.privacy.requests import enqueue_reminders as enqueue_privacy_reminders
from store import LOCAL_TZ

DIGEST_HOUR = 7


def enqueue_periodic(now: datetime, reminder_before: timedelta) -> None:
    enqueue_reminders(now, reminder_before)
    local = now.astimezone(LOCAL_TZ)
    if local.hour >= DIGEST_HOUR:
        day = local.date().isoformat()
        enqueue_digests(day)
        enqueue_overdue_digests(day)
        enqueue_privacy_reminders(now, day)
