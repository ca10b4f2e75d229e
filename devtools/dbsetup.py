"""Choosing, starting and creating the PostgreSQL database (used by the Makefile and the tests).

Order: ``DATABASE_URL`` when set; else the server on 127.0.0.1:5432 when it answers (user
``postgres``, trust auth); else a private cluster under ``var/pgdata``, run as the non-root system
user ``phananh`` (created when we are root) on port ``PRIVATE_PG_PORT``.

    python -m devtools.dbsetup url       # print the URL to use (starting the private cluster if needed)
    python -m devtools.dbsetup create    # create that database and the postgis extension
"""
import os
import pwd
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

from ops.database import admin_dsn, create_database, drop_database  # noqa: F401  (python -m devtools.dbsetup create)
from settings import DEFAULT_DATABASE_URL, PROJECT_ROOT, Config

CLUSTER_DIR = PROJECT_ROOT / "var" / "pgdata"
CLUSTER_USER = "phananh"


def _answers(url: str) -> bool:
    try:
        psycopg2.connect(admin_dsn(url), connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def run_as_cluster_user(args: list[str], home=None, **kwargs) -> subprocess.CompletedProcess:
    """Run ``args`` as the non-root user that owns private clusters (PostgreSQL refuses root); ``home``
    (default ``var/``) is created and given to that user first."""
    home = home or CLUSTER_DIR.parent
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(CLUSTER_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                            CLUSTER_USER], check=True)
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(["chown", CLUSTER_USER, str(home)], check=True)
        args = ["runuser", "-u", CLUSTER_USER, "--"] + args
    else:
        home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(args, check=True, **kwargs)


def pg_tool(tool: str) -> str:
    return f"{Config.PG_BIN_DIR}/{tool}"


def _listening(port: int) -> bool:
    return subprocess.run([pg_tool("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"]).returncode == 0


def init_cluster(data: Path, home: Path, settings: str = "") -> None:
    """``initdb`` a private cluster in ``data`` (once), trust on 127.0.0.1 only; ``settings`` are added
    to its ``postgresql.conf``."""
    if (data / "PG_VERSION").exists():
        return
    print(f"initialising a private PostgreSQL cluster in {data}", file=sys.stderr)
    run_as_cluster_user([pg_tool("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                         "--locale", "C.UTF-8"], home=home, stdout=subprocess.DEVNULL)
    if settings:
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(settings)


def start_cluster(data: Path, port: int, home: Path) -> None:
    """Start the private cluster in ``data`` on ``127.0.0.1:port`` (when nothing answers there yet). A
    cluster left running from an earlier run on another port (ports are chosen free each run) is
    stopped first."""
    if _listening(port):
        return
    stop_cluster(data, home)
    log = home / f"postgresql-{port}.log"
    run_as_cluster_user([pg_tool("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "start", "-o",
                         f"-p {port} -c listen_addresses=127.0.0.1 -k {data}"], home=home)
    for _ in range(100):
        if _listening(port):
            return
        time.sleep(0.3)
    raise SystemExit(f"PostgreSQL on port {port} did not start; see {log}")


def stop_cluster(data: Path, home: Path) -> None:
    if (data / "postmaster.pid").exists():
        run_as_cluster_user([pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], home=home,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_private_cluster() -> str:
    """Initialise (once) and start the cluster under ``var/``; return its URL."""
    port = Config.PRIVATE_CLUSTER_PORT
    home = CLUSTER_DIR.parent
    init_cluster(CLUSTER_DIR, home)
    start_cluster(CLUSTER_DIR, port, home)
    return f"postgresql://postgres@127.0.0.1:{port}/phananh"


def choose_url() -> str:
    if Config.DATABASE_URL:
        return Config.DATABASE_URL
    if _answers(DEFAULT_DATABASE_URL):
        return DEFAULT_DATABASE_URL
    return start_private_cluster()


LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """``REDIS_URL`` if set, else the local Redis when it answers, else "" (limits and caches then
    stay in each process's memory, and /healthz says so)."""
    url = Config.REDIS_URL or LOCAL_REDIS_URL
    try:
        import redis
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001  (any failure means "no shared storage here")
        return Config.REDIS_URL or ""
    return url


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "url":
        print(choose_url())
    elif command == "create":
        create_database(choose_url())
    elif command == "redis":
        print(redis_url())
    else:
        raise SystemExit(__doc__)
