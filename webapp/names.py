"""The names people read for stored codes — statuses, priorities, rejection reasons, the events of a
report's history, staff roles, channels — in one home for pages, emails and exports. Lazy: each is
translated where it is shown, in that page's or that recipient's language (templates get them as
``status_names``, ``priority_names``, ``reason_names``, ``event_names``, ``role_names``, ``channel_names``)."""
from flask_babel import lazy_gettext as _l

STATUS_NAMES = {
    "received": _l("Received"), "accepted": _l("Accepted"), "assigned": _l("Assigned to an officer"),
    "in_progress": _l("In progress"), "resolved": _l("Resolved"), "rejected": _l("Rejected"),
    "reopened": _l("Reopened"), "closed": _l("Closed")}
PRIORITY_NAMES = {"urgent": _l("Urgent"), "normal": _l("Normal"), "complex": _l("Complex")}
ROLE_NAMES = {"officer": _l("officer"), "ward_lead": _l("ward lead"), "dispatcher": _l("dispatcher"),
              "leader": _l("city leader"), "admin": _l("administrator")}
CHANNEL_NAMES = {"web": _l("web"), "hotline": _l("hotline"), "fanpage": _l("fanpage"), "zalo": _l("Zalo"),
                 "in_person": _l("in person"), "open311": _l("Open311"), "desk": _l("desk"), "app": _l("app")}
# Every kind of event in a report's history (a status change is named by its status).
EVENT_NAMES = {
    **STATUS_NAMES, "ward_assigned": _l("Sent to the ward"), "ward_reassigned": _l("Moved to a new ward after the boundary change"),
    "reply": _l("Reply from the ward"), "note": _l("Internal note"), "transferred": _l("Transferred to another ward"),
    "result_photo": _l("Result photo added"), "rated": _l("Rated by the resident"), "supported": _l("Supported by a resident"),
    "officer_assigned": _l("Officer assigned"), "category_changed": _l("Category changed"),
    "priority_changed": _l("Priority changed"), "hidden": _l("Content hidden"), "media_url": _l("Photo link received"),
    "possible_duplicate": _l("Flagged as a possible duplicate"), "duplicate_merged": _l("Duplicate merged into this report"),
    "resident_comment": _l("The resident wrote (staff only)"),
    "original_photo_viewed": _l("Original photo viewed (faces not blurred)"),
    "privacy_request": _l("The resident asked about their personal data"),
    "photo_hidden": _l("Photo hidden from the public"), "photo_blurred": _l("An area of a photo blurred"),
    "privacy_request_done": _l("The resident's request about their personal data carried out")}
# What an administrator did (``reports.accounts.admin_log``), as the admin audit trail reads it.
ADMIN_ACTION_NAMES = {
    "staff_invited": _l("Staff member invited"), "staff_changed": _l("Role, ward or fields changed"),
    "staff_deactivate": _l("Account deactivated"), "staff_reactivate": _l("Account reactivated"),
    "staff_reset_2fa": _l("Two-factor sign-in reset"), "staff_resend": _l("Invitation sent again"),
    "category_created": _l("Category created"), "category_changed": _l("Category changed"),
    "template_created": _l("Reply template created"), "template_changed": _l("Reply template changed"),
    "template_deleted": _l("Reply template deleted"), "api_key_created": _l("API key created"),
    "api_key_revoked": _l("API key revoked"), "day_off_added": _l("Day off added"),
    "day_off_removed": _l("Day off removed"), "route_set": _l("Routing set"), "route_removed": _l("Routing removed"),
    "service_point_changed": _l("Service centre changed"), "boundary_imported": _l("Boundary set imported"),
    "boundary_activated": _l("Boundary set put in force"),
    "retention_enforced": _l("Personal data past its retention period erased"),
    "privacy_request_hold": _l("Request about personal data put on hold"),
    "privacy_request_release": _l("Request about personal data released from its hold"),
    "privacy_request_answer": _l("Request about personal data answered"),
    "privacy_request_carry_out": _l("Request about personal data carried out"),
    "breach_recorded": _l("Personal data breach recorded"), "breach_reported": _l("Breach reported to the authority"),
    "breach_told": _l("People concerned told of the breach")}
# What a person may ask about their personal data (reports.privacy.requests.KINDS).
PRIVACY_KIND_NAMES = {"access": _l("a copy of your data"), "correct": _l("a correction"),
                      "delete": _l("deletion"), "restrict": _l("restricting its use"),
                      "withdraw": _l("withdrawing your consent to updates")}
PRIVACY_STATUS_NAMES = {"received": _l("awaiting confirmation"), "verified": _l("confirmed, in progress"),
                        "on_hold": _l("on hold"), "done": _l("answered")}
# The kinds of personal data kept for a set time (reports.privacy.retention.RULES).
RETENTION_NAMES = {
    "contact": _l("Reporters' names, phones and emails, after the report closed"),
    "unconfirmed_subscriptions": _l("Report subscriptions never confirmed"),
    "unconfirmed_alerts": _l("Area alerts never confirmed"),
    "subscriptions": _l("Subscriptions to a closed report"), "phones": _l("Proven phone numbers"),
    "quotas": _l("Messages counted per phone number"), "jobs": _l("Finished background jobs"),
    "sessions": _l("Ended staff sessions"), "audit": _l("Administration audit trail entries"),
    "privacy_requests": _l("Answered requests about personal data"), "breaches": _l("Breach register entries")}
LEVEL_NAMES = {"ward": _l("wards and communes"), "district": _l("districts (before 2025)"),
               "province": _l("province outline")}
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


class _FieldWords:
    """``field_names.get(code)``: a field's name in the reader's language (a field is named in both
    languages in ``reports.categories.FIELDS``)."""

    def get(self, code, default=None):
        from flask_babel import get_locale

        from reports.categories import FIELDS
        names = FIELDS.get(code)
        return default if names is None else names[1 if str(get_locale()) == "en" else 0]


    def choices(self) -> list[tuple[str, str]]:
        """(code, name) of every field, for a form's select."""
        from reports.categories import FIELDS
        return [(code, self.get(code)) for code in FIELDS]


field_words = _FieldWords()


def install(app) -> None:
    app.jinja_env.globals.update(status_names=STATUS_NAMES, priority_names=PRIORITY_NAMES, reason_names=REASON_NAMES,
                                 event_names=EVENT_NAMES, role_names=ROLE_NAMES, channel_names=CHANNEL_NAMES,
                                 admin_action_names=ADMIN_ACTION_NAMES, field_names=field_words, level_names=LEVEL_NAMES,
                                 card_statuses=status_words, retention_names=RETENTION_NAMES,
                                 privacy_kind_names=PRIVACY_KIND_NAMES, privacy_status_names=PRIVACY_STATUS_NAMES)
