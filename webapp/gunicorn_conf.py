"""gunicorn's settings for ``make run``, the benchmarks and deployments (``-c python:webapp.gunicorn_conf``).

Chosen by measurement (``bench/http.py --server CLASS:WORKERS:THREADS``, 2 cores, wrk with 50
connections; docs/performance.md): ``sync`` workers, one more than the cores. Against gthread with
2 × 4 threads (the earlier setting) they served the hot reads 1.5–2.5× faster with a p99 half as long:
threads of one process take turns on the GIL, and a request here is mostly Python, not waiting.
The spare worker keeps one slow request (a dashboard, an export) from halving the throughput.
A sync worker is busy for the whole of a slow client's upload: in production nginx buffers request
bodies before they reach it (deploy/), as gunicorn's documentation advises.
"""
import os

from settings import PROJECT_ROOT, Server, use_metrics_dir

bind = f"127.0.0.1:{Server.PORT}"
worker_class = Server.WORKER_CLASS
workers = Server.WORKERS
threads = Server.THREADS
timeout = 60
# gunicorn's own access log names raw paths (with their tokens) and client addresses: off unless asked
# (ACCESS_LOG=file, as the benchmarks do); the app writes one JSON line per request instead
# (webapp/observability.py: route rule, status, time, request id — nothing personal).
accesslog = Server.ACCESS_LOG

# Several gunicorn instances on one machine (the stack's nodes): one control socket each, by port.
control_socket = str(PROJECT_ROOT / "var" / f"gunicorn-{Server.PORT}.ctl")

# /metrics under several workers: each keeps its counts in files of this folder, emptied at start.
METRICS_DIR = use_metrics_dir(str(PROJECT_ROOT / "var" / f"metrics-{Server.PORT}"))


def on_starting(server):
    os.makedirs(METRICS_DIR, exist_ok=True)
    for name in os.listdir(METRICS_DIR):
        os.remove(os.path.join(METRICS_DIR, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)
