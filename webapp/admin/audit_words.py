"""What an entry of the administrators' audit trail says, in the reader's language.

``log_admin`` stores the facts as codes (``role=officer``, ``fields=["traffic"]``); the audit page shows
each fact by its name (“Vai trò: Cán bộ”). The actions that record a change store ``[before, after]``
pairs, the others plain values: which is which is told by the action, never guessed from a value's
shape (an officer invited to two fields has a two-item list that is not a change).
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.names import PRIORITY_NAMES, PRIVACY_KIND_NAMES, RETENTION_NAMES, ROLE_NAMES, field_words

CHANGE_ACTIONS = {"staff_changed", "service_point_changed", "category_changed"}
KEYS = {
    "role": _l("Role"), "ward_code": _l("Ward"), "fields": _l("Fields"), "field": _l("Field"),
    "display_name": _l("Name"), "name": _l("Its name"), "title": _l("Title"), "officer": _l("Officer"),
    "before": _l("Previous officer"), "name_vi": _l("Vietnamese name"), "name_en": _l("English name"),
    "default_priority": _l("Default priority"), "sort_order": _l("Order in the list"), "active": _l("Offered"),
    "address": _l("Address"), "phone": _l("Phone"), "opening_hours": _l("Opening hours"),
    "services": _l("Services"), "lon": _l("Longitude"), "lat": _l("Latitude"), "ended": _l("Sets ended"),
    "file": _l("File"), "lines": _l("Import report"), "kind": _l("What was asked"), **RETENTION_NAMES,
}
# Program output (the import's own report) is shown as it was printed, in <samp>.
OUTPUT_KEYS = {"lines"}


def _value(key: str, value, wards: dict[str, str]) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if key == "kind":
        return str(PRIVACY_KIND_NAMES.get(value, value))
    if key == "role":
        return str(ROLE_NAMES.get(value, value))
    if key == "field":
        return field_words.get(value, value)
    if key == "fields":
        return ", ".join(field_words.get(f, f) for f in value)
    if key == "ward_code":
        return wards.get(value, value)
    if key == "default_priority":
        return str(PRIORITY_NAMES.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def describe(action: str, data: dict | None, wards: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(label, text, is_program_output) for each fact of one audit entry."""
    out = []
    for key, value in (data or {}).items():
        label = str(KEYS.get(key, key))
        if key in OUTPUT_KEYS:
            text = "\n".join(value) if isinstance(value, list) else str(value)
        elif action in CHANGE_ACTIONS and isinstance(value, list) and len(value) == 2:
            text = f"{_value(key, value[0], wards)} → {_value(key, value[1], wards)}"
        else:
            text = _value(key, value, wards)
        out.append((label, text, key in OUTPUT_KEYS))
    return out
