"""Updates by SMS and Zalo reach only numbers that asked for them from that phone, in bounded amounts.

A confirmation SMS sent to whatever number a form received let anyone make the city's gateway text
strangers at the city's cost (SMS pumping, issue 28). So nothing is sent to a number until the number
itself has proven it wants it: the resident sends the subscription's code (``PA 123456``) by SMS to the
city's number, the SMS gateway posts what it received to ``/api/v1/hooks/sms``, and
:func:`record_proof` confirms the subscriptions of that number with that code. A number that proved
itself is kept (``VerifiedPhone``, ``PHONE_PROOF_DAYS``): its later subscriptions are active at once.

Caps: at most ``MAX_PHONES_PER_REPORT`` numbers follow one report; a number receives at most
``PHONE_DAILY_CAP`` messages a day, and a channel sends at most its daily cap in all
(:func:`take_quota`; beyond it a message waits for the next day).
"""
import hashlib
import re
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from reports.notify.models import MessageQuota, Subscription, VerifiedPhone
from reports.text import mobile_number
from store import db, utcnow

MAX_PHONES_PER_REPORT = 2
CODE = re.compile(r"\bPA\s*([0-9]{6})\b", re.IGNORECASE)


def new_proof_code() -> str:
    return f"PA {secrets.randbelow(10 ** 6):06d}"


def phone_proven(number: str, keep_days: int) -> bool:
    """Has ``number`` sent us a proof within ``keep_days``?"""
    return db.session.scalar(select(func.count()).select_from(VerifiedPhone).where(
        VerifiedPhone.phone == number, VerifiedPhone.verified_at > utcnow() - timedelta(days=keep_days))) > 0


def phones_following(report_id: int, other_than: str) -> int:
    """How many other numbers follow the report (by SMS or Zalo)."""
    return db.session.scalar(select(func.count(func.distinct(Subscription.phone))).where(
        Subscription.report_id == report_id, Subscription.phone.is_not(None), Subscription.phone != other_than))


def record_proof(sender: str, text: str) -> int:
    """An SMS the city's number received: when it carries a code of a pending subscription of the
    sending number, those subscriptions are confirmed and the number is proven. Returns how many were
    confirmed (0 for any other message)."""
    number, match = mobile_number(sender or ""), CODE.search(text or "")
    if number is None or match is None:
        return 0
    code = f"PA {match.group(1)}"
    pending = db.session.scalars(select(Subscription).where(
        Subscription.phone == number, Subscription.proof_code == code, Subscription.confirmed_at.is_(None))).all()
    if not pending:
        return 0
    now = utcnow()
    for subscription in pending:
        subscription.confirmed_at, subscription.proof_code = now, None
    db.session.execute(insert(VerifiedPhone).values(phone=number, verified_at=now)
                       .on_conflict_do_update(index_elements=["phone"], set_={"verified_at": now}))
    return len(pending)


def _number_key(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()[:32]  # the quota table holds no number


def take_quota(channel: str, number: str, day: date, per_number: int, per_channel: int) -> bool:
    """Count one message to ``number`` by ``channel`` on ``day``, if both daily caps allow it; False
    (and nothing counted) when either is reached."""
    if per_number < 1 or per_channel < 1:
        return False
    taken = []
    for key, cap in ((_number_key(number), per_number), ("*", per_channel)):
        statement = insert(MessageQuota).values(day=day, channel=channel, key=key, count=1)
        row = db.session.execute(statement.on_conflict_do_update(
            index_elements=["day", "channel", "key"], set_={"count": MessageQuota.count + 1},
            where=MessageQuota.count < cap).returning(MessageQuota.count)).first()
        if row is None:
            for done in taken:  # give back what was counted
                db.session.execute(MessageQuota.__table__.update().where(
                    MessageQuota.day == day, MessageQuota.channel == channel, MessageQuota.key == done)
                    .values(count=MessageQuota.count - 1))
            return False
        taken.append(key)
    return True


def next_day_start(now: datetime, zone) -> datetime:
    """Midnight after ``now`` in ``zone``: when a capped message may go."""
    local = now.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=zone)
