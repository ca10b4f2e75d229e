"""Which requests read from the replica (``DATABASE_REPLICA_URL``): the read-heavy public and leaders'
pages — map tiles (the desk's map layer too: seconds of lag do not matter on a map), the public map's lists, the public ward figures, the dashboard's figures, maps,
inspection plan and exports, Open311 searches. Only GETs, and only views that write nothing; the
database layer (``store.RoutingSession``) falls back to the primary when the replica is down or lags
more than ``REPLICA_MAX_LAG_S``. Not here on purpose: a report's tracking page (its resident has just
sent it: a lagging replica would not know it yet), the desk's queue and report pages, sign-in, and the coverage page (it may
compute and keep its figures on the primary, then read them back)."""
from flask import g, request

REPLICA_ENDPOINTS = frozenset({
    "maptiles.reports", "maptiles.hotspots", "maptiles.wards", "maptiles.desk",
    "api.map_points", "api.recent_reports", "api.wards", "api.wards_figures_api",
    "citizen.wards_page", "citizen.ward_page", "citizen.wards_csv",
    "dashboard.dashboard", "dashboard.heat", "dashboard.wards_map", "dashboard.inspection", "dashboard.export",
    "open311.services", "open311.service_definition", "open311.list_requests", "open311.get_request",
    "open311.list_updates"})


def install(app) -> None:
    if "replica" not in app.config.get("SQLALCHEMY_BINDS", {}):
        return

    @app.before_request
    def _reads_from_replica():
        if request.method == "GET" and request.endpoint in REPLICA_ENDPOINTS:
            g.replica_reads = True
