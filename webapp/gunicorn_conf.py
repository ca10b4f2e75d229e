"""gunicorn's settings for ``make run``, the benchmarks and ``deploy/`` (``-c python:webapp.gunicorn_conf``).

Chosen by measurement (bench/http.py; README "Performance"): see ``worker_class`` below.
"""
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))  # one per core
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS", "4"))
keepalive = 5
accesslog = os.environ.get("ACCESS_LOG", "-") or None
