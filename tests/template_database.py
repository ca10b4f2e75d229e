"""The test database is cloned from a template built once per state of what fills it.

Migrating (31 revisions) and loading Huế and Hà Nội took 15–29 s of every test run, even of one test.
The template ``phananh_tmpl_<digest>`` holds that state; its digest covers the migrations, the code that
loads the reference data and the data files themselves, so any change to them builds a new template
(and drops the older ones). ``CREATE DATABASE … TEMPLATE`` then copies it in about a second.

Two runs at once: the build holds a PostgreSQL advisory lock, and a template gets its name only when
it is complete (built under a temporary name, then renamed).
"""
import hashlib
from pathlib import Path
from typing import Callable

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url

from ops.database import admin_dsn, create_database, drop_database

ROOT = Path(__file__).resolve().parent.parent
# What the template's content depends on: the schema (the migrations), the loaders (geo's importers, the
# categories, the demo loader, the fixture that calls them); the data they read is added by digest().
SOURCES = ("migrations", "geo", "reports/categories.py", "commands/demo.py", "tests/template_database.py",
           "tests/conftest.py")
PREFIX = "phananh_tmpl_"
BUILD_LOCK = 4_644_301  # pg_advisory_lock key of the template build


def digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for root in SOURCES:
        path = ROOT / root
        for f in sorted(path.rglob("*.py") if path.is_dir() else [path]):
            h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    for f in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        stat = f.stat()
        h.update(f"{f.relative_to(data_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _admin(url: str):
    conn = psycopg2.connect(admin_dsn(url))
    conn.autocommit = True
    return conn


def _exists(cur, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    return cur.fetchone() is not None


def clone(url: str, data_dir: Path, build: Callable[[str], None]) -> None:
    """Create the database of ``url`` as a copy of the current template, built first by
    ``build(template_url)`` (migrate and load) when there is none."""
    name = PREFIX + digest(data_dir)
    conn = _admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
            if not _exists(cur, name):
                building = make_url(url).set(database=name + "_building").render_as_string(hide_password=False)
                drop_database(building)
                create_database(building)
                build(building)
                cur.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(name + "_building"), sql.Identifier(name)))
                cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                            (PREFIX + "%", name))
                for (old,) in cur.fetchall():  # older states: never used again
                    cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(old)))
            cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(make_url(url).database), sql.Identifier(name)))
            cur.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))
    finally:
        conn.close()
