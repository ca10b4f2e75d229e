"""The database layer, below every package: the declarative base, the Flask-SQLAlchemy handle, the
clock of stored times, and transaction settings.

``geo``, ``reports`` and ``tiles`` import their database from here, never from the web package;
``webapp.create_app`` binds :data:`db` to the app (``db.init_app``).
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, Pool, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (geo, reports, ...)."""


db = SQLAlchemy(model_class=Base)


LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")  # Vietnam's time (UTC+7, no daylight saving): deadlines, hours, digests


def utcnow() -> datetime:
    """Stored times are timezone-aware UTC (columns ``timestamptz``)."""
    return datetime.now(timezone.utc)


def roomy_transaction() -> None:
    """For the rest of this transaction: enough memory to group a 90-day period of a million-report
    city in memory (the default 4 MB spills hash tables and sorts to disk), and parallel workers
    for the period scans (PostgreSQL's default costs keep these 20–300 ms queries serial)."""
    db.session.execute(text("SET LOCAL work_mem = '64MB'; SET LOCAL parallel_setup_cost = 10; "
                            "SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL min_parallel_index_scan_size = 0"))


@sa_event.listens_for(Pool, "checkin")
def _autocommit_off_at_checkin(dbapi_connection, connection_record) -> None:
    if dbapi_connection is not None and getattr(dbapi_connection, "autocommit", False):
        dbapi_connection.autocommit = False


def read(statement, params: dict | None = None) -> list:
    """Rows (as mappings) of a read-only statement, in one round trip when it can be.

    Outside a transaction it runs on a pooled connection in autocommit: no BEGIN before and no
    ROLLBACK after, which psycopg2 would add around a transaction's first read (two of a simple
    read's three round trips). Inside one (a request that also writes, the tests' rolled-back
    transaction) it runs there, so it sees that transaction's own rows.

    psycopg2's ``autocommit`` is a flag on the client (it decides whether BEGIN is sent). It is set
    directly rather than through SQLAlchemy's isolation level, whose reset when the connection goes
    back to the pool costs as much as a query (measured); the pool's ``checkin`` hook above turns it
    off again for the next user."""
    session = db.session()
    if session.in_transaction() or isinstance(session.get_bind(), Connection):
        return session.execute(statement, params or {}).mappings().all()
    # The pooled DBAPI connection itself: SQLAlchemy's Connection and Result add ~0.2 ms of Python
    # to a 0.3 ms query (measured on the tracking page), for nothing a plain text() read needs.
    sql, dialect = _compiled(statement), db.engine.dialect
    connection = db.engine.raw_connection()
    try:
        connection.driver_connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql, params or {})
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy would raise it (webapp.resilience retries)
        lost = dialect.is_disconnect(exc, connection.driver_connection, None)
        if lost:  # the server restarted: this connection and every pooled one are dead
            connection.invalidate(exc)
            db.engine.dispose()
        raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost) from exc
    finally:
        connection.close()  # back to the pool


_compiled_sql: dict = {}


def _compiled(statement) -> str:
    """A ``text()`` statement in the driver's own parameter style (``%(name)s``), compiled once."""
    sql = _compiled_sql.get(statement)
    if sql is None:
        sql = _compiled_sql[statement] = str(statement.compile(dialect=db.engine.dialect))
    return sql
