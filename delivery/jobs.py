"""The ``email`` job: who receives it, in which language, with which links. Residents' messages
carry an unsubscribe link; staff messages go to the account's address and name no resident.
Links use ``PUBLIC_URL``."""
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete

from delivery.account_links import reset_token
from delivery.channels import CHANNELS, Note
from delivery.links import public_link
from delivery.mail import build_message, confirmation_token, deliver, rendered
from delivery.sealed import unseal
from geo.wards import ward_in_force
from reports.accounts.staff import StaffUser
from reports.models import Report, ReportEvent
from reports.notify.alerts import digest_reports
from reports.notify.models import AreaAlert, Job, Subscription
from reports.notify.phones import next_day_start, take_quota
from reports.notify.queue import Outside, Postpone
from reports.notify.staff import overdue_reports
from reports.photos.records import result_photos
from reports.privacy.requests import PrivacyRequest, due_soon
from store import LOCAL_TZ, db, utcnow

UNSUBSCRIBE_SLOT = "unsubscribe-link-slot"  # in a cached update, where each subscriber's own link goes
RENDERED_KEEP = 2000  # cached (event, language) renderings per process


def _update_parts(event_id: int, language: str) -> tuple[str, str, str] | None:
    """An event's update email, rendered once per language: a followed report may have thousands of
    subscribers, and the text differs only by the unsubscribe link (``UNSUBSCRIBE_SLOT``). Kept per
    app (events never change); the oldest half is dropped when full."""
    cache = current_app.extensions.setdefault("rendered_updates", {})
    parts = cache.get((event_id, language))
    if parts is None:
        event = db.session.get(ReportEvent, event_id)
        if event is None:
            return None
        parts = _render_resident(event.report, "update", language, event, UNSUBSCRIBE_SLOT, "")
        if len(cache) >= RENDERED_KEEP:
            for key in list(cache)[:RENDERED_KEEP // 2]:
                cache.pop(key, None)
        cache[(event_id, language)] = parts
    return parts


def _render_resident(report: Report, template: str, language: str, event: ReportEvent | None, unsubscribe: str,
                     confirm: str, private: str | None = None) -> tuple[str, str, str]:
    links = {"report": public_link("citizen.track_page", tracking_code=report.tracking_code), "unsubscribe": unsubscribe, "confirm": confirm,
             "rate": _report_link(report, event), "private": private}
    view = {"tracking_code": report.tracking_code, "ward": {"name": report.ward.name} if report.ward else None,
            "result_photos": [public_link("citizen.photo", key=f"{sha}.jpg") for sha in result_photos(report.id)]
            if event is not None and event.kind == "resolved" else []}
    return rendered(template, language, view=view, event=event, links=links)


def _resident(subscription: Subscription, template: str, event_id: int | None, private_link: str | None = None):
    unsubscribe = public_link("citizen.unsubscribe_page", token=subscription.token)
    if template == "update":
        parts = _update_parts(event_id, subscription.language)
        if parts is None:
            return None
        parts = tuple(part.replace(UNSUBSCRIBE_SLOT, unsubscribe) for part in parts)
    else:
        confirm = public_link("citizen.confirm_page", token=confirmation_token(subscription.id))
        parts = _render_resident(subscription.report, template, subscription.language, None, unsubscribe, confirm,
                                 unseal(private_link))
    return build_message(subscription.email, parts, unsubscribe)


def _alert_codes(template: str, alert: AreaAlert, payload: dict) -> list[str]:
    """The tracking codes an alert's message names: the new report, or the day's new reports."""
    if template == "alert_new":
        report = db.session.get(Report, payload["report_id"])
        return [] if report is None or report.hidden else [report.tracking_code]
    if template == "alert_digest":
        return digest_reports(alert.id, utcnow() - timedelta(days=1))
    return []


def _report_link(report: Report, event: ReportEvent | None) -> str:
    """The tracking page; after "resolved", at its rating form."""
    rating = event is not None and event.kind == "resolved"
    return public_link("citizen.track_page", "rate-form" if rating else None, tracking_code=report.tracking_code)


def _alert(alert: AreaAlert, template: str, payload: dict):
    links = {"unsubscribe": public_link("citizen.unsubscribe_page", token=alert.token),
             "confirm": public_link("citizen.confirm_alert_page", token=confirmation_token(alert.id, "alert"))}
    codes = _alert_codes(template, alert, payload)
    if template in ("alert_new", "alert_digest") and not codes:
        return None
    reports = [{"code": code, "url": public_link("citizen.track_page", tracking_code=code)} for code in codes]
    file = "alert_reports" if template in ("alert_new", "alert_digest") else template  # one report, or the day's
    parts = rendered(file, alert.language, alert=alert, reports=reports, links=links)
    return build_message(alert.email, parts, links["unsubscribe"])


def _staff(user: StaffUser, template: str, payload: dict):
    if template == "staff_password_reset":  # the link is made now, from the account as it is now
        return build_message(user.email, rendered(template, "vi", reset=public_link("auth.reset_password", token=reset_token(user))))
    if template == "staff_invite":
        ward = ward_in_force(user.ward_code) if user.ward_code else None
        return build_message(user.email, rendered(template, "vi", link=public_link("auth.welcome", token=reset_token(user, "invite")),
                                                  user=user, invited_by=payload.get("invited_by", ""),
                                                  ward_name=ward.name if ward else None))
    if template == "staff_privacy_due":
        requests = due_soon(utcnow())
        return build_message(user.email, rendered(template, "vi", requests=requests,
                                                  page=public_link("admin.privacy_requests"))) if requests else None
    if template == "staff_overdue":
        reports = overdue_reports(user.ward_code or "", utcnow())
        if not reports:
            return None
    else:
        report = db.session.get(Report, payload["report_id"])
        if report is None or report.assignee_id != user.id:
            return None  # reassigned meanwhile: the new officer gets their own message
        reports = [report]
    items = [{"code": r.tracking_code, "url": public_link("desk.report_page", tracking_code=r.tracking_code), "deadline": r.deadline_at,
              "category": r.category.name("vi") if r.category else ""} for r in reports]
    return build_message(user.email, rendered(template, "vi", reports=items, desk=public_link("desk.queue_page")))


def _privacy_message(request: PrivacyRequest | None, template: str):
    """(address, message) of a confirmation link or of staff's answer; (None, None) when gone."""
    if request is None:
        return None, None
    if template == "privacy_confirm":
        return (request.email, _privacy_confirmation(request)) if request.status == "received" else (None, None)
    to = request.email or (request.report.reporter_email if request.report is not None else None)
    if not to or request.status != {"privacy_answer": "done", "privacy_held": "on_hold"}.get(template):
        return None, None  # (answered or released meanwhile: the message would no longer be true)
    return to, build_message(to, rendered(template, "vi", kind=request.kind, answer=request.answer,
                                          reason=request.hold_reason))


def _privacy_confirmation(request: PrivacyRequest):
    link = public_link("citizen.confirm_privacy_page", token=confirmation_token(request.id, "privacy"))
    return build_message(request.email, rendered("privacy_confirm", "vi", link=link, kind=request.kind,
                                                 due_at=request.due_at.isoformat()))


def send_email_job(job: Job) -> Outside | None:
    """Compose now, send outside the transaction; a recipient gone meanwhile (unsubscribed,
    deactivated) gets nothing."""
    payload, template = job.payload, job.payload["template"]
    if "subscription_id" in payload:
        subscription = db.session.get(Subscription, payload["subscription_id"])
        to = subscription.email if subscription else None
        email = (_resident(subscription, template, payload.get("event_id"), payload.get("private_link"))
                 if subscription else None)
    elif "privacy_request_id" in payload:
        request = db.session.get(PrivacyRequest, payload["privacy_request_id"])
        to, email = _privacy_message(request, template)
    elif "alert_id" in payload:
        alert = db.session.get(AreaAlert, payload["alert_id"])
        to = alert.email if alert else None
        email = _alert(alert, template, payload) if alert else None
    else:
        user = db.session.get(StaffUser, payload["staff_id"])
        to = user.email if user is not None else None
        email = _staff(user, template, payload) if user is not None and user.active else None
    if email is None or not to:
        return None
    return Outside(lambda: deliver(email, to))


def _subscription_note(subscription: Subscription, template: str, event: ReportEvent | None) -> Note | None:
    """A report's update (push, SMS, Zalo). No confirmation goes by these channels: a browser's
    prompt confirms a push subscription, a phone proves itself by SMS (``reports.notify.phones``)."""
    report = subscription.report
    code = report.tracking_code
    with force_locale(subscription.language):
        if event is None or subscription.confirmed_at is None:
            return None
        title = render_template("mail/update.subject.txt", view={"tracking_code": code}, event=event).strip()
        return Note("update", title, event.ward_words or "", _report_link(report, event), code=code,
                    key=f"update:{event.id}:{subscription.id}",
                    extra={"unsubscribe": public_link("citizen.unsubscribe_page", token=subscription.token), "unsubscribe_label": _("Turn off")})


def _alert_note(alert: AreaAlert, template: str, payload: dict) -> Note | None:
    codes = _alert_codes(template, alert, payload)
    if not codes:
        return None
    with force_locale(alert.language):
        title = (_("New report nearby: %(code)s", code=codes[0]) if len(codes) == 1
                 else _("%(n)s new reports in your area", n=len(codes)))
        return Note(template, title, "", public_link("citizen.track_page", tracking_code=codes[0]) if len(codes) == 1
                    else public_link("citizen.map_page"),
                    code=codes[0] if len(codes) == 1 else "", key=f"{template}:{alert.id}:{payload.get('report_id') or payload.get('day')}",
                    extra={"unsubscribe": public_link("citizen.unsubscribe_page", token=alert.token), "unsubscribe_label": _("Turn off")})


def _take_quota(channel: str, number: str) -> None:
    """Count the message against the daily caps, or wait for the next day (``reports.notify.phones``)."""
    config, now = current_app.config, utcnow()
    if not take_quota(channel, number, now.astimezone(LOCAL_TZ).date(), config["PHONE_DAILY_CAP"],
                      config[f"{channel.upper()}_DAILY_CAP"]):
        raise Postpone(next_day_start(now, LOCAL_TZ), f"daily cap of {channel} reached")


def send_note_job(job: Job) -> Outside | None:
    """``push``, ``sms``, ``zalo`` jobs: a short note in the subscriber's language through the
    channel's adapter (``delivery.channels``), sent outside the transaction; an address that has gone (a
    browser's push service answers 404/410) then loses its subscription or alert."""
    payload, template = job.payload, job.payload.get("template", "update")
    if "alert_id" in payload:
        model, row = AreaAlert, db.session.get(AreaAlert, payload["alert_id"])
        note = _alert_note(row, template, payload) if row is not None else None
        address = row.push if row is not None else None
    else:
        model, row = Subscription, db.session.get(Subscription, payload["subscription_id"])
        event = db.session.get(ReportEvent, payload["event_id"]) if payload.get("event_id") else None
        note = _subscription_note(row, template, event) if row is not None else None
        address = None if row is None else (row.push if job.kind == "push" else row.phone)
    if note is None or not address:
        return None
    if job.kind in ("sms", "zalo"):
        _take_quota(job.kind, address)
    row_id, channel = row.id, CHANNELS[job.kind]

    def forget_if_gone(delivered: bool) -> None:
        if not delivered:
            db.session.execute(delete(model).where(model.id == row_id))
    return Outside(lambda: channel.send(address, note), forget_if_gone)
