"""Every place that holds personal data, declared once: what it is, why it is held, who reads it, how
long it is kept (a retention rule of :mod:`reports.privacy.retention`, or the life of what it belongs
to). ``flask privacy inventory`` prints it for a city's impact-assessment file; the test
``tests/reports/privacy/test_inventory.py`` fails when a table gains a column that looks personal and
is declared neither here nor in :data:`NOT_PERSONAL`."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Holding:
    table: str
    columns: tuple[str, ...]
    what: str
    purpose: str
    readers: str
    kept: str  # how long, in words
    rule: str | None = None  # the retention rule that erases it (reports.privacy.retention.RULES)
    sensitive: bool = False  # "sensitive personal data" in Decree 356's sense


INVENTORY = (
    Holding("report", ("reporter_name", "reporter_phone", "reporter_email"), "the reporter's name, phone and email, when given",
            "to call or write back about the report", "the report's ward staff when the reporter chose to show them; dispatchers",
            "until the report has been closed for RETAIN_CONTACT_DAYS", rule="contact"),
    Holding("report", ("location", "location_3857", "tile_key"), "the place of the issue: the pin the resident set (the phone's own position, accuracy and time are never stored)",
            "to send the report to the ward that owns the place and show it on the map", "everyone (the public map)",
            "with the report"),
    Holding("report", ("description", "rating_comment", "hidden_reason"), "free text that may name or describe a person",
            "to tell the ward what is wrong and how it was handled", "everyone for the description unless hidden; staff for the rest",
            "with the report; a deletion request erases the reporter's own words"),
    Holding("report", ("reporter_secret_hash", "idempotency_key"), "digests that let the phone that sent a report act on it again",
            "rating, reopening and following one's own report; a resent submission counted once", "nobody (compared, never shown)",
            "with the report"),
    Holding("report_event", ("actor", "message", "data"), "who did what to a report (staff names) and the words exchanged",
            "the report's audit trail and its public timeline", "staff; the public events' words on the tracking page",
            "with the report"),
    Holding("report_photo", ("sha256",), "photos sent with a report or of its result (files named by it); may show faces, number plates, houses",
            "to show the ward and the public what is wrong",
            "everyone: a copy with the faces blurred, while the report is shown; the original: its ward's staff, each view recorded",
            "with the report"),
    Holding("subscription", ("email", "phone", "push", "push_endpoint", "token", "proof_code"),
            "the address, phone or browser that follows a report", "to send that report's updates", "nobody (the worker sends)",
            "unconfirmed: RETAIN_UNCONFIRMED_DAYS; then until unsubscribed or the report has been closed for RETAIN_SUBSCRIPTION_DAYS",
            rule="subscriptions"),
    Holding("area_alert", ("email", "push", "push_endpoint", "token", "location", "radius_m"),
            "the address or browser that asked for alerts about an area, and the area (which may be near the person's home)",
            "to tell of new reports there", "nobody (the worker sends)", "unconfirmed: RETAIN_UNCONFIRMED_DAYS; then until unsubscribed",
            rule="unconfirmed_alerts", sensitive=True),
    Holding("verified_phone", ("phone",), "a phone number that proved it is its owner's", "to send SMS and Zalo updates only to proven numbers",
            "nobody", "PHONE_PROOF_DAYS after the proof", rule="phones"),
    Holding("message_quota", ("key",), "a phone number's messages counted per day", "to cap the messages one number receives",
            "nobody", "RETAIN_QUOTA_DAYS", rule="quotas"),
    Holding("job", ("payload", "last_error"), "ids of the subscription or account a message goes to, a digest of a typed address; never an address or a name",
            "to send messages and do the background work", "administrators (the queue's page)", "RETAIN_JOB_DAYS after it is done",
            rule="jobs"),
    Holding("privacy_request", ("email", "phone", "detail", "hold_reason", "answer"),
            "a person's request about their data: the address it came from, what they asked, the answer",
            "to answer it within its deadline and show that it was", "administrators",
            "RETAIN_PRIVACY_REQUEST_DAYS after it was answered (a deletion's request keeps no address)",
            rule="privacy_requests"),
    Holding("breach", ("recorded_by", "what", "data_kinds", "actions"), "an incident touching personal data and who recorded it",
            "to notify the authority within 72 hours and keep the record", "administrators", "RETAIN_BREACH_DAYS",
            rule="breaches"),
    Holding("staff_user", ("email", "display_name", "password_hash", "password_changed_at", "totp_secret", "totp_enabled_at",
                           "totp_last_step", "recovery_codes", "session_token", "last_login_at"),
            "a staff member's account", "to sign in and to name who did what", "administrators; the person",
            "while the account exists (deactivated accounts stay for the audit trail)"),
    Holding("staff_session", ("device", "token_hash", "user_token", "last_seen_at"), "a staff member's signed-in devices",
            "to end sessions on sign-out and list them on /account", "the person", "RETAIN_SESSION_DAYS after the session ended",
            rule="sessions"),
    Holding("admin_event", ("actor", "target", "data"), "which administrator changed what (staff emails)",
            "the administration's audit trail", "administrators", "RETAIN_AUDIT_DAYS", rule="audit"),
    Holding("day_off", ("added_by",), "the administrator who added a day off", "the audit of the working calendar",
            "administrators", "with the day off"),
)

# Columns whose names look personal but hold none, and why.
NOT_PERSONAL = {
    ("admin_unit", "name"): "a ward's official name", ("admin_unit", "name_ascii"): "a ward's official name",
    ("admin_unit_part", "code"): "a ward's code", ("boundary_set", "name"): "a boundary set's name",
    ("boundary_set", "description"): "a boundary set's description", ("boundary_set", "content_sha256"): "a file's digest",
    ("category", "name_vi"): "a category's name", ("category", "name_en"): "a category's name",
    ("crosswalk_entry", "new_ward_name"): "a ward's name", ("crosswalk_entry", "old_ward_name"): "a ward's name",
    ("crosswalk_entry", "old_district_name"): "a district's name", ("crosswalk_entry", "new_province_name"): "a province's name",
    ("coverage_cell", "nearest_name"): "a service centre's name", ("day_off", "name"): "a holiday's name",
    ("service_point", "name"): "an office's name", ("service_point", "address"): "an office's address",
    ("service_point", "phone"): "an office's phone", ("service_point", "location"): "an office's place",
    ("api_key", "name"): "a label an administrator gives a key", ("api_key", "key_hash"): "a key's digest",
    ("api_key", "prefix"): "a key's first characters", ("reply_template", "title"): "a reply template",
    ("reply_template", "body"): "a reply template", ("worker_heartbeat", "name"): "a worker process's name",
    ("job", "dedupe_key"): "ids joined (event, subscription)", ("report_photo", "kind"): "report or result",
    ("admin_unit", "properties"): "the boundary file's attributes of a ward",
    ("report_event", "actor_role"): "the role of whoever acted (officer, resident…), not who",
}
