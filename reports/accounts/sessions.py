"""Staff sign-in sessions kept on the server: one row per sign-in, ended at sign-out.

A signed cookie alone cannot be taken back: one copied before "Đăng xuất" went on opening the desk
(issue 28). Now the cookie names a session row by a random token (only its SHA-256 is stored, so a
backup holds no usable token), and a request is signed in only while that row is open, within its idle
and absolute limits, and was opened under the account's current ``session_token`` (rotating it — a new
password, deactivation, "sign out everywhere" — closes every row at once). The account page lists the
open rows, each with "end this session".
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Index, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reports.accounts.staff import StaffUser
from store import db, utcnow

SEEN_RESOLUTION = timedelta(minutes=1)  # last_seen_at is written at most once a minute


class StaffSession(db.Model):
    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_user_open", "user_id", postgresql_where="ended_at IS NULL"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    user_token: Mapped[str] = mapped_column(String(64))  # the account's session_token when it was opened
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    device: Mapped[str] = mapped_column(String(200), default="")  # the browser's User-Agent, shortened

    user = relationship(StaffUser)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: StaffUser, device: str, created_at: datetime | None = None) -> str:
    """A new session of ``user``; returns the token its cookie carries (the caller commits)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(StaffSession(token_hash=_hash(token), user_id=user.id, user_token=user.get_id(),
                                created_at=created_at or now, last_seen_at=now, device=(device or "")[:200]))
    return token


def session_of(token: str, idle: timedelta, longest: timedelta, bind_arguments: dict | None = None) -> StaffSession | None:
    """The open session ``token`` names, with its account (active, token unchanged), within the limits;
    its last use is recorded (at most once a minute). ``bind_arguments``: where to read it (the
    primary, in a request that otherwise reads from a replica)."""
    if not token or len(token) > 64:
        return None
    row = db.session.execute(
        select(StaffSession, StaffUser).join(StaffUser, StaffUser.id == StaffSession.user_id)
        .where(StaffSession.token_hash == _hash(token), StaffSession.ended_at.is_(None), StaffUser.active,
               StaffUser.session_token == StaffSession.user_token), bind_arguments=bind_arguments).first()
    if row is None:
        return None
    session, now = row[0], utcnow()
    if now - session.last_seen_at > idle or now - session.created_at > longest:
        return None
    if now - session.last_seen_at > SEEN_RESOLUTION:
        session.last_seen_at = now
        db.session.commit()
    return session


def end_session(token: str) -> None:
    db.session.execute(update(StaffSession).where(StaffSession.token_hash == _hash(token or ""),
                                                  StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_session_of(user: StaffUser, session_id: int) -> bool:
    """End one of ``user``'s sessions (from the account page); False when it is not theirs or not open."""
    result = db.session.execute(update(StaffSession).where(
        StaffSession.id == session_id, StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow()))
    return result.rowcount == 1


def open_sessions(user: StaffUser) -> list[StaffSession]:
    """The account's sessions that still open the desk, the latest used first."""
    return list(db.session.scalars(select(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None),
        StaffSession.user_token == user.session_token).order_by(StaffSession.last_seen_at.desc())))


def is_this(session: StaffSession, token: str) -> bool:
    return session.token_hash == _hash(token or "")
