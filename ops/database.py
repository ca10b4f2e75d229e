"""Creating and dropping a PostgreSQL database (with PostGIS), through the server's maintenance
database: what a restore, the tests and ``make``'s setup do (``devtools.dbsetup`` picks the server)."""
import sys

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url


def admin_dsn(url: str, dbname: str = "postgres") -> str:
    """A libpq DSN for the same server as ``url`` but on the maintenance database."""
    u = make_url(url).set(drivername="postgresql", database=dbname)
    return u.render_as_string(hide_password=False)


def create_database(url: str) -> None:
    """Create the database of ``url`` when missing, with the postgis extension."""
    name = make_url(url).database
    conn = psycopg2.connect(admin_dsn(url))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                        .format(sql.Identifier(name)))
            print(f"created database {name}", file=sys.stderr)
    conn.close()
    conn = psycopg2.connect(admin_dsn(url, name))
    conn.autocommit = True
    with conn.cursor() as cur:
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg2.Error as exc:
            raise SystemExit(f"PostGIS is not available on the server of {name}: {exc}".strip()
                             + "\nInstall the Debian package postgresql-15-postgis-3 (make postgis).") from None
    conn.close()


def drop_database(url: str) -> None:
    name = make_url(url).database
    conn = psycopg2.connect(admin_dsn(url))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()
