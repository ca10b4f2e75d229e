"""gunicorn's settings for ``make run``, the benchmarks and deployments (``-c python:webapp.gunicorn_conf``).

Chosen by measurement (``bench/http.py --server CLASS:WORKERS:THREADS``, 2 cores, wrk with 50
connections; README "Performance"): ``sync`` workers, one more than the cores. Against gthread with
2 × 4 threads (the earlier setting) they served the hot reads 1.5–2.5× faster with a p99 half as long:
threads of one process take turns on the GIL, and a request here is mostly Python, not waiting.
The spare worker keeps one slow request (a dashboard, an export) from halving the throughput.
A sync worker is busy for the whole of a slow client's upload: in production nginx buffers request
bodies before they reach it (deploy/), as gunicorn's documentation advises.
"""
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_WORKERS", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 60
# Access log lines go through a buffered file (or stdout for `make run`); ACCESS_LOG="" turns it off.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
