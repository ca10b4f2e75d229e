"""What administrators did: every change made from ``/admin`` (or its commands), who, when, to what.

Kept for years like a report's audit trail; never holds a password, a token or an API key — only what
was changed (``data``: the fields before and after)."""
from datetime import datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store import db, utcnow


class AdminEvent(db.Model):
    __tablename__ = "admin_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[dict] = mapped_column(JSONB, default=dict)


def log_admin(actor: str, action: str, target: str = "", **data) -> AdminEvent:
    """Add one entry (the caller commits it with the change itself)."""
    event = AdminEvent(actor=actor, action=action, target=target, data=data)
    db.session.add(event)
    return event


def recent_admin_events(limit: int = 200, target: str | None = None) -> list[AdminEvent]:
    query = select(AdminEvent).order_by(AdminEvent.at.desc(), AdminEvent.id.desc()).limit(limit)
    if target:
        query = query.where(AdminEvent.target == target)
    return list(db.session.scalars(query))
