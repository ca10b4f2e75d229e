"""Faults survived, on the production shape (`devtools/stack.py`): nginx → two app nodes → a PostgreSQL
primary with its streaming replica, and a Redis of the test's own. A small driver keeps submitting
reports (each with its Idempotency-Key, retried until acknowledged) and reading through nginx while:
an app node is killed and restarted; the primary restarts; the replica stops; Redis stops. Each test
prints what it measured: requests, errors by kind, time to recover, reports lost (0)."""
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter

import psycopg2
import pytest
import requests

from devtools.dbsetup import pg_tool, run_as_cluster_user, start_cluster, stop_cluster
from devtools.ports import free_ports
from devtools.stack import cluster_pair, ensure_nginx, flask, nginx_conf, stack_env, start_node, stop_pair
from ops.database import create_database
from settings import PROJECT_ROOT

pytestmark = pytest.mark.own_database
HOME = PROJECT_ROOT / "var" / "stack-faults"
PRIMARY, REPLICA, NODE_1, NODE_2, NGINX, REDIS = free_ports(6)
NODES = (NODE_1, NODE_2)
BASE = f"http://127.0.0.1:{NGINX}"


class Stack:
    def __init__(self):
        self.primary_url, self.replica_url = cluster_pair(HOME, PRIMARY, REPLICA)
        create_database(self.primary_url)
        self.env = stack_env(self.primary_url, self.replica_url, NGINX, HOME, PHANANH_ENV="development",
                             REDIS_URL=f"redis://127.0.0.1:{REDIS}/0", PUBLIC_URL=BASE, WEB_WORKERS="2",
                             SUBMIT_RATE_LIMIT="100000 per minute", REQUEST_LOG="0", REPLICA_MAX_LAG_S="5")
        flask(self.env, "db", "upgrade", quiet=True)
        flask(self.env, "demo", "load", "--reports", "0", quiet=True)
        self.redis = None
        self.start_redis()
        self.nodes = {port: self.start_node(port) for port in NODES}
        self.nginx = subprocess.Popen([ensure_nginx(), "-c", str(nginx_conf(NGINX, HOME.resolve(), NODES)), "-g",
                                       "daemon off;"], cwd=HOME, stderr=subprocess.DEVNULL)
        self.wait_answering()

    def start_redis(self):
        self.redis = subprocess.Popen(["redis-server", "--port", str(REDIS), "--save", "", "--appendonly", "no"],
                                      stdout=subprocess.DEVNULL, start_new_session=True)
        time.sleep(0.3)

    def start_node(self, port: int) -> subprocess.Popen:
        log = open(HOME / f"node-{port}.log", "ab")  # what the node says, for a failure's post-mortem
        return start_node(self.env, port, start_new_session=True, stderr=log)

    def kill_node(self, port: int) -> None:
        os.killpg(self.nodes[port].pid, signal.SIGKILL)  # the master and its workers, at once
        self.nodes[port].wait()

    def wait_answering(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if all(requests.get(f"http://127.0.0.1:{p}/healthz", timeout=2).status_code == 200 for p in NODES):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError("the stack did not start")

    def stop(self):
        for node in self.nodes.values():
            if node.poll() is None:
                os.killpg(node.pid, signal.SIGTERM)
                node.wait(timeout=30)
        for process in (self.nginx, self.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        stop_pair(HOME)

    def reports_with_keys(self, keys) -> Counter:
        conn = psycopg2.connect(self.primary_url)
        with conn.cursor() as cur:
            cur.execute("SELECT idempotency_key FROM report WHERE idempotency_key = ANY(%s)", (list(keys),))
            found = Counter(row[0] for row in cur.fetchall())
        conn.close()
        return found


@pytest.fixture(scope="module")
def stack(app):
    running = Stack()
    yield running
    running.stop()


class Driver:
    """Submissions (each retried with its own key until acknowledged) and reads, in threads, through nginx."""

    def __init__(self):
        self.stop = threading.Event()
        self.reads, self.writes = Counter(), Counter()
        self.acknowledged: dict[str, str] = {}
        self.slowest_s = 0.0
        self.failures_at: list[float] = []
        self.unavailable_bodies: set[str] = set()
        self.csrf = requests.Session()
        self.token = self.csrf.get(f"{BASE}/api/v1/csrf-token", timeout=10).json()["csrf_token"]

    def _record(self, kind: Counter, outcome: str, started: float) -> None:
        kind[outcome] += 1
        self.slowest_s = max(self.slowest_s, time.monotonic() - started)
        if outcome not in ("200", "201", "204"):
            self.failures_at.append(time.monotonic())

    def _submit_loop(self):
        while not self.stop.is_set():
            key = uuid.uuid4().hex
            for _attempt in range(100):  # a client retries with the same key until it gets an answer
                started = time.monotonic()
                try:
                    response = self.csrf.post(f"{BASE}/api/v1/reports", timeout=10, json={
                        "category": "garbage", "description": "Rác (thử sự cố)", "lat": 16.4698, "lon": 107.5786,
                        "acknowledge_duplicate": True}, headers={"X-CSRFToken": self.token, "Idempotency-Key": key})
                    outcome = str(response.status_code)
                    if response.status_code in (200, 201):
                        self.acknowledged[key] = response.json()["tracking_code"]
                    elif response.status_code == 503:
                        self.unavailable_bodies.add(response.json()["error"]["code"])
                except requests.RequestException as exc:
                    outcome = type(exc).__name__
                self._record(self.writes, outcome, started)
                if key in self.acknowledged:
                    break
                time.sleep(0.2)

    def _read_loop(self):
        paths = ["/api/v1/reports/recent?bbox=107.55,16.44,107.62,16.49&limit=10", "/tiles/reports/13/6520/3715.pbf",
                 "/wards", "/api/v1/categories"]
        n = 0
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                outcome = str(requests.get(BASE + paths[n % len(paths)], timeout=10).status_code)
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            self._record(self.reads, outcome, started)
            n += 1

    def run(self, seconds_before: float, fault, seconds_after: float) -> "Driver":
        threads = [threading.Thread(target=self._submit_loop), threading.Thread(target=self._read_loop),
                   threading.Thread(target=self._read_loop)]
        for thread in threads:
            thread.start()
        time.sleep(seconds_before)
        self.fault_at = time.monotonic()
        fault()
        self.repaired_at = time.monotonic()
        time.sleep(seconds_after)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        return self

    def report(self, name: str, stack: Stack) -> Counter:
        stored = stack.reports_with_keys(self.acknowledged)
        lost = [k for k in self.acknowledged if stored[k] == 0]
        doubled = [k for k, n in stored.items() if n > 1]
        recovered = max([t for t in self.failures_at if t >= self.fault_at], default=self.fault_at) - self.repaired_at
        print(f"\n{name}: reads {dict(self.reads)}, submissions {dict(self.writes)}, acknowledged "
              f"{len(self.acknowledged)}, lost {len(lost)}, doubled {len(doubled)}, slowest answer "
              f"{self.slowest_s:.1f} s, last error {max(recovered, 0):.1f} s after the repair")
        assert lost == [] and doubled == []
        return Counter(reads=sum(self.reads.values()), recovered_s=max(recovered, 0))


def test_an_app_node_killed_and_restarted(stack):
    def fault():
        stack.kill_node(NODES[0])
        time.sleep(3)  # the other node serves alone
        stack.nodes[NODES[0]] = stack.start_node(NODES[0])
    driver = Driver().run(2, fault, 4)
    driver.report("app node killed (SIGKILL) for 3 s", stack)
    assert set(driver.reads) <= {"200", "204"}, driver.reads  # every read answered, through the other node
    assert set(driver.writes) <= {"200", "201", "502"}, driver.writes  # a POST cut mid-way: retried, same key


def test_the_primary_restarted(stack):
    def fault():
        run_as_cluster_user([pg_tool("pg_ctl"), "-D", str(HOME.resolve() / "primary"), "-m", "fast", "-w", "restart",
                             "-l", str(HOME.resolve() / f"postgresql-{PRIMARY}.log")], home=HOME.resolve(),
                            stdout=subprocess.DEVNULL)
    driver = Driver().run(2, fault, 6)
    measured = driver.report("primary restarted (pg_ctl restart -m fast)", stack)
    assert "500" not in driver.writes and "500" not in driver.reads, (driver.writes, driver.reads)
    assert set(driver.writes) <= {"200", "201", "503"} and driver.unavailable_bodies <= {"database_unavailable"}
    assert driver.slowest_s < 5, driver.slowest_s  # never a hang
    assert measured["recovered_s"] <= 5


def test_the_replica_stopped(stack):
    replica = HOME.resolve() / "replica"
    driver = Driver().run(1, lambda: stop_cluster(replica, HOME.resolve()), 4)
    try:
        driver.report("replica stopped", stack)
        assert set(driver.reads) <= {"200", "204"}, driver.reads  # read from the primary, no error
    finally:
        start_cluster(replica, REPLICA, HOME.resolve())


def test_redis_stopped_and_back(stack):
    def fault():
        stack.redis.terminate()
        stack.redis.wait()
        time.sleep(3)
        stack.start_redis()
    driver = Driver().run(1, fault, 3)
    driver.report("Redis stopped for 3 s", stack)
    assert set(driver.reads) <= {"200", "204"} and set(driver.writes) <= {"200", "201"}, (driver.reads, driver.writes)
    health = requests.get(f"http://127.0.0.1:{NODES[1]}/healthz", timeout=5).json()
    assert health["rate_limits"] == "redis"  # back on the shared storage
