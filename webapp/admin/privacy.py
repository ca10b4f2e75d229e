"""``/admin/privacy``: how long each kind of personal data is kept, how much the next run erases (the
worker's, within the hour, or ``flask privacy retention``), and when it last ran
(``reports.privacy.retention``)."""
from flask import current_app, render_template
from sqlalchemy import select

from reports.accounts.admin_log import AdminEvent
from reports.privacy.retention import RULES, due, periods_from
from store import db, utcnow
from webapp.admin import bp


@bp.get("/privacy")
def privacy():
    periods = periods_from(current_app.config)
    counts = due(utcnow(), periods)
    rows = [(rule, periods[rule.code], counts[rule.code]) for rule in RULES]
    last = db.session.scalar(select(AdminEvent).where(AdminEvent.action == "retention_enforced")
                             .order_by(AdminEvent.at.desc()).limit(1))
    return render_template("admin/privacy.html", rows=rows, last=last)
