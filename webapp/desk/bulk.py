"""``POST /desk/bulk``: triage several reports of the queue at once — accept, assign to an officer, change
the category, or merge them as duplicates of one. Each report goes through the same action as on its
own page (``webapp.desk.actions.ACTIONS``), in a savepoint of its own: one that cannot take it (another
ward's, already accepted, an officer of another field) is skipped and counted, the others are kept."""
from urllib.parse import urlencode

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo.errors import DomainError
from reports.errors import ReportNotFound
from reports.workflow import desk
from reports.workflow.lifecycle import get_by_tracking_code
from store import db
from webapp.desk import bp
from webapp.desk.actions import ACTIONS
from webapp.policy import can_act, desk_access

BULK_ACTIONS = ("accept", "assign", "category", "duplicate")
MAX_SELECTED = 100
QUEUE_ARGS = ("status", "field", "category", "priority", "age_days", "assignee", "overdue", "ward", "page")


@bp.post("/bulk")
@desk_access
def bulk():
    action, codes = request.form.get("action"), list(dict.fromkeys(request.form.getlist("codes")))[:MAX_SELECTED]
    back = url_for("desk.queue_page") + "?" + urlencode({k: v for k, v in request.args.items() if k in QUEUE_ARGS})
    if action not in BULK_ACTIONS or not codes:
        flash(_("Choose reports and an action."), "error")
        return redirect(back)
    form = request.form.to_dict()
    if action == "duplicate":
        original = (form.get("original") or "").strip().upper()
        codes = [code for code in codes if code.upper() != original]
    actor = desk.Actor(current_user.email, current_user.role)
    done = skipped = 0
    for code in codes:
        try:
            report = get_by_tracking_code(code)
        except ReportNotFound:
            skipped += 1
            continue
        if not can_act(current_user, report):
            skipped += 1
            continue
        savepoint = db.session.begin_nested()
        try:
            ACTIONS[action](report, actor, form, request.files)
            savepoint.commit()
            done += 1
        except (DomainError, ValueError):
            savepoint.rollback()
            skipped += 1
    db.session.commit()
    flash(_("Done for %(done)s reports.", done=done) + (" " + _("%(n)s could not take this action and were left as they were.",
                                                              n=skipped) if skipped else ""),
          "success" if done else "error")
    return redirect(back)
