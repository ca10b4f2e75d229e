"""The signed links of a staff account: a password reset (``RESET_MAX_AGE_S``) and an invitation
from ``/admin`` (``INVITE_MAX_AGE_S``). A link is good once: it names a fingerprint of the account's
password and session token, both of which change when the password is set. Made by the worker when it
composes the email (never stored in the queue), read by the sign-in pages."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from reports.accounts.staff import StaffUser
from store import db

RESET_MAX_AGE_S = 3600
INVITE_MAX_AGE_S = 7 * 86400
# purpose → (signing salt, lifetime in seconds): a reset link never opens an invitation, nor the reverse
PURPOSES = {"reset": ("staff-password-reset", RESET_MAX_AGE_S), "invite": ("staff-invite", INVITE_MAX_AGE_S)}


def _signer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PURPOSES[purpose][0])


def _fingerprint(user: StaffUser) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_token}".encode()).hexdigest()[:20]


def reset_token(user: StaffUser, purpose: str = "reset") -> str:
    """The signed link's token for ``user`` as the account is now."""
    return _signer(purpose).dumps({"id": user.id, "f": _fingerprint(user)})


def user_of_token(token: str, purpose: str = "reset") -> StaffUser | None:
    try:
        data = _signer(purpose).loads(token, max_age=PURPOSES[purpose][1])
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(StaffUser, data.get("id")) if isinstance(data, dict) else None
    return user if user is not None and user.active and _fingerprint(user) == data.get("f") else None
