"""The database layer, below every package: the declarative base, the Flask-SQLAlchemy handle, the
clock of stored times, and transaction settings.

``geo``, ``reports`` and ``tiles`` import their database from here, never from the web package;
``webapp.create_app`` binds :data:`db` to the app (``db.init_app``).
"""
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (geo, reports, ...)."""


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """Stored times are timezone-aware UTC (columns ``timestamptz``)."""
    return datetime.now(timezone.utc)


def roomy_transaction() -> None:
    """For the rest of this transaction: enough memory to group a 90-day period of a million-report
    city in memory (the default 4 MB spills hash tables and sorts to disk), and parallel workers
    for the period scans (PostgreSQL's default costs keep these 20–300 ms queries serial)."""
    db.session.execute(text("SET LOCAL work_mem = '64MB'; SET LOCAL parallel_setup_cost = 10; "
                            "SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL min_parallel_index_scan_size = 0"))
