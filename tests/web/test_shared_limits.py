"""Two gunicorn workers behind one proxy hop share their rate-limit counts through Redis, and the
proxy's X-Forwarded-For (one trusted hop) decides the client's address."""
import concurrent.futures
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

from devtools.dbsetup import LOCAL_REDIS_URL
from devtools.ports import free_port
from settings import PROJECT_ROOT, installation_id
from tests.helpers import csrf_from

REDIS_TEST_URL = LOCAL_REDIS_URL.rsplit("/", 1)[0] + "/15"
LIMIT = 12


@pytest.fixture
def two_workers(app, tmp_path):
    try:
        store = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
        store.flushdb()
    except redis.RedisError:
        pytest.skip("no Redis answers on 127.0.0.1:6379 (the product then keeps limits per process)")
    port, log = free_port(), tmp_path / "access.log"
    env = {**os.environ, "PHANANH_ENV": "development", "SECRET_KEY": "s" * 16 + "0123456789abcdefghijklmnop",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", ""),
           "REDIS_URL": REDIS_TEST_URL, "PROXY_FIX_HOPS": "1", "LOGIN_RATE_LIMIT": f"{LIMIT} per 15 minutes",
           "PHOTO_DIR": str(tmp_path / "photos")}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(r)s %(s)s", "wsgi:app"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):  # the workers load the app when they start: wait until one answers
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    yield base, log
    server.terminate()
    server.wait(timeout=30)
    store.flushdb()


def test_two_workers_share_one_count_and_trust_one_proxy_hop(two_workers):
    base, log = two_workers
    assert requests.get(f"{base}/healthz", timeout=10).json()["rate_limits"] == "redis"

    def attempt(forwarded_for: str) -> int:
        client = requests.Session()
        page = client.get(f"{base}/login", headers={"X-Forwarded-For": forwarded_for}, timeout=30)
        return client.post(f"{base}/login", headers={"X-Forwarded-For": forwarded_for}, timeout=30,
                           data={"email": "nobody@t.vn", "password": "wrong password",
                                 "csrf_token": csrf_from(page.text)}).status_code

    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # both workers busy at once
        statuses = list(pool.map(attempt, ["198.51.100.7"] * (LIMIT + 4)))
    assert sorted(statuses) == [200] * LIMIT + [429] * 4  # one count for both workers
    posts = [line.split()[0] for line in log.read_text().splitlines() if " POST /login " in line]
    assert len(set(posts)) == 2, "both workers answered"
    assert attempt("198.51.100.8") == 200  # the proxy says another client: its own count


def test_rate_limit_keys_carry_the_installation_name(app, two_workers):
    base, _log = two_workers
    client = requests.Session()
    page = client.get(f"{base}/login", timeout=30)
    client.post(f"{base}/login", data={"email": "nobody@t.vn", "password": "wrong password",
                                       "csrf_token": csrf_from(page.text)}, timeout=30)
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_TEST_URL).keys("*")]
    name = installation_id(app.config["SQLALCHEMY_DATABASE_URI"])
    assert keys and all(f"phananh:{name}" in k for k in keys), keys
