"""Two-factor sign-in for staff: TOTP (RFC 6238, pyotp) and one-time recovery codes.

Enrolment is two steps: a secret is proposed (shown as a QR code and as text), and only a correct
code from the authenticator app turns it on, so a mistyped scan never locks anyone out. Recovery
codes are shown once and kept as SHA-256 hashes (each is 50 random bits, so a plain hash suffices);
a used code is removed.
"""
import hashlib
import io
import secrets
from base64 import b64encode
from datetime import datetime, timezone

import pyotp
import qrcode
import qrcode.image.svg

from reports.accounts.staff import StaffUser

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


def _code_ok(secret: str, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    return code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def enable(user: StaffUser, secret: str, code: str) -> list[str] | None:
    """Turn on TOTP with ``secret`` if ``code`` matches; return the new recovery codes (shown once)."""
    if not _code_ok(secret, code):
        return None
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_enabled_at = secret, datetime.now(timezone.utc)
    user.recovery_codes = [_hash(c) for c in codes]
    return codes


def verify(user: StaffUser, code: str) -> bool:
    """A current TOTP code, or an unused recovery code (which is then used up)."""
    if not user.two_factor_enabled:
        return False
    if _code_ok(user.totp_secret, code):
        return True
    hashed = _hash(code or "")
    if hashed in (user.recovery_codes or []):
        user.recovery_codes = [h for h in user.recovery_codes if h != hashed]
        return True
    return False


def disable(user: StaffUser) -> None:
    user.totp_secret, user.totp_enabled_at, user.recovery_codes = None, None, []
    user.end_sessions()
