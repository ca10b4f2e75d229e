"""``/admin/privacy``: how long each kind of personal data is kept, how much the next run erases (the
worker's, within the hour, or ``flask privacy retention``), and when it last ran
(``reports.privacy.retention``); ``/admin/privacy/requests``: people's requests about their data, the
first due first, to hold (with the legal reason), release, answer or carry out (``reports.privacy.requests``);
``/admin/privacy/breaches``: the breach register, its 72-hour clock and drafted notices (``reports.privacy.breaches``)."""
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reports.accounts.admin_log import AdminEvent, log_admin
from reports.privacy.breaches import Breach, InvalidBreach, all_breaches, record
from reports.privacy.requests import (
    InvalidPrivacyRequest,
    PrivacyRequest,
    answer,
    carry_out,
    hold,
    open_requests,
    release,
)
from reports.privacy.retention import RULES, due, periods_from
from store import LOCAL_TZ, db, utcnow
from webapp.admin import bp
from webapp.extensions import photo_storage
from webapp.messages import message_of


@bp.get("/privacy")
def privacy():
    periods = periods_from(current_app.config)
    counts = due(utcnow(), periods)
    rows = [(rule, periods[rule.code], counts[rule.code]) for rule in RULES]
    last = db.session.scalar(select(AdminEvent).where(AdminEvent.action == "retention_enforced")
                             .order_by(AdminEvent.at.desc()).limit(1))
    return render_template("admin/privacy.html", rows=rows, last=last, waiting=len(open_requests()))


@bp.get("/privacy/requests")
def privacy_requests():
    """People's requests about their data, the first due first, with what staff do about each."""
    return render_template("admin/privacy_requests.html", requests=open_requests(), now=utcnow())


@bp.post("/privacy/requests/<int:request_id>/<action>")
def privacy_request_action(request_id, action):
    found = db.session.get(PrivacyRequest, request_id) or abort(404)
    text = (request.form.get("text") or "").strip()
    try:
        if action == "hold":
            hold(found, text)
        elif action == "release":
            release(found)
        elif action == "answer":
            answer(found, text, utcnow())
        elif action == "carry-out":
            if not carry_out(found, utcnow(), photo_storage()):
                raise InvalidPrivacyRequest("only a confirmed deletion, withdrawal or restriction is carried out",
                                            key="invalid_privacy_request")
        else:
            abort(404)
    except InvalidPrivacyRequest as exc:
        db.session.rollback()
        flash(message_of(exc), "error")
        return redirect(url_for("admin.privacy_requests"))
    log_admin(current_user.email, f"privacy_request_{action.replace('-', '_')}", str(found.id), kind=found.kind)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.privacy_requests"))


@bp.route("/privacy/breaches", methods=["GET", "POST"])
def breaches():
    """The breach register: record an incident; each shows its 72-hour clock and the drafted notices."""
    if request.method == "POST":
        form = request.form
        try:
            found = datetime.fromisoformat(form.get("found_at") or "").replace(tzinfo=LOCAL_TZ)
            people = int(form.get("people") or "")
        except ValueError:
            flash(_("Give when it was found and how many people it concerns."), "error")
            return redirect(url_for("admin.breaches"))
        try:
            made = record(found, current_user.email, form.get("what") or "", form.get("data_kinds") or "", people,
                          form.get("actions") or "")
        except InvalidBreach as exc:
            db.session.rollback()
            flash(message_of(exc), "error")
            return redirect(url_for("admin.breaches"))
        db.session.flush()
        log_admin(current_user.email, "breach_recorded", str(made.id), people=people)
        db.session.commit()
        return redirect(url_for("admin.breaches"))
    return render_template("admin/breaches.html", breaches=all_breaches(), now=utcnow())


@bp.post("/privacy/breaches/<int:breach_id>/<step>")
def breach_step(breach_id, step):
    """``reported``: the authority was notified; ``told``: the people concerned were."""
    found = db.session.get(Breach, breach_id) or abort(404)
    if step == "reported":
        found.reported_at = found.reported_at or utcnow()
    elif step == "told":
        found.people_told_at = found.people_told_at or utcnow()
    else:
        abort(404)
    log_admin(current_user.email, f"breach_{step}", str(found.id))
    db.session.commit()
    return redirect(url_for("admin.breaches"))
