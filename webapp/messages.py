"""User-facing error messages, by error key, translated at response time (Vietnamese first)."""
from flask_babel import lazy_gettext as _l

ERROR_MESSAGES = {
    "invalid_coordinates": _l("The location is missing or invalid."),
    "outside_service_area": _l("This place is outside the service area: no ward here receives reports."),
    "invalid_parameter": _l("A parameter of the request is invalid."),
    "invalid_tile": _l("This map tile does not exist."),
    "unknown_category": _l("Please choose a category from the list."),
    "description_required": _l("Please describe the problem."),
    "description_too_long": _l("The description is too long (at most 4,000 characters)."),
    "invalid_email": _l("The email address is not valid."),
    "invalid_phone": _l("The phone number is not valid."),
    "too_many_photos": _l("You can attach at most 3 photos."),
    "photo_type": _l("This file is not a photo we can read (JPEG, PNG, WebP or HEIC)."),
    "photo_too_large": _l("This photo is too large (at most 10 MB)."),
    "photo_storage_unavailable": _l("Photos cannot be saved right now, so the report was not sent. Please try again in a few minutes."),
    "possible_duplicate": _l("Someone has already reported this nearby. Is it one of these?"),
    "report_not_found": _l("No report has this tracking code."),
    "illegal_transition": _l("This change of status is not allowed."),
    "rejection_reason": _l("A rejection needs a reason."),
    "support_closed": _l("This report is already closed."),
    "invalid_rating": _l("The rating must be from 1 to 5 stars."),
    "rate_not_resolved": _l("You can rate the answer once the report is resolved."),
    "already_rated": _l("This report has already been rated."),
    "reopen_not_resolved": _l("Only a resolved report can be reopened."),
    "reopen_too_late": _l("A report can be reopened for 7 days after it is resolved."),
    "reopen_reason_required": _l("Please say what is still wrong: the ward reads it before looking again."),
    "comment_required": _l("Please write something first."),
    "assignee_not_in_ward": _l("Choose a staff member of this report's ward."),
    "password_too_short": _l("A password needs at least 10 characters."),
    "unknown_role": _l("Choose a role from the list."),
    "ward_required": _l("Officers and ward leads belong to a ward: choose it."),
    "field_required": _l("An officer handles at least one field: tick it."),
    "email_taken": _l("An account with this email already exists."),
    "reporter_secret_required": _l("Only the person who sent this report can do this, from the phone it was "
                                   "sent from or with the private link received then."),
    "invalid_characters": _l("The text contains characters that cannot be saved (control characters)."),
    "staff_text_required": _l("Please write the text: a reply, a note or a reason is required."),
    "invalid_subscription": _l("This subscription is not valid (check the email address)."),
    "channel_off": _l("Updates by this channel are not offered here."),
    "invalid_blur_area": _l("Give the area as four percentages within the photo: left below right, top below bottom."),
    "phone_requests_off": _l("Requests by phone are not offered here: give your email address."),
    "invalid_breach": _l("Say what happened, which data it touched and how many people."),
    "invalid_privacy_request": _l("Say what you ask (a copy, a correction, deletion, restriction or withdrawal) and give a valid email address."),
    "unknown_ward": _l("Please choose a ward from the list."),
    "too_many_subscriptions": _l("This address already receives as many alerts or updates as we allow. "
                                 "End one (the link is in every message) before adding another."),
    "original_closed": _l("The original report must still be open."),
    "rate_limited": _l("Too many submissions from this device. Please wait a moment and try again."),
    "csrf_failed": _l("Your session has expired. Please reload the page and try again."),
    "not_found": _l("Not found."),
    "database_unavailable": _l("The service restarted just now and nothing was saved. Please try again."),
    "invalid_request": _l("The request is not valid."),
}


def message_for(key: str, fallback: str) -> str:
    text = ERROR_MESSAGES.get(key)
    return str(text) if text is not None else fallback


def message_of(exc) -> str:
    """A typed domain error's message for people, in their language (its ``key``)."""
    return message_for(getattr(exc, "key", None) or "", str(exc))
