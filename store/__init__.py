"""The database layer, below every package: the declarative base, the Flask-SQLAlchemy handle, the
clock of stored times, transaction settings, and the routing of read-only work to a replica.

``geo``, ``reports`` and ``tiles`` import their database from here, never from the web package;
``webapp.create_app`` binds :data:`db` to the app (``db.init_app``).
"""
import functools
import hashlib
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Connection, Pool, insert, inspect, text
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import MANYTOONE, DeclarativeBase, make_transient_to_detached

from settings import CITY


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


LOCAL_TZ = ZoneInfo(CITY.time_zone)  # the city's time (Vietnam: UTC+7, no daylight saving): deadlines, hours, digests


def utcnow() -> datetime:
    """Stored times are timezone-aware UTC (columns ``timestamptz``)."""
    return datetime.now(timezone.utc)


def allow_big_reads() -> None:
    """For the rest of this transaction: enough memory to group a 90-day period of a million-report
    city in memory (the default 4 MB spills hash tables and sorts to disk), and parallel workers
    for the period scans (PostgreSQL's default costs keep these 20–300 ms queries serial)."""
    db.session.execute(text("SET LOCAL work_mem = '64MB'; SET LOCAL parallel_setup_cost = 10; "
                            "SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL min_parallel_index_scan_size = 0"))


@sa_event.listens_for(Pool, "checkin")
def _autocommit_off_at_checkin(dbapi_connection, connection_record) -> None:
    if dbapi_connection is not None and getattr(dbapi_connection, "autocommit", False):
        dbapi_connection.autocommit = False


def _session_in_use():
    """The session a read must run in: one in a transaction, or one bound to a single connection (the
    tests' rolled-back transaction); else None. A request that has not opened a session yet does not
    open one to find out (making and closing it cost ~5% of a tracking page's time)."""
    scoped = db.session
    if isinstance(scoped.session_factory.kw.get("bind"), Connection):
        return scoped()
    if scoped.registry.has() and scoped().in_transaction():
        return scoped()
    return None


def autocommit_read(statement, params: dict | None = None, prepared: bool = False) -> list:
    """Rows (as mappings) of a read-only statement, in one round trip when it can be.

    ``prepared``: on a pooled connection the statement is a server-side prepared statement, made once
    per connection (``_prepared``). For lookups by key whose best plan never depends on the values
    (a report by its code, the ward of a point): PostgreSQL then stops planning them on every call,
    which cost more than running them (0.13 against 0.04 ms for the public view of a report, 0.19
    against 0.06 ms for a point's ward). Not for statements with optional filters or ranges whose
    plan does (PostgreSQL may settle on one generic plan for all values). ``DATABASE_PREPARED_READS=0``
    turns them off (behind a pooler in transaction mode).

    Outside a transaction it runs on a pooled connection in autocommit: no BEGIN before and no
    ROLLBACK after, which psycopg2 would add around a transaction's first read (two of a simple
    read's three round trips). Inside one (a request that also writes, the tests' rolled-back
    transaction) it runs there, so it sees that transaction's own rows.

    psycopg2's ``autocommit`` is a flag on the client (it decides whether BEGIN is sent). It is set
    directly rather than through SQLAlchemy's isolation level, whose reset when the connection goes
    back to the pool costs as much as a query (measured); the pool's ``checkin`` hook above turns it
    off again for the next user."""
    session = _session_in_use()
    if session is not None:
        return session.execute(statement, params or {}).mappings().all()
    # The pooled DBAPI connection itself: SQLAlchemy's Connection and Result add ~0.2 ms of Python
    # to a 0.3 ms query (measured on the tracking page), for nothing a plain text() read needs.
    engine = replica_engine() or db.engine
    (sql, constants), dialect = _compiled(statement), engine.dialect
    try:
        connection = engine.raw_connection()
    except dialect.loaded_dbapi.Error as exc:  # no connection to be had (the server down or starting up)
        raise DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error) from exc
    try:
        connection.driver_connection.autocommit = True
        with connection.cursor() as cursor:
            values = {**constants, **params} if params else constants
            if prepared and SETTINGS["prepared_reads"]:
                _execute_prepared(cursor, connection.info.setdefault("prepared", set()), sql, values,
                                  dialect.loaded_dbapi)
            else:
                cursor.execute(sql, values)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy would raise it (webapp.resilience retries)
        lost = dialect.is_disconnect(exc, connection.driver_connection, None)
        if lost:  # the server restarted: this connection and every pooled one are dead
            connection.invalidate(exc)
            engine.dispose()
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost) from exc
    finally:
        connection.close()  # back to the pool


def insert_new(parent, *collections: str) -> None:
    """Write a new ORM object and the new objects of its one-to-many ``collections`` with one Core
    INSERT per table, then put them in the session as if just loaded (persistent, ids set).

    Why: for a new report and its first events, the unit of work's bookkeeping cost about 1 ms of
    Python per submission, more than the statements themselves (measured: bench/submit.py, README).
    What the objects hold is written as they hold it: columns they set, the keys of the many-to-one
    objects they point to; a column left unset gets its default. Values the database computes
    (generated columns) are loaded when first read, as after a commit."""
    connection = db.session.connection()
    parent_table = inspect(parent).mapper.local_table
    parent_id = connection.execute(_insert_returning_id(parent_table), _row(parent)).scalar_one()
    parent.id = parent_id
    children = []
    for name in collections:
        relationship = inspect(parent).mapper.relationships[name]
        (local, remote), = relationship.local_remote_pairs
        members = list(getattr(parent, name))
        if not members:
            continue
        rows = [{**_row(child), remote.key: getattr(parent, local.key)} for child in members]
        table = relationship.mapper.local_table
        keys = set().union(*rows)  # one statement for all, in the objects' order: every row names the same columns
        rows = [{key: row[key] if key in row else _default(table.c[key]) for key in keys} for row in rows]
        ids = connection.execute(_insert_returning_id(table), rows).scalars()
        for child, child_id in zip(members, ids, strict=True):
            child.id = child_id
            setattr(child, remote.key, parent_id)
        children += members
    for obj in (parent, *children):
        make_transient_to_detached(obj)
    db.session.add(parent)


@functools.cache
def _insert_returning_id(table):
    """Built once per table (building it, and its cache key, per call cost as much as running it)."""
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def _default(column):
    """What the INSERT would have put in ``column`` had the row not named it: its Python default."""
    default = column.default
    if default is None:
        if column.server_default is not None:  # only the database knows it: NULL would be wrong
            raise ValueError(f"{column} has a server default only: set it on every object or on none")
        return None
    return default.arg(None) if default.is_callable else default.arg  # (SQLAlchemy wraps callables to take a context)


def _row(obj) -> dict:
    """The column values a new object holds, with the keys of the many-to-one objects it points to."""
    state = inspect(obj)
    values = state.dict
    row = {prop.columns[0].key: values[prop.key] for prop in state.mapper.column_attrs if prop.key in values}
    for relationship in state.mapper.relationships:
        target = values.get(relationship.key)
        if relationship.direction is MANYTOONE and target is not None:
            for local, remote in relationship.local_remote_pairs:
                row[local.key] = getattr(target, remote.key)
    return row


_compiled_sql: dict = {}


_prepared_texts: dict[str, tuple[str, str, str]] = {}  # SQL → (name, PREPARE text, EXECUTE text)
UNDEFINED_PREPARED_STATEMENT, DUPLICATE_PREPARED_STATEMENT = "26000", "42P05"


def _prepared(sql: str) -> tuple[str, str, str]:
    """The name, ``PREPARE`` and ``EXECUTE`` texts of ``sql`` (``%(name)s`` placeholders become ``$n``;
    the EXECUTE text keeps the names, so the same parameters bind it), made once per process. The name
    is a digest of the SQL: the same in every thread and process, never one name for two statements."""
    found = _prepared_texts.get(sql)
    if found is None:
        order: list[str] = []

        def numbered(match) -> str:
            if match.group(1) is None:
                return "%"  # the driver's escaped percent sign: PREPARE is sent without parameters
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"
        body = re.sub(r"%\((\w+)\)s|%%", numbered, sql)
        name = f"phananh_read_{hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()}"
        arguments = f"({', '.join(f'%({n})s' for n in order)})" if order else ""
        found = _prepared_texts[sql] = (name, f"PREPARE {name} AS {body}", f"EXECUTE {name}{arguments}")
    return found


def _execute_prepared(cursor, made: set, sql: str, values: dict, dbapi) -> None:
    """EXECUTE ``sql`` prepared on this connection (``made``: the names prepared on it, kept with the
    pooled connection and emptied when it is replaced). A statement the server no longer knows (a
    pooler or ``DISCARD ALL`` dropped it) is prepared again once."""
    name, prepare, execute = _prepared(sql)
    for attempt in (1, 2):
        if name not in made:
            try:
                cursor.execute(prepare)
            except dbapi.Error as exc:  # already there (prepared before this set knew it): use it
                if getattr(exc, "pgcode", None) != DUPLICATE_PREPARED_STATEMENT:
                    raise
            made.add(name)
        try:
            cursor.execute(execute, values)
            return
        except dbapi.Error as exc:
            if attempt == 2 or getattr(exc, "pgcode", None) != UNDEFINED_PREPARED_STATEMENT:
                raise
            made.discard(name)


def _compiled(statement) -> tuple[str, dict]:
    """A ``text()`` or Core statement in the driver's own parameter style (``%(name)s``), compiled once,
    with the values of the parameters it binds itself (``role == "officer"``)."""
    found = _compiled_sql.get(statement)
    if found is None:
        compiled = statement.compile(dialect=db.engine.dialect)
        found = _compiled_sql[statement] = (str(compiled), dict(compiled.params))
    return found
