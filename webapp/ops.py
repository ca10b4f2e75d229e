"""``flask ops backup`` / ``flask ops restore``: a consistent copy of the database and the photos, and a
new database rebuilt from it.

Why ``pg_dump`` (custom format) and not pgBackRest or ``pg_basebackup`` + WAL archiving: one command
that needs no server configuration, gives one snapshot-consistent file (a single repeatable-read
transaction), restores into a *new* database beside the live one (the drill the tests run) and across
minor PostgreSQL versions. Point-in-time recovery (replaying WAL up to a minute) needs archiving on the
server; it belongs to the production stack, and this backup stays its daily floor.

Consistency with the photos: photos are content-addressed files that are only ever added (a photo is
swept only when no report names it), so copying them *after* the database snapshot gives every photo the
snapshot names. Each backup is a folder ``backup-<UTC time>`` with ``database.dump``, ``photos.tar`` and
``manifest.json``: the migration revision, the counts of reports, events and photos, a checksum of each
table's rows (``md5`` over the ordered rows, computed in the same snapshot as the dump) and a SHA-256 of
each file. ``restore`` checks the files' hashes, restores, then recomputes the counts and checksums and
refuses to call the restore good unless they match; migrations then run on the restored database.
"""
import hashlib
import json
import os
import subprocess
import tarfile
import time
from datetime import datetime, timezone
from pathlib import Path

import click
import psycopg2
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from webapp.dbsetup import create_database

ops_cli = AppGroup("ops", help="Backups and restores.")

# The tables whose rows the manifest fingerprints (what a city cannot lose); the rest (jobs, caches) is
# restored as it was but not checked row by row.
CHECKED_TABLES = {
    "report": "SELECT md5(string_agg(concat_ws('|', id, tracking_code, status, ward_id, category_id, updated_at, "
              "ST_AsEWKT(location)), ',' ORDER BY id)) FROM report",
    "report_event": "SELECT md5(string_agg(concat_ws('|', id, report_id, kind, created_at, message), ',' ORDER BY id)) "
                    "FROM report_event",
    "report_photo": "SELECT md5(string_agg(concat_ws('|', id, report_id, sha256, kind), ',' ORDER BY id)) FROM report_photo",
    "staff_user": "SELECT md5(string_agg(concat_ws('|', id, email, role, ward_code, active), ',' ORDER BY id)) FROM staff_user",
}


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    candidate = Path(current_app.config["PG_BIN_DIR"]) / name
    return str(candidate) if candidate.exists() else name


def fingerprint(cur) -> dict:
    """Counts and row checksums of the checked tables, and the migration revision (one snapshot)."""
    out = {"revision": None, "counts": {}, "checksums": {}}
    cur.execute("SELECT version_num FROM alembic_version")
    out["revision"] = cur.fetchone()[0]
    for table, checksum_sql in CHECKED_TABLES.items():
        cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (names from the constant above)
        out["counts"][table] = cur.fetchone()[0]
        cur.execute(checksum_sql)
        out["checksums"][table] = cur.fetchone()[0] or ""
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(database_url: str, photo_dir: Path, into: Path, echo=lambda line: None) -> Path:
    """Write one backup folder under ``into``; return it."""
    folder = into / f"backup-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    conn = psycopg2.connect(_libpq(database_url))
    conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with conn.cursor() as cur:
        # The fingerprint and the dump read the same snapshot: pg_dump joins this one.
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        manifest = fingerprint(cur)
        echo(f"database snapshot {snapshot}: " + ", ".join(f"{n} {t}" for t, n in manifest["counts"].items()))
        started = time.perf_counter()
        subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                        "--file", str(folder / "database.dump"), _libpq(database_url)], check=True)
        echo(f"database dumped in {time.perf_counter() - started:.1f} s")
    conn.rollback()
    conn.close()
    files = sorted(p for p in photo_dir.rglob("*") if p.is_file()) if photo_dir.exists() else []
    with click.progressbar(files, label=f"photos: {len(files)} files") as bar, \
            tarfile.open(folder / "photos.tar", "w") as tar:
        for path in bar:
            tar.add(path, arcname=str(path.relative_to(photo_dir)))
    manifest.update(created_at=datetime.now(timezone.utc).isoformat(), photo_files=len(files),
                    files={name: _sha256(folder / name) for name in ("database.dump", "photos.tar")})
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    echo(f"backup written to {folder}")
    return folder


def restore(folder: Path, database_url: str, photo_dir: Path, echo=lambda line: None) -> dict:
    """Rebuild a *new* database ``database_url`` (refused when it holds tables) and the photos from
    ``folder``; check it against the manifest; return the restored fingerprint."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected:
            raise click.ClickException(f"{name} does not match its checksum: the backup is damaged")
    create_database(database_url)
    conn = psycopg2.connect(_libpq(database_url))
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'")
        if cur.fetchone()[0]:
            raise click.ClickException(f"{make_url(database_url).database} already holds tables: restore into a new database")
    conn.close()
    started = time.perf_counter()
    subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", _libpq(database_url),
                    str(folder / "database.dump")], check=True, env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})
    echo(f"database restored in {time.perf_counter() - started:.1f} s")
    photo_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "photos.tar") as tar:
        tar.extractall(photo_dir, filter="data")
    conn = psycopg2.connect(_libpq(database_url))
    with conn.cursor() as cur:
        restored = fingerprint(cur)
    conn.close()
    for key in ("revision", "counts", "checksums"):
        if restored[key] != manifest[key]:
            raise click.ClickException(f"the restored database differs from the backup ({key}): "
                                       f"{restored[key]} != {manifest[key]}")
    echo("restored database matches the backup: " + ", ".join(f"{n} {t}" for t, n in restored["counts"].items()))
    return restored


@ops_cli.command("backup")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of backups (default var/backups).")
def backup_command(into):
    """Back up the database and the photos (a folder with a manifest of counts and checksums)."""
    into = into or Path(current_app.config["BACKUP_DIR"])
    backup(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(current_app.config["PHOTO_DIR"]), into, click.echo)


@ops_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--database-url", required=True, help="A new database to rebuild (created when missing).")
@click.option("--photo-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Where to put the photos (a new folder; PHOTO_DIR of the restored app).")
def restore_command(folder, database_url, photo_dir):
    """Rebuild a new database and photo folder from FOLDER, check them, then run the migrations."""
    restore(folder, database_url, photo_dir, click.echo)
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.config import sqlalchemy_url
    restored_app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url), "PHOTO_DIR": str(photo_dir)})
    with restored_app.app_context():
        upgrade()
    click.echo("migrations run on the restored database: it is ready (point DATABASE_URL and PHOTO_DIR at it)")
