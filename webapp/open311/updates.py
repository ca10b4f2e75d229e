"""``/open311/v2/servicerequestupdates.{json,xml}`` (mySociety's GeoReport v2 extension, as
FixMyStreet and its partner CRMs use it): GET the public updates of a period, POST an update from an
outside system. Both need an API key; never any personal data."""
from datetime import timedelta

from flask import request

from delivery.links import public_link
from geo.errors import DomainError
from reports.queries.open311 import MAX_RESULTS, Open311Error, parse_w3c, w3c
from reports.states import STATUS_TYPES
from reports.workflow.outside_updates import add_outside_update, find_updates
from store import db, utcnow
from webapp.extensions import limiter
from webapp.messages import message_of
from webapp.open311 import bp
from webapp.open311.render import render
from webapp.open311.routes import api_key_bucket, post_limit, report_or_404, require_api_key, response_format
from webapp.read_routing import replica_reads

DEFAULT_WINDOW = timedelta(days=1)


def update_dict(event, report) -> dict:
    photo = (event.data or {}).get("photo")
    status = (event.data or {}).get("after") or report.status
    return {"update_id": str(event.id), "service_request_id": report.tracking_code,
            "status": STATUS_TYPES.get(status, "open"), "updated_datetime": w3c(event.created_at),
            "description": event.ward_words or "",
            "media_url": public_link("citizen.photo", key=photo) if photo else None}


@bp.get("/servicerequestupdates.<fmt>")
@replica_reads
def list_updates(fmt):
    fmt = response_format(fmt)
    require_api_key()
    args = request.args
    end = parse_w3c(args["end_date"], "end_date") if args.get("end_date") else utcnow()
    start = parse_w3c(args["start_date"], "start_date") if args.get("start_date") else end - DEFAULT_WINDOW
    if not start <= end:
        raise Open311Error("invalid", "start_date must come before end_date")
    rows = find_updates(start, end + timedelta(microseconds=1), MAX_RESULTS)
    return render([update_dict(event, report) for event, report in rows], fmt, "service_request_updates")


@bp.post("/servicerequestupdates.<fmt>")
@limiter.limit(post_limit, key_func=api_key_bucket)
def post_update(fmt):
    fmt = response_format(fmt)
    key = require_api_key()
    form = request.form
    report = report_or_404(form.get("service_request_id", ""), "service request")
    try:
        event, created = add_outside_update(report, form.get("update_id", ""), (form.get("status") or "").lower(),
                                            form.get("description"), key.name)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise Open311Error("not_found" if exc.key == "not_found" else "invalid", message_of(exc)) from None
    return render([update_dict(event, report)], fmt, "service_request_updates", 201 if created else 200)
