"""Staff accounts and their roles. Residents need no account.

``officer``: one ward, one or more fields; ``ward_lead``: the whole ward; ``dispatcher``: all wards,
sees reporters' identities; ``leader``: read-only, all wards; ``admin``: users, categories, boundaries.
A ward is kept by its official code, which survives boundary generations.
"""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from geo.models import utcnow
from webapp.extensions import db

ROLES = ("officer", "ward_lead", "dispatcher", "leader", "admin")
WARD_ROLES = ("officer", "ward_lead")


class StaffUser(UserMixin, db.Model):
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

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str, method: str = "scrypt") -> None:
        if len(password) < 10:
            raise ValueError("a password needs at least 10 characters")
        self.password_hash = generate_password_hash(password, method=method)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def label(self) -> str:
        return self.display_name or self.email


def create_user(email: str, role: str, password: str, ward_code: str | None = None,
                fields: list[str] | None = None, display_name: str = "", method: str = "scrypt") -> StaffUser:
    """Create or update the account ``email`` (the caller commits)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role in WARD_ROLES and not ward_code:
        raise ValueError(f"a {role} belongs to a ward: give --ward CODE")
    if role == "officer" and not fields:
        raise ValueError("an officer needs at least one field (--field)")
    email = email.strip().lower()
    user = db.session.query(StaffUser).filter_by(email=email).one_or_none() or StaffUser(email=email)
    user.role, user.ward_code, user.fields = role, ward_code if role in WARD_ROLES else None, fields or []
    user.display_name, user.active = display_name or user.display_name or "", True
    user.set_password(password, method)
    db.session.add(user)
    return user
