"""A person's requests about their personal data (``reports.privacy.requests``):

- ``POST /api/v1/reports/<code>/privacy-requests`` ``{"kind", "reporter_secret", "detail"?}``: the
  report's key proves the person; 202 ``{"request": {"id", "kind", "status", "due_at"}}``, and for
  ``access`` the copy at once (``"copy"``); 403 ``reporter_secret_required`` without the key.
- ``POST /api/v1/privacy-requests`` ``{"email", "kind"}``: for a person who no longer holds a key;
  202 and a confirmation link sent to the address — the same answer whether or not it is known. Or
  ``{"phone", "kind"}`` where the city receives SMS: 202 ``{"send", "to"}``, the code the phone sends
  by SMS to the city's number to prove it (nothing is sent to a number).
"""
from flask import current_app, jsonify

from reports.privacy.requests import (
    InvalidPrivacyRequest,
    request_by_email,
    request_by_phone,
    request_with_key,
)
from reports.workflow.lifecycle import get_by_tracking_code
from store import db
from webapp.api import bp
from webapp.api.reports import alert_limit, resident_action_limit, resident_body
from webapp.extensions import limiter, privacy_deadlines
from webapp.security import authorised_by_reporter_secret


@bp.post("/reports/<tracking_code>/privacy-requests")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def report_privacy_request(tracking_code):
    body, secret = resident_body()
    report = get_by_tracking_code(tracking_code)
    kind, detail = body.get("kind"), body.get("detail")
    request, copy = request_with_key(report, secret, kind if isinstance(kind, str) else "", privacy_deadlines(),
                                     detail if isinstance(detail, str) else None)
    answer = {"request": request.public_dict(), **({"copy": copy} if copy is not None else {})}
    db.session.commit()
    return jsonify(answer), 202


@bp.post("/privacy-requests")
@limiter.limit(alert_limit, methods=["POST"])
def privacy_request_by_email():
    body, _secret = resident_body()
    email, phone, kind = body.get("email"), body.get("phone"), body.get("kind")
    if not isinstance(kind, str) or not isinstance(email or phone, str):
        raise InvalidPrivacyRequest("give your email address or phone and what you ask (kind)", key="invalid_privacy_request")
    if isinstance(phone, str) and not email:
        number = current_app.config["SMS_INBOUND_NUMBER"]
        if not (number and current_app.config["SMS_INBOUND_TOKEN"]):
            raise InvalidPrivacyRequest("requests by phone are not offered here", key="phone_requests_off")
        made = request_by_phone(phone, kind, privacy_deadlines())
        db.session.commit()
        return jsonify({"message": "send this code by SMS from that phone", "send": made.proof_code, "to": number}), 202
    request_by_email(email, kind, privacy_deadlines())
    db.session.commit()
    return jsonify({"message": "if this address holds data here, a confirmation link is on its way"}), 202
