"""``POST /desk/reports/<code>/<action>``: one thin view per action over :mod:`reports.workflow.desk`."""
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from geo.errors import DomainError
from reports.errors import InvalidReport
from reports.photos.desk_tools import blur_area, hide_photo
from reports.workflow import desk
from store import db
from webapp.desk import bp
from webapp.extensions import deadline_rules, photo_storage
from webapp.messages import message_for, message_of
from webapp.names import STATUS_NAMES
from webapp.policy import can_see, report_access


def _photo(files):
    upload = files.get("photo")
    if not upload or not upload.filename:
        raise InvalidReport("choose a photo", key="invalid_request")
    return upload.read()


def _optional_photo(files) -> bytes | None:
    upload = files.get("photo")
    return upload.read() if upload and upload.filename else None


def _visible(other) -> bool:
    return can_see(current_user, other)


# What each action's flash says was done (the report itself names who has it, its status, its category).
DONE = {
    "accept": _l("Accepted: the resident sees that the ward has taken the report on."),
    "category": _l("Category changed."), "priority": _l("Priority and deadline changed."),
    "assign": _l("Assigned: %(who)s is told by email and finds it in their queue."),
    "reply": _l("Reply sent to the resident and published on the report."),
    "note": _l("Internal note added (staff only)."), "status": _l("Status changed to “%(status)s”."),
    "transfer": _l("Transferred to the other ward: it starts over there."),
    "duplicate": _l("Closed as a duplicate; its supporters now count on the original."),
    "hide": _l("The report's text and photos are hidden from the public."),
    "result-photo": _l("Result photo added."), "answer": _l("Answer saved and sent to the resident."),
    "photo-hide": _l("The photo is hidden from the public."),
    "photo-blur": _l("The area will be blurred: the public sees the photo again once its new copy is made."),
}

ACTIONS = {
    "accept": lambda r, a, f, files: desk.accept(r, a),
    "category": lambda r, a, f, files: desk.change_category(r, a, f.get("category", "")),
    "priority": lambda r, a, f, files: desk.set_priority(r, a, f.get("priority", ""), deadline_rules()),
    "assign": lambda r, a, f, files: desk.assign(r, a, int(f.get("officer_id") or 0), deadline_rules()),
    "reply": lambda r, a, f, files: desk.reply(r, a, f.get("message", "")),
    "note": lambda r, a, f, files: desk.note(r, a, f.get("message", "")),
    "status": lambda r, a, f, files: desk.set_status(r, a, f.get("status", ""), f.get("reason"), f.get("message")),
    "transfer": lambda r, a, f, files: desk.transfer(r, a, f.get("ward_code", ""), f.get("reason", "")),
    "duplicate": lambda r, a, f, files: desk.mark_duplicate(r, a, f.get("original", ""), _visible),
    "hide": lambda r, a, f, files: desk.hide(r, a, f.get("reason", "")),
    "result-photo": lambda r, a, f, files: desk.add_result_photo(r, a, _photo(files), photo_storage()),
    "photo-hide": lambda r, a, f, files: hide_photo(r, a.name, a.role, f.get("photo", "")),
    "photo-blur": lambda r, a, f, files: blur_area(r, a.name, a.role, f.get("photo", ""),
                                                   [f.get(k) for k in ("left", "top", "right", "bottom")], photo_storage()),
    "answer": lambda r, a, f, files: desk.answer(r, a, f.get("message"), _optional_photo(files), f.get("resolve") == "1",
                                                 photo_storage()),
}


@bp.post("/reports/<tracking_code>/<action>")
@report_access(write=True)
def act(tracking_code, action):
    handler = ACTIONS.get(action)
    if handler is None:
        abort(404)
    actor = desk.Actor(current_user.email, current_user.role)
    report = g.report
    try:
        handler(report, actor, request.form, request.files)
        db.session.commit()
        flash(str(DONE[action]) % {"who": report.assignee.label if report.assignee else "",
                                   "status": str(STATUS_NAMES.get(report.status, ""))}, "success")
    except DomainError as exc:
        db.session.rollback()
        flash(message_of(exc), "error")
    except ValueError:
        db.session.rollback()
        flash(message_for("invalid_request", "invalid request"), "error")
    if action == "transfer" and not can_see(current_user, report):
        return redirect(url_for("desk.queue_page"))  # it now belongs to the other ward
    return redirect(url_for("desk.report_page", tracking_code=tracking_code))
