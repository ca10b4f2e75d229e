"""The background worker: the queue's jobs done by threads (``worker.loop``)."""
