"""Local alerts (FixMyStreet's model): anyone may ask to hear of new reports in a ward or within a
radius (100 m – 5 km, geodesic metres around a WGS84 point), optionally of one field, at once or in a
daily digest. By email (double opt-in) or Web Push (the browser's prompt is the opt-in); one click
ends it and deletes the address. The ward must be one in force; asking twice for the same area and
field from the same address gives back the same alert (its confirmation sent again at most once an
hour), and one address (an email or a browser's push endpoint) holds at most
``MAX_ALERTS_PER_ADDRESS`` alerts.

A new report (its public ``received`` event) enqueues an ``area_alerts`` job in the transaction that
stores it; the worker finds the matching confirmed alerts in one query (the GiST index on
``area_alert.location`` picks the candidates within the largest radius) and enqueues one email per
instant alert. Digest alerts are served by the daily ``alert_digest`` job.
"""
import secrets
from datetime import datetime
from typing import Callable

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select, text

from geo.wards import ward_in_force
from reports.categories import FIELDS
from reports.notify.models import AreaAlert, Job
from reports.notify.queue import enqueue
from reports.notify.updates import InvalidSubscription, TooManySubscriptions, valid_push
from reports.queries.predicates import PUBLIC
from reports.text import EMAIL, clean_text
from store import db, utcnow

MIN_RADIUS_M, MAX_RADIUS_M = 100, 5000
MAX_ALERTS_PER_ADDRESS = 10
SAME_POINT_M = 10  # two radius alerts this close, of the same radius, are one area

# Alert ``a`` covers report ``r`` (ward ``u``, category ``c``): the same field, if it names one, and
# its ward by code (any generation), or its radius (geodesic metres; the box of 0.05° — 5 km or more
# at Vietnam's latitudes — lets the GiST index on area_alert.location pick the candidates).
ALERT_COVERS_REPORT = f"""(a.field IS NULL OR a.field = c.field)
       AND (a.ward_code = u.code
            OR (a.location && ST_Expand(r.location, {MAX_RADIUS_M / 100_000:.3f})
                AND ST_DWithin(a.location::geography, r.location::geography, a.radius_m)))"""

MATCHING_SQL = text(f"""
    SELECT a.id, a.digest, a.push IS NOT NULL FROM report r
      JOIN admin_unit u ON u.id = r.ward_id
      LEFT JOIN category c ON c.id = r.category_id
      JOIN area_alert a ON a.confirmed_at IS NOT NULL AND {ALERT_COVERS_REPORT}
     WHERE r.id = :report_id AND r.is_synthetic = false
     ORDER BY a.id""")

# New reports since ``:since`` in a digest alert's area.
DIGEST_SQL = text(f"""
    SELECT r.tracking_code FROM report r
      JOIN admin_unit u ON u.id = r.ward_id
      LEFT JOIN category c ON c.id = r.category_id, area_alert a
     WHERE a.id = :alert_id AND r.created_at >= :since AND r.is_synthetic = false AND {PUBLIC.sql('r')}
       AND {ALERT_COVERS_REPORT}
     ORDER BY r.created_at LIMIT 200""")


def create_alert(email: str | None, language: str, *, push: dict | None = None,
                 endpoint_allowed: Callable[[str], bool] | None = None, ward: str | None = None,
                 lon: float | None = None, lat: float | None = None, radius_m: float | None = None,
                 field: str | None = None, digest: bool = False) -> AreaAlert:
    """An alert by email (pending, with its confirmation message sent by the worker) or by Web Push
    (``push``: a browser's PushSubscription on a service ``endpoint_allowed`` accepts; active at once).
    The same address, area and field again: the alert already there (see the module's docstring)."""
    alert = AreaAlert(language=language if language in ("vi", "en") else "vi", token=secrets.token_urlsafe(32),
                      digest=bool(digest), created_at=utcnow())
    if push is not None:
        alert.push = valid_push(push, endpoint_allowed or (lambda endpoint: False))
        alert.push_endpoint, alert.confirmed_at = alert.push["endpoint"], utcnow()
    else:
        alert.email = (clean_text(email, 200) or "").lower()
        if not EMAIL.match(alert.email):
            raise InvalidSubscription("the email address is not valid", key="invalid_email")
    if field and (not isinstance(field, str) or field not in FIELDS):
        raise InvalidSubscription("unknown field", key="invalid_subscription")
    alert.field = field or None
    if ward:
        if not isinstance(ward, str) or len(ward) > 20 or ward_in_force(ward) is None:
            raise InvalidSubscription("no ward in force has this code", key="unknown_ward")
        alert.ward_code = ward
    elif lon is not None and lat is not None and radius_m is not None:
        if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
            raise InvalidSubscription(f"radius_m must be from {MIN_RADIUS_M} to {MAX_RADIUS_M}",
                                      key="invalid_subscription")
        alert.location, alert.radius_m = f"SRID=4326;POINT({lon} {lat})", int(radius_m)
    else:
        raise InvalidSubscription("give a ward, or lat, lon and radius_m", key="invalid_subscription")
    existing = _same_alert(alert)
    if existing is not None:
        existing.digest, existing.language = alert.digest, alert.language
        if alert.push is not None:
            existing.push = alert.push
        alert = existing
    else:
        if _alerts_of_address(alert) >= MAX_ALERTS_PER_ADDRESS:
            raise TooManySubscriptions(f"at most {MAX_ALERTS_PER_ADDRESS} alerts per address",
                                       key="too_many_subscriptions")
        db.session.add(alert)
        db.session.flush()
    if alert.email and alert.confirmed_at is None:  # (again at most once an hour)
        enqueue("email", {"template": "alert_confirm", "alert_id": alert.id},
                dedupe_key=f"alert-confirm:{alert.id}:{utcnow():%Y%m%d%H}")
    return alert


def _address_is(alert: AreaAlert):
    return AreaAlert.email == alert.email if alert.email else AreaAlert.push_endpoint == alert.push_endpoint


def _same_alert(alert: AreaAlert) -> AreaAlert | None:
    """The alert of the same address, area and field, if there is one."""
    if alert.ward_code:
        area = AreaAlert.ward_code == alert.ward_code
    else:
        point = func.ST_GeomFromEWKT(alert.location)
        area = (AreaAlert.radius_m == alert.radius_m) & func.ST_DWithin(
            cast(AreaAlert.location, Geography), cast(point, Geography), SAME_POINT_M)
    field = AreaAlert.field.is_(None) if alert.field is None else AreaAlert.field == alert.field
    return db.session.scalars(select(AreaAlert).where(_address_is(alert), area, field).limit(1)).first()


def _alerts_of_address(alert: AreaAlert) -> int:
    return db.session.scalar(select(func.count()).select_from(AreaAlert).where(_address_is(alert)))


def fan_out_new_report(job: Job) -> None:
    """``area_alerts``: one email or push per matching instant alert (digest alerts wait for the digest)."""
    report_id = job.event.report_id
    for alert_id, digest, by_push in db.session.execute(MATCHING_SQL, {"report_id": report_id}):
        if not digest:
            enqueue("push" if by_push else "email", {"template": "alert_new", "alert_id": alert_id, "report_id": report_id},
                    dedupe_key=f"alert:{alert_id}:{report_id}")


def digest_reports(alert_id: int, since: datetime) -> list[str]:
    return list(db.session.scalars(DIGEST_SQL, {"alert_id": alert_id, "since": since}))


def enqueue_digests(day: str) -> None:
    """``alert_digest`` (daily): one email (or push) per confirmed digest alert that has new reports."""
    for alert_id, push in db.session.execute(select(AreaAlert.id, AreaAlert.push).where(
            AreaAlert.digest, AreaAlert.confirmed_at.is_not(None))):
        enqueue("push" if push else "email", {"template": "alert_digest", "alert_id": alert_id, "day": day},
                dedupe_key=f"digest:{alert_id}:{day}")
