"""Two-factor sign-in for staff: TOTP (RFC 6238, pyotp) and one-time recovery codes.

Enrolment is two steps: a secret is proposed (shown as a QR code and as text), and only a correct
code from the authenticator app turns it on, so a mistyped scan never locks anyone out. Recovery
codes are shown once and kept as SHA-256 hashes (each is 50 random bits, so a plain hash suffices);
a used code is removed.

Each code is good once: the account keeps the time step of the last TOTP code it accepted and refuses
that step and earlier ones (a code seen over a shoulder or in a proxy's log cannot open a second
session within its 30 seconds), and a recovery code is removed by one conditional UPDATE, so two
sign-ins racing with the same code cannot both succeed.
"""
import hashlib
import hmac
import io
import secrets
import time
from base64 import b64encode

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import or_, text, update

from reports.accounts.staff import StaffUser
from store import db, utcnow

ISSUER = "Phản Ánh"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a ``data:`` URI (allowed by the CSP's img-src; nothing inline to run)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + b64encode(out.getvalue()).decode()


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def _step_of(secret: str, code: str) -> int | None:
    """The time step (30 s) whose code ``code`` is, within one step of now; None when it is none."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), time.time()
    for offset in (0, -1, 1):
        moment = now + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def _use_step(user: StaffUser, step: int) -> bool:
    """Record ``step`` as the account's last accepted one, unless it (or a later one) already is."""
    used = db.session.execute(update(StaffUser).where(
        StaffUser.id == user.id, or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step))
        .values(totp_last_step=step)).rowcount == 1
    db.session.expire(user, ["totp_last_step"])
    return used


USE_RECOVERY_CODE = text("UPDATE staff_user SET recovery_codes = recovery_codes - CAST(:code AS text) "
                         "WHERE id = :id AND jsonb_exists(recovery_codes, :code)")


def enable(user: StaffUser, secret: str, code: str) -> list[str] | None:
    """Turn on TOTP with ``secret`` if ``code`` matches; return the new recovery codes (shown once)."""
    step = _step_of(secret, code)
    if step is None:
        return None
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    user.recovery_codes, user.totp_last_step = [_hash(c) for c in codes], step
    return codes


def verify(user: StaffUser, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code (which is then used up)."""
    if not user.two_factor_enabled:
        return False
    step = _step_of(user.totp_secret, code)
    if step is not None:
        return _use_step(user, step)
    used = db.session.execute(USE_RECOVERY_CODE, {"id": user.id, "code": _hash(code or "")}).rowcount == 1
    db.session.expire(user, ["recovery_codes"])
    return used


def disable(user: StaffUser) -> None:
    user.totp_secret, user.totp_enabled_at, user.recovery_codes, user.totp_last_step = None, None, [], None
    user.end_sessions()
