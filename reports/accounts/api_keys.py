"""API keys for Open311 clients: shown once, stored as a SHA-256 hash, revocable."""
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from store import db, utcnow


class ApiKey(db.Model):
    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(12), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(name: str) -> tuple[ApiKey, str]:
    """Return the stored row and the key itself (the only time it exists in clear)."""
    key = "pa_" + secrets.token_urlsafe(24)
    row = ApiKey(name=name.strip()[:200] or "unnamed", prefix=key[:10], key_hash=_hash(key))
    db.session.add(row)
    return row, key


def valid_api_key(key: str | None) -> ApiKey | None:
    if not key or len(key) > 200:
        return None
    row = db.session.query(ApiKey).filter_by(key_hash=_hash(key)).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    return row


def revoke_api_key(prefix_or_id: str) -> ApiKey | None:
    query = db.session.query(ApiKey)
    row = (query.filter_by(id=int(prefix_or_id)).one_or_none() if prefix_or_id.isdigit()
           else query.filter_by(prefix=prefix_or_id).one_or_none())
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
