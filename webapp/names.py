"""The names people read for stored codes — statuses, priorities, rejection reasons — in one home for
pages, emails and exports. Lazy: each is translated where it is shown, in that page's or that
recipient's language (templates get them as ``status_names``, ``priority_names``, ``reason_names``)."""
from flask_babel import lazy_gettext as _l

STATUS_NAMES = {
    "received": _l("Received"), "accepted": _l("Accepted"), "assigned": _l("Assigned to an officer"),
    "in_progress": _l("In progress"), "resolved": _l("Resolved"), "rejected": _l("Rejected"),
    "reopened": _l("Reopened"), "closed": _l("Closed")}
PRIORITY_NAMES = {"urgent": _l("Urgent"), "normal": _l("Normal"), "complex": _l("Complex")}
REASON_NAMES = {"not_responsible": _l("not the ward's responsibility"),
                "duplicate": _l("a duplicate of another report"), "invalid": _l("not a valid report")}

# The reports export as a spreadsheet shows (webapp.dashboard): names, not codes, in the leader's language.
SPREADSHEET_COLUMNS = {
    "tracking_code": _l("Tracking code"), "created_at": _l("Received (Vietnam time)"), "status": _l("Status"),
    "category": _l("Category"), "field": _l("Field"), "priority": _l("Priority"), "ward_code": _l("Ward code"),
    "ward_name": _l("Ward"), "lat": _l("Latitude"), "lon": _l("Longitude"), "deadline_at": _l("Deadline (Vietnam time)"),
    "resolved_at": _l("Resolved (Vietnam time)"), "rating": _l("Rating"), "support_count": _l("Supporters"),
    "description": _l("Description")}


def status_words() -> dict[str, str]:
    """Status names translated now, as plain strings (for a page's scripts: JSON)."""
    return {code: str(name) for code, name in STATUS_NAMES.items()}


def install(app) -> None:
    app.jinja_env.globals.update(status_names=STATUS_NAMES, priority_names=PRIORITY_NAMES, reason_names=REASON_NAMES,
                                 card_statuses=status_words)
