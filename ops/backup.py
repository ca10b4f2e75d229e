"""Backups: a consistent copy of the database and the photos, and a
new database rebuilt from it (the commands: ``flask ops backup``, ``backup-key``, ``restore``:
``commands.ops``).

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

Secrets: a backup holds reporters' identities, password hashes and TOTP secrets. Its folder and files
are readable by their owner only; the dump and the photos are encrypted with ``age`` for
``BACKUP_AGE_RECIPIENTS`` (required in production; the files are then named ``*.age``) and the private
key, kept away from the server, is given to ``restore --identity``; no password is ever put on a command
line (``/proc/<pid>/cmdline`` is readable by every user): PostgreSQL's tools get it in their environment.
"""
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2
from sqlalchemy.engine import make_url

from ops.database import create_database
from settings import process_env
from store import utcnow

ENCRYPTED = ".age"  # the suffix of a file encrypted for BACKUP_AGE_RECIPIENTS

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


class BackupError(Exception):
    """A backup or a restore that cannot be made or trusted; the message says why."""


def _libpq(url: str) -> str:
    """The connection string for PostgreSQL's tools, without the password: a command line is readable
    by every user of the machine (``/proc/<pid>/cmdline``); the password goes in the environment."""
    # (URL.set ignores None: _replace removes the password for good)
    return make_url(url).set(drivername="postgresql")._replace(password=None).render_as_string(hide_password=False)


def _tool_env(url: str) -> dict:
    password = make_url(url).password
    return process_env(PGOPTIONS="-c client_min_messages=warning", **({"PGPASSWORD": str(password)} if password else {}))


DEFAULT_PG_BIN_DIR = "/usr/lib/postgresql/15/bin"


def _pg_tool(name: str, bin_dir: str) -> str:
    candidate = Path(bin_dir) / name
    return str(candidate) if candidate.exists() else name


def make_key(identity_file: Path) -> str:
    """A key pair for backups: the private key written to ``identity_file`` (owner only); return the
    public key (for BACKUP_AGE_RECIPIENTS)."""
    keygen = shutil.which("age-keygen")
    if keygen is None:
        raise BackupError("age-keygen is missing (Debian package 'age')")
    with _private_files():
        subprocess.run([keygen, "-o", str(identity_file)], check=True, capture_output=True)
    return subprocess.run([keygen, "-y", str(identity_file)], check=True, capture_output=True, text=True).stdout.strip()


def _age() -> str:
    found = shutil.which("age")
    if found is None:
        raise BackupError("age is missing (Debian package 'age'): backups are encrypted with it")
    return found


@contextmanager
def _private_files():
    """Everything written meanwhile is readable by its owner only (folders 0700, files 0600)."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


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


def _encrypting(target: Path, recipients: tuple[str, ...]) -> subprocess.Popen | None:
    """``age`` writing ``target`` from its standard input, for ``recipients``; None without them."""
    if not recipients:
        return None
    arguments = [_age()] + [part for r in recipients for part in ("-r", r)] + ["-o", str(target)]
    return subprocess.Popen(arguments, stdin=subprocess.PIPE)


def _finish(*processes) -> None:
    for process in processes:
        if process is not None:
            if process.stdin:
                process.stdin.close()
            if process.wait() != 0:
                raise BackupError(f"{Path(process.args[0]).name} failed (exit status {process.returncode})")


def _dump(database_url: str, snapshot: str, folder: Path, recipients: tuple[str, ...], bin_dir: str) -> str:
    """``pg_dump`` of the snapshot into ``database.dump`` (or, encrypted, ``database.dump.age``)."""
    command = [_pg_tool("pg_dump", bin_dir), "--format=custom", "--no-owner", f"--snapshot={snapshot}", _libpq(database_url)]
    env = _tool_env(database_url)
    if not recipients:
        subprocess.run(command + ["--file", str(folder / "database.dump")], check=True, env=env)
        return "database.dump"
    encrypting = _encrypting(folder / f"database.dump{ENCRYPTED}", recipients)
    dumping = subprocess.Popen(command, stdout=encrypting.stdin, env=env)
    encrypting.stdin.close()  # pg_dump holds the pipe now
    if dumping.wait() != 0:
        encrypting.wait()
        raise BackupError(f"pg_dump failed (exit status {dumping.returncode})")
    _finish(encrypting)
    return f"database.dump{ENCRYPTED}"


def _photos(photo_dir: Path, folder: Path, recipients: tuple[str, ...], echo) -> tuple[str, int]:
    files = sorted(p for p in photo_dir.rglob("*") if p.is_file()) if photo_dir.exists() else []
    name = "photos.tar" + (ENCRYPTED if recipients else "")
    encrypting = _encrypting(folder / name, recipients)
    echo(f"photos: {len(files)} files")
    with (tarfile.open(fileobj=encrypting.stdin, mode="w|") if encrypting else tarfile.open(folder / name, "w")) as tar:
        for path in files:
            tar.add(path, arcname=str(path.relative_to(photo_dir)))
    _finish(encrypting)
    return name, len(files)


def backup(database_url: str, photo_dir: Path, into: Path, echo=lambda line: None,
           recipients: tuple[str, ...] = (), pg_bin_dir: str = DEFAULT_PG_BIN_DIR) -> Path:
    """Write one backup folder under ``into`` (owner-only files; encrypted for ``recipients``, age
    public keys, when given); return it."""
    with _private_files():
        into.mkdir(parents=True, exist_ok=True)
        folder = into / f"backup-{utcnow():%Y%m%dT%H%M%SZ}"
        folder.mkdir(exist_ok=False)
        conn = psycopg2.connect(_libpq(database_url), password=make_url(database_url).password)
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            # The fingerprint and the dump read the same snapshot: pg_dump joins this one.
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            manifest = fingerprint(cur)
            echo(f"database snapshot {snapshot}: " + ", ".join(f"{n} {t}" for t, n in manifest["counts"].items()))
            started = time.perf_counter()
            dump_name = _dump(database_url, snapshot, folder, recipients, pg_bin_dir)
            echo(f"database dumped in {time.perf_counter() - started:.1f} s")
        conn.rollback()
        conn.close()
        photos_name, photo_files = _photos(photo_dir, folder, recipients, echo)
        manifest.update(created_at=utcnow().isoformat(), photo_files=photo_files,
                        encrypted=bool(recipients),
                        files={name: _sha256(folder / name) for name in (dump_name, photos_name)})
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    echo(f"backup written to {folder}" + (" (encrypted)" if recipients else ""))
    return folder


def prune(into: Path, keep_days: int, now=None) -> list[str]:
    """Delete the backup folders under ``into`` made more than ``keep_days`` ago (by the time in their
    name): a backup holds personal data that the live database erases on its own schedule
    (``reports.privacy.retention``), so none is kept longer than ``BACKUP_KEEP_DAYS``. Returns the
    names deleted."""
    now = now or utcnow()
    gone = []
    for folder in sorted(into.glob("backup-*")):
        try:
            made = datetime.strptime(folder.name, "backup-%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            continue  # not one of ours
        if folder.is_dir() and now - made > timedelta(days=keep_days):
            shutil.rmtree(folder)
            gone.append(folder.name)
    return gone


def _decrypting(path: Path, identity: Path | None) -> subprocess.Popen | None:
    """``age -d`` of ``path`` to a pipe, when it is encrypted."""
    if path.suffix != ENCRYPTED:
        return None
    if identity is None:
        raise BackupError("this backup is encrypted: give the key it was made for (--identity)")
    return subprocess.Popen([_age(), "-d", "-i", str(identity), str(path)], stdout=subprocess.PIPE)


def restore(folder: Path, database_url: str, photo_dir: Path, echo=lambda line: None,
            identity: Path | None = None, pg_bin_dir: str = DEFAULT_PG_BIN_DIR) -> dict:
    """Rebuild a *new* database ``database_url`` (refused when it holds tables) and the photos from
    ``folder`` (decrypted with ``identity``, an age key, when encrypted); check it against the
    manifest; return the restored fingerprint."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    dump_name, photos_name = sorted(manifest["files"])  # database.dump[.age], photos.tar[.age]
    create_database(database_url)
    conn = psycopg2.connect(_libpq(database_url), password=make_url(database_url).password)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'")
        if cur.fetchone()[0]:
            raise BackupError(f"{make_url(database_url).database} already holds tables: restore into a new database")
    conn.close()
    started = time.perf_counter()
    decrypting = _decrypting(folder / dump_name, identity)
    command = [_pg_tool("pg_restore", pg_bin_dir), "--no-owner", "--exit-on-error", "--dbname", _libpq(database_url)]
    if decrypting is None:
        subprocess.run(command + [str(folder / dump_name)], check=True, env=_tool_env(database_url))
    else:
        restoring = subprocess.run(command, stdin=decrypting.stdout, env=_tool_env(database_url))
        _finish(decrypting)
        if restoring.returncode != 0:
            raise BackupError(f"pg_restore failed (exit status {restoring.returncode})")
    echo(f"database restored in {time.perf_counter() - started:.1f} s")
    with _private_files():
        photo_dir.mkdir(parents=True, exist_ok=True)
    decrypting = _decrypting(folder / photos_name, identity)
    with (tarfile.open(fileobj=decrypting.stdout, mode="r|") if decrypting else tarfile.open(folder / photos_name)) as tar:
        tar.extractall(photo_dir, filter="data")
    _finish(decrypting)
    conn = psycopg2.connect(_libpq(database_url), password=make_url(database_url).password)
    with conn.cursor() as cur:
        restored = fingerprint(cur)
    conn.close()
    for key in ("revision", "counts", "checksums"):
        if restored[key] != manifest[key]:
            raise BackupError(f"the restored database differs from the backup ({key}): "
                                       f"{restored[key]} != {manifest[key]}")
    echo("restored database matches the backup: " + ", ".join(f"{n} {t}" for t, n in restored["counts"].items()))
    return restored
