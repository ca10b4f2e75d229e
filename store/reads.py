"""Reads in one round trip: :func:`autocommit_read` runs a read-only statement on a pooled connection in
autocommit (or in the transaction already open), optionally as a server-side prepared statement."""
import hashlib
import re

from sqlalchemy import Connection, Pool
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError

from store.session import SETTINGS, db, replica_engine


@sa_event.listens_for(Pool, "checkin")
def _autocommit_off_at_checkin(dbapi_connection, connection_record) -> None:
    if dbapi_connection is not None and getattr(dbapi_connection, "autocommit", False):
        dbapi_connection.autocommit = False


def session_in_use():
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
    session = session_in_use()
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
