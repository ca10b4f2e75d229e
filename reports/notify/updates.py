"""Who hears about what: subscriptions to a report, and the events that notify its subscribers.

A public event of a notifying kind (``NOTIFY_KINDS``) enqueues a ``report_update`` job in the
transaction that records it; a new report's public ``received`` event starts its area alerts and an
``officer_assigned`` event the officer's assignment email. The database does it (a statement trigger
on ``report_event``, migration 0027), so no writer can forget it, ORM or not. The worker fans an
update out into one job per confirmed subscription (by its channel), each deduplicated by event and
subscription, so nobody gets the same update twice.
"""
import secrets
from typing import Callable

from sqlalchemy import select, text

from reports.errors import InvalidReport
from reports.models import Report
from reports.notify.models import AreaAlert, Job, Subscription
from reports.notify.phones import MAX_PHONES_PER_REPORT, new_proof_code, phone_proven, phones_following
from reports.notify.queue import enqueue
from reports.text import EMAIL, clean_text, mobile_number
from reports.workflow.reporter_secret import is_reporter, require_reporter
from store import db, utcnow

NOTIFY_KINDS = ("reply", "resolved", "rejected", "reopened", "transferred")


# One statement however many subscribers (a followed report may have thousands); the dedupe key
# makes a redone fan-out (a worker killed mid-batch) add nothing.
FAN_OUT_SQL = text("""
    INSERT INTO job (kind, payload, dedupe_key)
    SELECT s.channel, jsonb_build_object('template', 'update', 'subscription_id', s.id, 'event_id', :event_id),
           'update:' || :event_id || ':' || s.id
      FROM subscription s
     WHERE s.report_id = :report_id AND s.confirmed_at IS NOT NULL
     ORDER BY s.id
        ON CONFLICT (dedupe_key) DO NOTHING""")


class InvalidSubscription(InvalidReport):
    code = "invalid_subscription"


class TooManySubscriptions(InvalidSubscription):
    """A cap on subscriptions or alerts is reached (429)."""

    code = "too_many_subscriptions"


def subscribe(report: Report, email: str, language: str, secret: str | None = None,
              sealed_private_link: str | None = None) -> Subscription:
    """Anyone asks for a report's public updates by email (FixMyStreet's "Get updates"): a pending
    subscription and its confirmation message (sent by the worker); subscribing twice sends the
    confirmation again. The reporter (``secret``) may have their private link — the tracking page with
    the key, for rating and reopening from another phone — sent along in the confirmation: the caller
    gives it sealed (``delivery.sealed``), and it is kept in the job only for the reporter."""
    email = (clean_text(email, 200) or "").lower()
    if not EMAIL.match(email):
        raise InvalidSubscription("the email address is not valid", key="invalid_email")
    keep_link = sealed_private_link if sealed_private_link and is_reporter(report, secret) else None
    return _pending(report, "email", language, email=email, sealed_link=keep_link)


def subscribe_phone(report: Report, phone: str, channel: str, language: str, secret: str | None,
                    enabled: Callable[[str], bool], proof_keep_days: int = 365) -> Subscription:
    """Updates by SMS or Zalo (``channel``, when that adapter is configured). Nothing is sent to the
    number until it has proven itself from that phone (``reports.notify.phones``): the subscription
    is active at once for a number that has, else it waits for its ``proof_code`` by SMS."""
    require_reporter(report, secret)
    if channel not in ("sms", "zalo") or not enabled(channel):
        raise InvalidSubscription(f"updates by {channel} are not offered here", key="channel_off")
    number = mobile_number(phone)
    if number is None:
        raise InvalidSubscription("the phone number is not a Vietnamese mobile number", key="invalid_phone")
    if phones_following(report.id, other_than=number) >= MAX_PHONES_PER_REPORT:
        raise TooManySubscriptions(f"at most {MAX_PHONES_PER_REPORT} numbers follow a report",
                                   key="too_many_subscriptions")
    subscription = db.session.scalar(select(Subscription).where(
        Subscription.report_id == report.id, Subscription.channel == channel, Subscription.phone == number))
    if subscription is None:
        subscription = Subscription(report_id=report.id, channel=channel, phone=number, created_at=utcnow(),
                                    token=secrets.token_urlsafe(32))
        db.session.add(subscription)
    subscription.language = language if language in ("vi", "en") else "vi"
    if subscription.confirmed_at is None:
        if phone_proven(number, proof_keep_days):
            subscription.confirmed_at, subscription.proof_code = utcnow(), None
        else:
            subscription.proof_code = subscription.proof_code or new_proof_code()
    db.session.flush()
    return subscription


def _pending(report: Report, channel: str, language: str, sealed_link: str | None = None,
             **address) -> Subscription:
    """The report's subscription at ``address`` (``email=``) on ``channel``, made when new, and its
    confirmation message by that channel (at most one an hour)."""
    (column, value), = address.items()
    subscription = db.session.scalar(select(Subscription).where(
        Subscription.report_id == report.id, Subscription.channel == channel, getattr(Subscription, column) == value))
    if subscription is None:
        subscription = Subscription(report_id=report.id, channel=channel, token=secrets.token_urlsafe(32),
                                    language=language if language in ("vi", "en") else "vi", created_at=utcnow(),
                                    **address)
        db.session.add(subscription)
        db.session.flush()
    payload = {"template": "confirm", "subscription_id": subscription.id}
    if sealed_link:
        payload["private_link"] = sealed_link
    enqueue(channel, payload, dedupe_key=f"confirm:{subscription.id}:{utcnow():%Y%m%d%H}")
    return subscription


def valid_push(push, endpoint_allowed: Callable[[str], bool]) -> dict:
    """A browser's PushSubscription (``endpoint``, ``keys.p256dh``, ``keys.auth``) reduced to those
    fields, or ``InvalidSubscription``; the endpoint must be an allowed push service."""
    keys = push.get("keys") if isinstance(push, dict) else None
    endpoint = push.get("endpoint") if isinstance(push, dict) else None
    if not (isinstance(endpoint, str) and len(endpoint) <= 1000 and isinstance(keys, dict)
            and all(isinstance(keys.get(k), str) and 0 < len(keys[k]) <= 200 for k in ("p256dh", "auth"))):
        raise InvalidSubscription("push must be a PushSubscription: endpoint and keys p256dh, auth",
                                  key="invalid_subscription")
    if not endpoint_allowed(endpoint):
        raise InvalidSubscription("this push service is not allowed", key="invalid_subscription")
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def subscribe_push(report: Report, push: dict, language: str, endpoint_allowed: Callable[[str], bool]) -> Subscription:
    """Anyone's browser (a PushSubscription) follows the report: active at once (the browser's
    permission prompt was the opt-in)."""
    push = valid_push(push, endpoint_allowed)
    subscription = db.session.scalar(select(Subscription).where(
        Subscription.report_id == report.id, Subscription.push_endpoint == push["endpoint"]))
    if subscription is None:
        subscription = Subscription(report_id=report.id, push_endpoint=push["endpoint"], channel="push",
                                    token=secrets.token_urlsafe(32), created_at=utcnow())
        db.session.add(subscription)
    subscription.push = push
    subscription.language = language if language in ("vi", "en") else "vi"
    subscription.confirmed_at = subscription.confirmed_at or utcnow()
    return subscription


def confirm(row_id: int, model=Subscription):
    """Confirm a report subscription (or an ``AreaAlert``) by id; None when there is none."""
    row = db.session.get(model, row_id)
    if row is not None and row.confirmed_at is None:
        row.confirmed_at = utcnow()
    return row


def unsubscribe(token: str) -> bool:
    """End the subscription or area alert of ``token`` and forget its address; False when none has it."""
    for model in (Subscription, AreaAlert):
        row = db.session.scalar(select(model).where(model.token == (token or "")[:64]))
        if row is not None:
            db.session.delete(row)
            return True
    return False


def fan_out(job: Job) -> None:
    """``report_update``: one job per confirmed subscription of the event's report, of the
    subscription's channel (``email``, ``push``, ``sms``, ``zalo``)."""
    event = job.event
    db.session.execute(FAN_OUT_SQL, {"event_id": event.id, "report_id": event.report_id})
