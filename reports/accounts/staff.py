"""Staff accounts and their roles. Residents need no account.

``officer``: one ward, one or more fields; ``ward_lead``: the whole ward; ``dispatcher``: all wards,
sees reporters' identities; ``leader``: read-only, all wards; ``admin``: users, categories, boundaries.
A ward is kept by its official code, which survives boundary generations.
"""
import secrets
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from store import db, utcnow

ROLES = ("officer", "ward_lead", "dispatcher", "leader", "admin")
WARD_ROLES = ("officer", "ward_lead")


class AccountError(ValueError):
    """A rule of staff accounts broken; ``key`` names it for a message in the reader's language."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def new_session_token() -> str:
    return secrets.token_hex(24)


class StaffUser(db.Model):
    """A staff account. The session cookie carries ``session_token`` (Flask-Login's alternative id),
    never the row id: rotating the token (password change, deactivation, "sign out everywhere")
    ends every session of the account at its next request."""

    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    ward_code: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    fields: Mapped[list] = mapped_column(JSONB, default=list)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    recovery_codes: Mapped[list] = mapped_column(JSONB, default=list)  # SHA-256 hashes, used ones removed
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # the last code's step: used once
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def handles(self, ward_code: str | None, field: str | None) -> bool:
        """May this account take a report of ``field`` in ``ward_code`` as its officer (the desk's first
        choice, a routing rule's target)? An active officer of that ward whose fields include it."""
        return (self.active and self.role == "officer" and ward_code is not None and self.ward_code == ward_code
                and field in (self.fields or []))

    # What a signed-in user answers to the web's sign-in library (Flask-Login's user protocol), written
    # here so that the domain imports nothing of the web: an account is a person signed in, not an
    # anonymous visitor, and an inactive one is refused.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        if not self.session_token:
            self.session_token = new_session_token()
        return self.session_token

    def end_sessions(self) -> None:
        """Every cookie issued so far answers as signed out from the next request on."""
        self.session_token = new_session_token()

    def deactivate(self) -> None:
        self.active = False
        self.end_sessions()

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def set_password(self, password: str, method: str = "scrypt") -> None:
        if len(password) < 10:
            raise AccountError("a password needs at least 10 characters", "password_too_short")
        self.password_hash = generate_password_hash(password, method=method)
        self.password_changed_at = utcnow()
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def label(self) -> str:
        return self.display_name or self.email


_DUMMY_HASHES: dict[str, str] = {}


def check_password_of_nobody(password: str, method: str = "scrypt") -> None:
    """Spend the time a real check takes, so that an unknown email answers as slowly as a wrong
    password (no account probing by timing)."""
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)


def find_active_user(email: str) -> StaffUser | None:
    return db.session.query(StaffUser).filter_by(email=(email or "").strip().lower(), active=True).one_or_none()


def user_by_session_token(token: str) -> StaffUser | None:
    """The active account whose current session token is ``token`` (None after a rotation)."""
    if not token or len(token) > 64:
        return None
    return db.session.query(StaffUser).filter_by(session_token=token, active=True).one_or_none()


def create_user(email: str, role: str, password: str, ward_code: str | None = None,
                fields: list[str] | None = None, display_name: str = "", method: str = "scrypt") -> StaffUser:
    """Create or update the account ``email`` (the caller commits)."""
    check_assignment(role, ward_code, fields)
    email = email.strip().lower()
    user = db.session.query(StaffUser).filter_by(email=email).one_or_none() or StaffUser(email=email)
    user.role, user.ward_code, user.fields = role, ward_code if role in WARD_ROLES else None, fields or []
    user.display_name, user.active = display_name or user.display_name or "", True
    user.set_password(password, method)
    db.session.add(user)
    return user


def check_assignment(role: str, ward_code: str | None, fields: list[str] | None) -> None:
    """The rules every account keeps: a known role, a ward for ward roles, a field for officers."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}", "unknown_role")
    if role in WARD_ROLES and not ward_code:
        raise AccountError(f"a {role} belongs to a ward", "ward_required")
    if role == "officer" and not fields:
        raise AccountError("an officer needs at least one field", "field_required")


def invite_user(email: str, role: str, ward_code: str | None, fields: list[str], display_name: str,
                method: str = "scrypt") -> StaffUser:
    """A new account whose password nobody knows yet: the invited person sets it from the emailed link
    (``webapp.auth.password_reset``). Refuses an address that already has an account."""
    check_assignment(role, ward_code, fields)
    email = email.strip().lower()
    if db.session.query(StaffUser).filter_by(email=email).one_or_none() is not None:
        raise AccountError("an account with this email already exists", "email_taken")
    return create_user(email, role, secrets.token_urlsafe(32), ward_code, fields, display_name, method)


def change_assignment(user: StaffUser, role: str, ward_code: str | None, fields: list[str], display_name: str) -> dict:
    """Move ``user`` to another role, ward or fields; return what changed (before/after) for the audit.
    A change of role or ward ends the account's sessions (what it may see has changed)."""
    check_assignment(role, ward_code, fields)
    ward_code = ward_code if role in WARD_ROLES else None
    before = {"role": user.role, "ward_code": user.ward_code, "fields": list(user.fields or []),
              "display_name": user.display_name}
    after = {"role": role, "ward_code": ward_code, "fields": list(fields or []), "display_name": display_name}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    user.role, user.ward_code, user.fields, user.display_name = role, ward_code, list(fields or []), display_name
    if "role" in changed or "ward_code" in changed:
        user.end_sessions()
    return changed
