"""The data layer, below every package; it knows no request. One module per job:

- :mod:`store.session`: the declarative base, the Flask-SQLAlchemy handle :data:`db`, the routing of a
  view's reads to the replica, the layer's settings (:func:`configure`), :func:`allow_big_reads`;
- :mod:`store.reads`: :func:`autocommit_read`, reads in one round trip (prepared when asked);
- :mod:`store.inserts`: :func:`insert_new`, a new object and its children in one INSERT per table;
- :mod:`store.clock`: :func:`utcnow` (the one clock) and :data:`LOCAL_TZ` (the city's time).

``geo``, ``reports`` and ``tiles`` import their database from here, never from the web package;
``webapp.create_app`` binds :data:`db` to the app (``db.init_app``).
"""
from store.clock import LOCAL_TZ, utcnow
from store.inserts import insert_new
from store.reads import autocommit_read
from store.session import (
    SETTINGS,
    Base,
    allow_big_reads,
    configure,
    db,
    on_primary,
    replica_failed,
    replica_reads,
    replica_status,
)

__all__ = ["LOCAL_TZ", "SETTINGS", "Base", "allow_big_reads", "autocommit_read", "configure", "db", "insert_new",
           "on_primary", "replica_failed", "replica_reads", "replica_status", "utcnow"]
