"""The session and where its statements go: the declarative base, the Flask-SQLAlchemy handle whose
session sends reads of a view that allows it to the replica (while it answers and lags little) and
everything else to the primary, the data layer's own settings, and a transaction's memory setting.

It reads no request and no app config: the app factory gives its settings (:func:`configure`) and a
view that may read from the replica says so (``webapp.read_routing``, setting :func:`replica_reads`)."""
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import text
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (geo, reports, ...)."""


class RoutingSession(FlaskSession):
    """Reads inside :func:`replica_reads` (a view that says so: ``webapp.read_routing``) read from the replica
    (``DATABASE_REPLICA_URL``, the ``replica`` bind) while it answers and lags at most
    ``REPLICA_MAX_LAG_S``; everything else, and every write — a flush, an INSERT, UPDATE or DELETE,
    even in such a request (an API key's last use) — goes to the primary."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and not _writes(clause):
            replica = replica_engine()
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


_WRITING_SQL = re.compile(r"^\s*(WITH\b.*\b(INSERT|UPDATE|DELETE)\b|INSERT|UPDATE|DELETE|MERGE)\b", re.I | re.S)


def _writes(clause) -> bool:
    """Does this statement write? (Core DML says so; a ``text()`` is read by its first words.)"""
    if clause is None:
        return False
    if getattr(clause, "is_dml", False):
        return True
    return hasattr(clause, "text") and bool(_WRITING_SQL.match(clause.text))


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})

# The data layer's own settings, given by the app factory (store.configure): it reads no request and no
# app config.
SETTINGS = {"replica_max_lag_s": 5.0, "prepared_reads": True}
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def configure(replica_max_lag_s: float, prepared_reads: bool) -> None:
    SETTINGS.update(replica_max_lag_s=float(replica_max_lag_s), prepared_reads=bool(prepared_reads))


@contextmanager
def replica_reads():
    """Reads inside this block may come from the replica (while it answers and lags little)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)

# The replica's state, checked at most every REPLICA_CHECK_S per process: (checked at, usable, lag in s).
REPLICA_CHECK_S = 2.0
_replica_state: dict = {"at": 0.0, "ok": False, "lag_s": None, "error": None}
REPLICA_LAG_SQL = text("""SELECT pg_is_in_recovery(),
    CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
         ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END""")


def replica_status(force: bool = False) -> dict:
    """``{"configured", "ok", "lag_s", "error"}`` of the replica (a short check, kept a moment)."""
    engines = db.engines
    if "replica" not in engines:
        return {"configured": False, "ok": False, "lag_s": None, "error": None}
    now = time.monotonic()
    if force or now - _replica_state["at"] > REPLICA_CHECK_S:
        try:
            with engines["replica"].connect() as conn:
                standby, lag = conn.execute(REPLICA_LAG_SQL).one()
            lag = float(lag or 0)
            ok = bool(standby) and lag <= SETTINGS["replica_max_lag_s"]
            _replica_state.update(at=now, ok=ok, lag_s=round(lag, 3),
                                  error=None if ok else ("not a standby" if not standby else "lagging"))
        except Exception as exc:  # noqa: BLE001  (a replica that does not answer is simply not used)
            _replica_state.update(at=now, ok=False, lag_s=None, error=type(exc).__name__)
            engines["replica"].dispose()
    return {"configured": True, **{k: _replica_state[k] for k in ("ok", "lag_s", "error")}}


def replica_failed() -> None:
    """A read on the replica failed (it stopped, restarts): use the primary until the next check."""
    _replica_state.update(at=time.monotonic(), ok=False, error="failed during a read")
    if "replica" in db.engines:
        db.engines["replica"].dispose()


def on_primary() -> dict:
    """``bind_arguments`` that send one read to the primary even in a request that reads from the
    replica (a session just opened there may not have reached the replica yet); empty otherwise."""
    return {"bind_arguments": {"bind": db.engine}} if replica_engine() is not None else {}


def replica_engine():
    """The replica's engine when this request reads from it and it is usable; else None (primary)."""
    if not _replica_reads.get():
        return None
    return db.engines["replica"] if replica_status()["ok"] else None


def allow_big_reads() -> None:
    """For the rest of this transaction: enough memory to group a 90-day period of a million-report
    city in memory (the default 4 MB spills hash tables and sorts to disk), and parallel workers
    for the period scans (PostgreSQL's default costs keep these 20–300 ms queries serial)."""
    db.session.execute(text("SET LOCAL work_mem = '64MB'; SET LOCAL parallel_setup_cost = 10; "
                            "SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL min_parallel_index_scan_size = 0"))
