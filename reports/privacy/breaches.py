"""The breach register (Law 91/2025/QH15, Decree 356/2025): each incident touching personal data,
recorded with when it was found, the 72 hours the controller has to notify the authority (the
Ministry of Public Security's cybersecurity department, A05), which data and how many people, what was
done (the admin page drafts the notices to the authority and to the people concerned from it). Kept
``RETAIN_BREACH_DAYS`` (5 years)."""
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from reports.errors import InvalidReport
from reports.text import clean_text
from store import db, utcnow

AUTHORITY_HOURS = 72


class InvalidBreach(InvalidReport):
    code = "invalid_breach"


class Breach(db.Model):
    __tablename__ = "breach"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    data_kinds: Mapped[str] = mapped_column(Text)
    people: Mapped[int] = mapped_column(Integer)
    actions: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    people_told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def authority_due(self) -> datetime:
        return self.found_at + timedelta(hours=AUTHORITY_HOURS)


def record(found_at: datetime, recorded_by: str, what: str, data_kinds: str, people, actions: str = "") -> Breach:
    what, data_kinds = clean_text(what, 4000) or "", clean_text(data_kinds, 1000) or ""
    if not what or not data_kinds:
        raise InvalidBreach("say what happened and which data", key="invalid_breach")
    if not isinstance(people, int) or people < 0:
        raise InvalidBreach("the number of people must be a whole number", key="invalid_breach")
    if found_at > utcnow() + timedelta(minutes=5):
        raise InvalidBreach("an incident is found in the past, not the future", key="invalid_breach")
    breach = Breach(found_at=found_at, recorded_by=recorded_by, what=what, data_kinds=data_kinds, people=people,
                    actions=clean_text(actions, 4000) or "")
    db.session.add(breach)
    return breach


def all_breaches() -> list[Breach]:
    return list(db.session.scalars(select(Breach).order_by(Breach.found_at.desc(), Breach.id.desc())))
