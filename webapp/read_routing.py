"""Which views read from the replica (``DATABASE_REPLICA_URL``): the read-heavy public and leaders'
pages — map tiles (the desk's map layer too: seconds of lag do not matter on a map), the public map's
lists, the public ward figures, the dashboard's figures, maps, inspection plan and exports, Open311
searches — each says so with :func:`replica_reads`, as a rate limit is declared on its view. Only GETs,
and only views that write nothing; the database layer (``store.RoutingSession``) falls back to the
primary when the replica is down or lags more than ``REPLICA_MAX_LAG_S``. Not marked on purpose: a
report's tracking page (its resident has just sent it: a lagging replica would not know it yet), the
desk's queue and report pages, sign-in, and the coverage page (it may compute and keep its figures on
the primary, then read them back)."""
from functools import wraps

from flask import g, request

import store


def replica_reads(view):
    """A GET of this view reads from the replica when one is usable (``store.replica_reads``); the
    request is marked (``g.replica_reads``) so that a replica failing mid-read is retried on the primary
    (``webapp.resilience``)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "GET":
            return view(*args, **kwargs)
        g.replica_reads = True
        with store.replica_reads():
            return view(*args, **kwargs)
    return wrapper
