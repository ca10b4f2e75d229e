"""The ``email`` job: who receives it, in which language, with which links. Residents' messages
carry an unsubscribe link; staff messages go to the account's address and name no resident.
Links use ``PUBLIC_URL``."""
from datetime import datetime, timedelta, timezone

from flask import current_app, render_template
from flask_babel import force_locale

from reports.accounts.staff import StaffUser
from reports.models import Report, ReportEvent
from reports.notify.alerts import digest_reports
from reports.notify.models import AreaAlert, Job, Subscription
from reports.notify.staff import overdue_reports
from reports.queries.public import public_dict
from store import db
from webapp import push
from webapp.mail import build_message, confirmation_token, deliver, rendered


def _base() -> str:
    return current_app.config["PUBLIC_URL"]


def _resident(subscription: Subscription, template: str, event: ReportEvent | None):
    base, report = _base(), subscription.report
    links = {"report": f"{base}/r/{report.tracking_code}", "unsubscribe": f"{base}/unsubscribe/{subscription.token}",
             "confirm": f"{base}/subscriptions/confirm/{confirmation_token(subscription.id)}"}
    view = {"tracking_code": report.tracking_code, "ward": {"name": report.ward.name} if report.ward else None}
    parts = rendered(template, subscription.language, view=view, event=event, links=links)
    return build_message(subscription.email, parts, links["unsubscribe"])


def _alert(alert: AreaAlert, template: str, payload: dict):
    base = _base()
    links = {"unsubscribe": f"{base}/unsubscribe/{alert.token}",
             "confirm": f"{base}/alerts/confirm/{confirmation_token(alert.id, 'alert')}"}
    if template == "alert_new":
        report = db.session.get(Report, payload["report_id"])
        if report is None or report.hidden:
            return None
        codes = [report.tracking_code]
    elif template == "alert_digest":
        codes = digest_reports(alert.id, datetime.now(timezone.utc) - timedelta(days=1))
        if not codes:
            return None
    else:
        codes = []
    reports = [{"code": code, "url": f"{base}/r/{code}"} for code in codes]
    file = "alert_reports" if template in ("alert_new", "alert_digest") else template  # one report, or the day's
    parts = rendered(file, alert.language, alert=alert, reports=reports, links=links)
    return build_message(alert.email, parts, links["unsubscribe"])


def _staff(user: StaffUser, template: str, payload: dict):
    base = _base()
    if template == "staff_overdue":
        reports = overdue_reports(user.ward_code or "", datetime.now(timezone.utc))
        if not reports:
            return None
    else:
        report = db.session.get(Report, payload["report_id"])
        if report is None or report.assignee_id != user.id:
            return None  # reassigned meanwhile: the new officer gets their own message
        reports = [report]
    items = [{"code": r.tracking_code, "url": f"{base}/desk/reports/{r.tracking_code}", "deadline": r.deadline_at,
              "category": r.category.name("vi") if r.category else ""} for r in reports]
    return build_message(user.email, rendered(template, "vi", reports=items, desk=f"{base}/desk"))


def send_email_job(job: Job) -> None:
    """Compose and deliver; a recipient gone meanwhile (unsubscribed, deactivated) gets nothing."""
    payload, template = job.payload, job.payload["template"]
    if "subscription_id" in payload:
        subscription = db.session.get(Subscription, payload["subscription_id"])
        event = db.session.get(ReportEvent, payload["event_id"]) if payload.get("event_id") else None
        email = _resident(subscription, template, event) if subscription else None
    elif "alert_id" in payload:
        alert = db.session.get(AreaAlert, payload["alert_id"])
        email = _alert(alert, template, payload) if alert else None
    else:
        user = db.session.get(StaffUser, payload["staff_id"])
        email = _staff(user, template, payload) if user is not None and user.active else None
    if email is not None:
        deliver(email)


def send_push_job(job: Job) -> None:
    """``push`` job: the update as a notification in the subscriber's language; a browser that has
    gone (its push service answers 404/410) loses its subscription."""
    subscription = db.session.get(Subscription, job.payload["subscription_id"])
    event = db.session.get(ReportEvent, job.payload["event_id"])
    if subscription is None or event is None or not subscription.push:
        return
    report = subscription.report
    with force_locale(subscription.language):
        title = render_template("mail/update.subject.txt", view=public_dict(report), event=event).strip()
    payload = {"title": title, "body": (event.message or "")[:200], "url": f"{_base()}/r/{report.tracking_code}"}
    if not push.send(subscription.push, payload):
        db.session.delete(subscription)
