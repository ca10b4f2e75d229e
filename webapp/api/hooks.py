"""``POST /api/v1/hooks/sms``: what the city's SMS number (``SMS_INBOUND_NUMBER``) receives, posted by
its gateway as ``{"from": "0905…", "text": "PA 123456"}`` with ``Authorization: Bearer
SMS_INBOUND_TOKEN``. A message carrying a pending subscription's code proves that the phone asked for
the updates (``reports.notify.phones``), or a request about the phone's personal data
(``reports.privacy.requests``); anything else is ignored."""
import hmac

from flask import current_app, jsonify, request

from reports.notify.phones import record_proof
from reports.privacy.requests import verify_by_sms
from store import db
from webapp.api import bp
from webapp.errors import ApiError, error_body
from webapp.extensions import csrf, limiter


def _from_the_gateway() -> bool:
    expected = current_app.config["SMS_INBOUND_TOKEN"] or ""
    given = (request.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@bp.post("/hooks/sms")
@csrf.exempt  # the gateway's token is the authority, not a browser session
@limiter.limit("600 per minute")
def sms_received():
    if not _from_the_gateway():
        response = jsonify(error_body("unauthorized", "this hook is for the city's SMS gateway"))
        response.status_code, response.headers["WWW-Authenticate"] = 401, 'Bearer realm="sms-gateway"'
        return response
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("from"), str) or not isinstance(body.get("text"), str):
        raise ApiError("invalid_request", 'the body must be {"from": "<number>", "text": "<message>"}')
    confirmed = record_proof(body["from"][:40], body["text"][:500]) + verify_by_sms(body["from"][:40], body["text"][:500])
    db.session.commit()
    return jsonify({"confirmed": confirmed})
