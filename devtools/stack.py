"""``make stack``: the production shape on one machine, in the foreground (Ctrl-C stops all of it).

- a PostgreSQL primary and a streaming hot-standby replica, a private cluster pair under ``var/stack/``
  run as the non-root cluster user (the replica made with ``pg_basebackup -R``);
- two app nodes (gunicorn with ``webapp/gunicorn_conf.py`` on ports 5001 and 5002) with
  ``PROXY_FIX_HOPS=1``, ``REDIS_URL`` (limits and caches shared), ``DATABASE_REPLICA_URL`` (read-heavy
  pages from the replica) and one shared photo folder;
- the background worker;
- nginx on ``127.0.0.1:${STACK_PORT:-8080}`` (the Debian package, installed when missing): ``/static/``
  served by nginx with long cache headers and gzip, the rest to both nodes with failover — the settings of
  ``deploy/nginx/phananh.conf`` without TLS (both include ``deploy/nginx/phananh-app.conf``).

    python -m devtools.stack run        # what `make stack` runs
    python -m devtools.stack pair DIR PRIMARY_PORT REPLICA_PORT   # only the cluster pair (tests use it)
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from devtools.dbsetup import (
    init_cluster,
    pg_tool,
    redis_url,
    run_as_cluster_user,
    start_cluster,
    stop_cluster,
)
from ops.database import create_database
from settings import PROJECT_ROOT, Server, given, process_env

STACK_DIR = PROJECT_ROOT / "var" / "stack"
APP_SITE = PROJECT_ROOT / "deploy" / "nginx" / "phananh-app.conf"  # what nginx does, as deployed
BIN = Path(sys.executable).parent
PRIMARY_PORT, REPLICA_PORT = 25441, 25442  # below the ephemeral range (32768+): never taken by a client socket
NODE_PORTS = (5001, 5002)
PRIMARY_SETTINGS = """
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = '256MB'
"""


def cluster_pair(home: Path, primary_port: int = PRIMARY_PORT, replica_port: int = REPLICA_PORT) -> tuple[str, str]:
    """Start (initialising once) a primary and its streaming replica under ``home``; return their URLs
    (database ``phananh``, user ``postgres``, trust on 127.0.0.1 only)."""
    home = home.resolve()
    primary, replica = home / "primary", home / "replica"
    init_cluster(primary, home, PRIMARY_SETTINGS)
    start_cluster(primary, primary_port, home)
    if not (replica / "PG_VERSION").exists():
        run_as_cluster_user([pg_tool("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
                             "-D", str(replica), "-R", "-X", "stream", "-c", "fast"], home=home)
    _follow(replica, primary_port)
    start_cluster(replica, replica_port, home)
    base = "postgresql://postgres@127.0.0.1:{}/phananh"
    return base.format(primary_port), base.format(replica_port)


def _follow(replica: Path, primary_port: int) -> None:
    """The replica streams from ``primary_port`` (a pair made earlier may have had its primary on
    another free port): its ``primary_conninfo`` is rewritten in place, keeping the file's owner."""
    auto = replica / "postgresql.auto.conf"
    text = auto.read_text()
    fixed = re.sub(r"^(primary_conninfo = .*?\bport=)\d+", rf"\g<1>{primary_port}", text, flags=re.M)
    if fixed != text:
        auto.write_text(fixed)


def stop_pair(home: Path) -> None:
    home = home.resolve()
    for name in ("replica", "primary"):
        stop_cluster(home / name, home)


def nginx_conf(port: int, home: Path, nodes: tuple[int, ...] = NODE_PORTS) -> Path:
    """The deployed site's settings for this machine: plain HTTP on ``port`` to the app nodes on
    ``nodes``, files under ``home``; body limits, compression and the proxying are
    ``deploy/nginx/phananh-app.conf`` itself, as ``deploy/nginx/phananh.conf`` includes it."""
    conf = home / "nginx.conf"
    upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in nodes)
    conf.write_text(f"""worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/vnd.mapbox-vector-tile pbf; }}
    access_log off;
    client_body_temp_path {home}/nginx-body;
    proxy_temp_path {home}/nginx-proxy;
    upstream phananh_app {{
{upstreams}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{
            alias {PROJECT_ROOT}/webapp/static/;
            add_header Cache-Control "public, max-age=2592000";
        }}
        include {APP_SITE};
    }}
}}
""")
    return conf


def ensure_nginx() -> str:
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        if os.geteuid() != 0:
            raise SystemExit("nginx is missing: install the Debian package nginx (sudo apt-get install nginx)")
        print("installing nginx (Debian package) ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light" if _has_package("nginx-light") else "nginx"],
                       check=True, env=process_env(DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)
        path = shutil.which("nginx") or "/usr/sbin/nginx"
    return path


def _has_package(name: str) -> bool:
    return subprocess.run(["apt-cache", "show", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def stack_env(primary_url: str, replica_url: str, public_port: int, home: Path, **extra: str) -> dict:
    """The settings every process of a stack runs with (the nodes, the worker, the commands)."""
    return process_env(**{"PHANANH_ENV": given("PHANANH_ENV") or "development", "DATABASE_URL": primary_url,
                          "DATABASE_REPLICA_URL": replica_url, "PROXY_FIX_HOPS": "1", "REDIS_URL": redis_url(),
                          "PHOTO_DIR": str(home / "photos"),
                          "PUBLIC_URL": given("PUBLIC_URL") or f"http://127.0.0.1:{public_port}", **extra})


def flask(env: dict, *args: str, quiet: bool = False) -> None:
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], env=env, cwd=PROJECT_ROOT, check=True,
                   stdout=out, stderr=out)


def start_node(env: dict, port: int, **popen) -> subprocess.Popen:
    """One app node: gunicorn with ``webapp/gunicorn_conf.py``'s settings on ``port``."""
    return subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:webapp.gunicorn_conf", "wsgi:app"],
                            env={**env, "PORT": str(port)}, cwd=PROJECT_ROOT, **popen)


def run() -> None:
    port = Server.STACK_PORT
    nginx = ensure_nginx()
    STACK_DIR.mkdir(parents=True, exist_ok=True)
    primary_url, replica_url = cluster_pair(STACK_DIR)
    create_database(primary_url)
    env = stack_env(primary_url, replica_url, port, STACK_DIR)
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    children = [start_node(env, p) for p in NODE_PORTS]
    children.append(subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "work"], env=env, cwd=PROJECT_ROOT))
    children.append(subprocess.Popen([nginx, "-c", str(nginx_conf(port, STACK_DIR)), "-g", "daemon off;"], cwd=STACK_DIR))
    print(f"the stack answers on http://127.0.0.1:{port} (nginx → app nodes {NODE_PORTS}, primary :{PRIMARY_PORT}, "
          f"replica :{REPLICA_PORT}); Ctrl-C stops it", file=sys.stderr)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        stop_pair(STACK_DIR)
        print("the stack is stopped", file=sys.stderr)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "run":
        run()
    elif command == "pair":
        print(*cluster_pair(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
    else:
        raise SystemExit(__doc__)
