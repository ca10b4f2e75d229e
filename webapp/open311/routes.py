"""GeoReport v2 endpoints. Format by extension (``.json`` / ``.xml``); errors as ``[{code, description}]``."""
import hashlib

from flask import current_app, request, url_for

from delivery.links import public_link
from geo.errors import DomainError, OutsideServiceArea
from reports.accounts.api_keys import valid_api_key
from reports.categories import active_categories
from reports.errors import PossibleDuplicate, ReportError
from reports.queries.open311 import Open311Error, find_requests, parse_query, request_dict, service_dict
from reports.workflow.intake import ReportInput, submit_report
from reports.workflow.lifecycle import get_by_tracking_code, record_event
from store import db
from webapp.extensions import csrf, deadline_rules, limiter, photo_storage
from webapp.messages import message_of
from webapp.observability import report_created
from webapp.open311 import bp
from webapp.open311.render import errors, render
from webapp.read_routing import replica_reads

FORMATS = ("json", "xml")
csrf.exempt(bp)  # clients authenticate with an API key, not a browser session


def response_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error("not_found", "format must be json or xml")
    return fmt


def _locale() -> str:
    return "en" if (request.args.get("locale") or request.accept_languages.best_match(["vi", "en"])) == "en" else "vi"


def _base() -> str:
    """The configured public address: links never follow the request's Host header."""
    return current_app.config["PUBLIC_URL"]


def _photo_url(sha256: str) -> str:
    return public_link("citizen.photo", key=f"{sha256}.jpg")


# Open311's refusals by kind (reports.queries.open311.Open311Error), as HTTP statuses.
OPEN311_STATUSES = {"invalid": 400, "forbidden": 403, "not_found": 404, "unprocessable": 422}


@bp.errorhandler(Open311Error)
def open311_error(exc: Open311Error):
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return errors(OPEN311_STATUSES[exc.kind], str(exc), fmt)


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    fmt = response_format(fmt)
    endpoint = {"specification": "http://wiki.open311.org/GeoReport_v2", "url": _base() + "/open311/v2",
                "changeset": "2026-11-23T00:00:00Z", "type": "production",
                "formats": ["application/json", "text/xml"]}
    return render({"changeset": "2026-11-23T00:00:00Z", "contact": "Phản Ánh", "key_service":
                   "API keys are issued by the city's administrators", "endpoints": [endpoint]}, fmt, "discovery")


@bp.get("/services.<fmt>")
@replica_reads
def services(fmt):
    fmt = response_format(fmt)
    return render([service_dict(c, _locale()) for c in active_categories()], fmt, "services")


@bp.get("/services/<service_code>.<fmt>")
@replica_reads
def service_definition(service_code, fmt):
    fmt = response_format(fmt)
    if service_code not in {c.code for c in active_categories()}:
        raise Open311Error("not_found", f"no service {service_code}")
    return render({"service_code": service_code, "attributes": []}, fmt, "service_definition")


def _read_limit() -> str:
    return current_app.config["ANONYMOUS_READ_RATE_LIMIT"]


@bp.get("/requests.<fmt>")
@limiter.limit(_read_limit)
@replica_reads
def list_requests(fmt):
    fmt = response_format(fmt)
    reports = find_requests(parse_query(request.args))
    return render([request_dict(r, _photo_url, _locale()) for r in reports], fmt, "service_requests")


def report_or_404(code: str, what: str):
    try:
        return get_by_tracking_code(code)
    except ReportError:
        raise Open311Error("not_found", f"no {what} {code}") from None


@bp.get("/requests/<service_request_id>.<fmt>")
@replica_reads
def get_request(service_request_id, fmt):
    fmt = response_format(fmt)
    report = report_or_404(service_request_id, "service request")
    return render([request_dict(report, _photo_url, _locale())], fmt, "service_requests")


@bp.get("/tokens/<token>.<fmt>")
def token(token, fmt):
    """Requests are accepted synchronously: a token is the service_request_id itself."""
    fmt = response_format(fmt)
    report = report_or_404(token, "token")
    return render([{"service_request_id": report.tracking_code, "token": report.tracking_code}], fmt,
                  "service_requests")


def require_api_key():
    """The request's API key (the form of a POST, the query of a GET), or 403; its last use is recorded."""
    key = valid_api_key((request.form if request.method == "POST" else request.args).get("api_key"))
    db.session.commit()
    if key is None:
        raise Open311Error("forbidden", "a valid api_key is required")
    return key


def api_key_bucket() -> str:
    """Each API key has its own count (kept under a hash of the key, never the key itself); a
    request without a key counts against its address."""
    key = request.form.get("api_key")
    if key:
        return "open311-key:" + hashlib.sha256(key.encode()).hexdigest()[:24]
    return "open311-addr:" + (request.remote_addr or "unknown")


def post_limit() -> str:
    return current_app.config["OPEN311_KEY_RATE_LIMIT"]


def _submit_flagging_duplicates(data: ReportInput):
    """Submit; when open reports of the same category lie nearby, submit anyway and return their
    codes (an outside system would retry a refusal for ever)."""
    try:
        report, _created = submit_report(data, photo_storage(), rules=deadline_rules())
        return report, []
    except PossibleDuplicate as exc:
        db.session.rollback()
        candidates = [r.tracking_code for r, _distance in exc.extra["candidates"]]
    data.acknowledge_duplicate = True
    report, _created = submit_report(data, photo_storage(), rules=deadline_rules())
    return report, candidates


@bp.post("/requests.<fmt>")
@limiter.limit(post_limit, key_func=api_key_bucket)
def create_request(fmt):
    fmt = response_format(fmt)
    form = request.form
    require_api_key()
    if not form.get("lat") or not form.get("long"):
        raise Open311Error("invalid", "lat and long are required (address_string alone cannot be placed)")
    name = " ".join(v for v in (form.get("first_name"), form.get("last_name")) if v) or None
    data = ReportInput(category=form.get("service_code", ""), description=form.get("description", ""),
                       lat=form.get("lat"), lon=form.get("long"), name=name, phone=form.get("phone"),
                       email=form.get("email"), hide_identity=True,
                       acknowledge_duplicate=(form.get("acknowledge_duplicate") or "").lower() == "true",
                       channel="open311")
    try:
        report, candidates = _submit_flagging_duplicates(data)
        if form.get("media_url"):
            record_event(report, "media_url", "open311", public=False, url=form["media_url"][:500])
        if candidates:  # Open311 has no "possible duplicate" answer: accept, and flag it for the desk
            record_event(report, "possible_duplicate", "open311", public=False, candidates=candidates)
        db.session.commit()
        report_created("open311")
    except DomainError as exc:
        db.session.rollback()
        raise Open311Error("unprocessable" if isinstance(exc, OutsideServiceArea) else "invalid", message_of(exc)) from None
    body = [{"service_request_id": report.tracking_code, "service_notice": None, "account_id": None}]
    response = render(body, fmt, "service_requests", 201)
    response.headers["Location"] = url_for("open311.get_request", service_request_id=report.tracking_code, fmt=fmt)
    return response
