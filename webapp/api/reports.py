"""``/api/v1/reports`` and ``/api/v1/categories``: thin views over :mod:`reports`."""
from datetime import timezone

from flask import current_app, jsonify, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from delivery import channels, push
from delivery.sealed import seal
from geo.coords import parse_bbox, parse_lon_lat
from reports.categories import FIELDS, active_categories, active_category
from reports.notify.alerts import create_alert
from reports.notify.updates import subscribe, subscribe_phone, subscribe_push
from reports.queries.public import public_view, recent_in_view, summary
from reports.workflow.intake import ReportInput, duplicate_candidates, submit_report
from reports.workflow.lifecycle import add_comment, add_support, get_by_tracking_code, rate, reopen
from store import db
from tiles.points import public_report_points_json
from webapp.api import bp
from webapp.errors import ApiError
from webapp.extensions import deadline_rules, limiter, photo_storage, remember
from webapp.links import report_link, with_links
from webapp.observability import report_created
from webapp.read_routing import replica_reads
from webapp.security import authorised_by_reporter_secret, private_link, reporter_or_same_origin

TRUE = {"1", "true", "yes", "on"}


def _flag(value, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE


def _report_input() -> ReportInput:
    """Read the report from JSON or from a multipart form with ``photos`` files."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError("invalid_report", "the body must be a JSON object")
        photos = []
    else:
        body = request.form
        photos = [f.read() for f in request.files.getlist("photos") if f and f.filename]
    text = {k: body.get(k) if isinstance(body.get(k), (str, type(None))) else str(body.get(k))
            for k in ("category", "description", "name", "phone", "email", "reporter_secret")}
    return ReportInput(category=text["category"] or "", description=text["description"] or "",
                       lat=body.get("lat"), lon=body.get("lon"), name=text["name"],
                       phone=text["phone"], email=text["email"],
                       hide_identity=_flag(body.get("hide_identity"), True),
                       acknowledge_duplicate=_flag(body.get("acknowledge_duplicate"), False),
                       photos=photos, reporter_secret=text["reporter_secret"])


def _utc(moment) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def alert_limit() -> str:
    return current_app.config["ALERT_RATE_LIMIT"]


@bp.post("/reports")
@limiter.limit(submit_limit, methods=["POST"])
def create_report():
    key = (request.headers.get("Idempotency-Key") or "").strip()[:100] or None
    report, created = submit_report(_report_input(), photo_storage(), idempotency_key=key, rules=deadline_rules())
    ward = getattr(report, "ward_summary", None) or {"code": report.ward.code, "name": report.ward.name}
    body = {"tracking_code": report.tracking_code, "status": report.status, "ward": ward,
            "url": report_link(report.tracking_code),
            # What happens next, for the done page: by when the ward receives it, and answers.
            "acknowledge_by": _utc(report.ack_due_at), "answer_by": _utc(report.deadline_at)}
    if report.issued_secret:  # only to the submitter: rating and reopening need it
        body["reporter_secret"] = report.issued_secret
    channel = report.channel
    # The reply and the metric's label are read first: touching the report after the commit would
    # reload it (a SELECT, then a ROLLBACK at teardown: two round trips for nothing).
    db.session.commit()
    if created:
        report_created(channel)
    return jsonify(body), 201 if created else 200


@bp.get("/reports/<tracking_code>")
def get_report(tracking_code):
    return jsonify(with_links(public_view(tracking_code)))


@bp.get("/reports/nearby")
def nearby():
    lon, lat = parse_lon_lat(request.args.get("lon"), request.args.get("lat"))
    category = active_category(request.args.get("category"))
    if category is None:
        raise ApiError("invalid_parameter", "category must be an active category code")
    return jsonify({"candidates": [with_links(summary(r, d)) for r, d in duplicate_candidates(lon, lat, category)]})


def _support_limit() -> str:
    return current_app.config["SUPPORT_RATE_LIMIT"]


def resident_action_limit() -> str:
    return current_app.config["RESIDENT_ACTION_RATE_LIMIT"]


def resident_body() -> tuple[dict, str | None]:
    """The JSON object or form of a resident's action, and the reporter's secret (body or header)."""
    body = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(body, "get"):
        raise ApiError("invalid_request", "the body must be a JSON object or a form")
    secret = body.get("reporter_secret") or request.headers.get("X-Reporter-Secret")
    return body, secret if isinstance(secret, str) else None


@bp.post("/reports/<tracking_code>/support")
@limiter.limit(_support_limit, methods=["POST"])
def support(tracking_code):
    report = get_by_tracking_code(tracking_code)
    count = add_support(report)
    db.session.commit()
    return jsonify({"tracking_code": report.tracking_code, "support_count": count})


@bp.post("/reports/<tracking_code>/comments")
@limiter.limit(_support_limit, methods=["POST"])
def comment(tracking_code):
    """``{"text"}``: what a resident wants the ward to know about an open report they did not send
    (they found it when about to send their own). For the ward's staff only; never published."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("invalid_request", "the body must be a JSON object")
    report = get_by_tracking_code(tracking_code)
    text = body.get("text")
    add_comment(report, text if isinstance(text, str) else None)
    db.session.commit()
    return jsonify({"tracking_code": report.tracking_code, "status": "received"}), 201


@bp.post("/reports/<tracking_code>/rating")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def rating(tracking_code):
    body, secret = resident_body()
    report = get_by_tracking_code(tracking_code)
    rate(report, body.get("rating"), body.get("comment"), secret)
    db.session.commit()
    return jsonify({"tracking_code": report.tracking_code, "rating": report.rating})


@bp.post("/reports/<tracking_code>/reopen")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def reopen_report(tracking_code):
    body, secret = resident_body()
    report = get_by_tracking_code(tracking_code)
    reopen(report, body.get("reason"), secret)
    db.session.commit()
    return jsonify({"tracking_code": report.tracking_code, "status": report.status})


@bp.post("/reports/<tracking_code>/subscriptions")
@authorised_by_reporter_secret
@limiter.limit(alert_limit, methods=["POST"])
def subscriptions(tracking_code):
    """``{"email" | "push" | "sms" | "zalo", "reporter_secret"?}`` → 202: a confirmation email is on
    its way (push: active at once; a phone: active when it has proven itself, else ``proof_required``
    with the SMS to send). Anyone may follow a report by email or push (with the session's CSRF token);
    SMS and Zalo are the reporter's (their secret) and only where configured (400 ``channel_off``). The
    reporter's confirmation email carries their private link."""
    body, secret = resident_body()
    report = get_by_tracking_code(tracking_code)
    for channel in ("sms", "zalo"):
        if body.get(channel) is not None:
            phone = body[channel]
            subscription = subscribe_phone(report, phone if isinstance(phone, str) else "", channel, str(get_locale()),
                                           secret, channels.enabled, current_app.config["PHONE_PROOF_DAYS"])
            db.session.commit()
            if subscription.confirmed_at is not None:
                return jsonify({"tracking_code": report.tracking_code, "status": "active"}), 202
            return jsonify({"tracking_code": report.tracking_code, "status": "proof_required",
                            "proof": {"send_to": current_app.config["SMS_INBOUND_NUMBER"],
                                      "text": subscription.proof_code}}), 202
    reporter = reporter_or_same_origin(report, secret)
    if body.get("push") is not None:
        if push.public_key() is None:
            raise ApiError("push_unavailable", "Web Push is not configured here", 503)
        subscribe_push(report, body["push"], str(get_locale()), push.endpoint_allowed)
        db.session.commit()
        return jsonify({"tracking_code": report.tracking_code, "status": "active"}), 202
    email = body.get("email")
    link = seal(private_link(current_app.config, report.tracking_code, secret)) if reporter else None
    subscribe(report, email if isinstance(email, str) else "", str(get_locale()), secret, link)
    db.session.commit()
    return jsonify({"tracking_code": report.tracking_code, "status": "confirmation_sent"}), 202


@bp.post("/alerts")
@limiter.limit(alert_limit, methods=["POST"])
def alerts():
    """``{"email" | "push", "ward" | "lat" + "lon" + "radius_m", "field"?, "digest"?}`` → 202 (email:
    double opt-in; push: active at once)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("invalid_subscription", "the body must be a JSON object")
    area = {}
    if body.get("ward"):
        area["ward"] = str(body["ward"])
    elif body.get("lat") is not None or body.get("lon") is not None:
        lon, lat = parse_lon_lat(body.get("lon"), body.get("lat"))
        try:
            area.update(lon=lon, lat=lat, radius_m=float(body.get("radius_m")))
        except (TypeError, ValueError):
            raise ApiError("invalid_subscription", "radius_m must be a number of metres") from None
    email, by_push = body.get("email"), body.get("push") is not None
    if by_push and push.public_key() is None:
        raise ApiError("push_unavailable", "Web Push is not configured here", 503)
    alert = create_alert(email if isinstance(email, str) else "", str(get_locale()), field=body.get("field") or None,
                         push=body.get("push"), endpoint_allowed=push.endpoint_allowed,
                         digest=_flag(body.get("digest"), False), **area)
    db.session.commit()
    if by_push:
        return jsonify({"status": "active", "unsubscribe_url": f"/unsubscribe/{alert.token}"}), 202
    return jsonify({"status": "confirmation_sent"}), 202


@bp.get("/categories")
def categories():
    return jsonify({"categories": [c.as_dict() for c in active_categories()]})


@bp.get("/csrf-token")
def csrf_token():
    """The same-origin token the page (or a client keeping cookies) sends as ``X-CSRFToken``."""
    return jsonify({"csrf_token": generate_csrf()})


def anonymous_read_limit() -> str:
    return current_app.config["ANONYMOUS_READ_RATE_LIMIT"]


@bp.get("/reports/map")
@limiter.limit(anonymous_read_limit)
@replica_reads
def map_points():
    """Public points for the clustered map: ``{"points": [[lat, lon, status, category, code], ...]}``,
    the newest 5,000 (kept 30 s: every visitor of the map asks the same)."""
    try:
        days = min(max(int(request.args.get("days", 90)), 1), 365)
    except ValueError:
        raise ApiError("invalid_parameter", "days must be a whole number") from None
    category = (request.args.get("category") or None)
    if category is not None and len(category) > 40:
        raise ApiError("invalid_parameter", "category must be a category code")
    body = remember(f"map-points:{days}:{category}", 30, lambda: public_report_points_json(days, category))
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=30"
    return response


@bp.get("/reports/recent")
@replica_reads
def recent_reports():
    """The public feed beside the map: ``?bbox=W,S,E,N`` (degrees), optional ``field``, ``category``, ``status``
    (``open``: being handled, ``closed``: handled), ``limit`` up to 50; newest update first."""
    bbox = parse_bbox(request.args.get("bbox", ""))
    field = request.args.get("field") or None
    status = request.args.get("status") or None
    if field is not None and field not in FIELDS:
        raise ApiError("invalid_parameter", f"field must be one of {', '.join(FIELDS)}")
    if status not in (None, "open", "closed"):
        raise ApiError("invalid_parameter", "status must be open or closed")
    limit = request.args.get("limit", "20")
    if not limit.isdigit() or not 1 <= int(limit) <= 50:
        raise ApiError("invalid_parameter", "limit must be a whole number from 1 to 50")
    category = request.args.get("category") or None
    response = jsonify({"reports": [with_links(r) for r in recent_in_view(bbox, field, status, limit=int(limit), category=category)]})
    response.headers["Cache-Control"] = "public, max-age=30"
    return response
