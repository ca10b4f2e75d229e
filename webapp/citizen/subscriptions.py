"""Residents' updates (email; SMS or Zalo where configured): subscribe from the tracking page, confirm by the link sent, and
leave with one click (``/unsubscribe/<token>``: a page with a button, and the ``POST`` mail clients
send for ``List-Unsubscribe-Post``).

A confirmation link opens a page with a button; only its ``POST`` confirms. Mail scanners and link
previews open (``GET``) every link of a message: a confirming ``GET`` would subscribe anyone whose
address someone typed, and the double opt-in would prove nothing. The signed token in the link is the
authority, as for unsubscribing, so the button needs no session."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from delivery import channels, push
from delivery.mail import confirmed_id
from delivery.sealed import seal
from geo.wards import wards_in_force
from reports.categories import FIELDS
from reports.errors import ReportError
from reports.notify.alerts import create_alert
from reports.notify.models import AreaAlert, Subscription
from reports.notify.updates import confirm, subscribe, subscribe_phone, unsubscribe
from reports.workflow.lifecycle import get_by_tracking_code
from store import db
from webapp.api.reports import alert_limit
from webapp.citizen import bp
from webapp.extensions import csrf, limiter
from webapp.messages import message_of
from webapp.security import authorised_by_reporter_secret, private_link, reporter_or_same_origin


@bp.post("/r/<tracking_code>/subscribe")
@authorised_by_reporter_secret
@limiter.limit(alert_limit, methods=["POST"])
def subscribe_page(tracking_code):
    report, form = get_by_tracking_code(tracking_code), request.form
    try:
        if form.get("phone") is not None:
            subscription = subscribe_phone(report, form["phone"], form.get("channel", "sms"), str(get_locale()),
                                           form.get("reporter_secret"), channels.enabled,
                                           current_app.config["PHONE_PROOF_DAYS"])
            db.session.commit()
            if subscription.confirmed_at is not None:
                flash(_("Done: the updates will come to this phone."), "success")
            else:
                flash(_("To confirm, send an SMS with the text %(code)s to %(number)s from this phone. "
                        "Nothing is sent to it until then.", code=subscription.proof_code,
                        number=current_app.config["SMS_INBOUND_NUMBER"]), "success")
        else:
            secret = form.get("reporter_secret")
            reporter = reporter_or_same_origin(report, secret)
            link = seal(private_link(current_app.config, report.tracking_code, secret)) if reporter else None
            subscribe(report, form.get("email", ""), str(get_locale()), secret, link)
            db.session.commit()
            flash(_("We sent you an email: open the link in it to confirm the updates."), "success")
    except ReportError as exc:
        db.session.rollback()
        flash(message_of(exc), "error")
    return redirect(url_for("citizen.track_page", tracking_code=report.tracking_code))


def _confirmation(token: str, what: str, model, confirmed_state: str):
    """``GET``: the page with its button (nothing changes); ``POST``: confirmed."""
    row_id = confirmed_id(token, what)
    row = db.session.get(model, row_id) if row_id else None
    if row is None:
        return render_template("citizen/subscription.html", state="invalid"), 404
    if request.method == "GET":
        return render_template("citizen/subscription.html", state="confirm_ask", what=what, token=token,
                               done=row.confirmed_at is not None)
    confirm(row_id, model)
    db.session.commit()
    return render_template("citizen/subscription.html", state=confirmed_state,
                           tracking_code=row.report.tracking_code if what == "subscription" else None)


@bp.route("/subscriptions/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token in the link is the authority (see the module's docstring)
def confirm_page(token):
    return _confirmation(token, "subscription", Subscription, "confirmed")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token in the link is the authority; mail clients post without a session
def unsubscribe_page(token):
    if request.method == "GET":
        return render_template("citizen/subscription.html", state="ask", token=token)
    found = unsubscribe(token)
    db.session.commit()
    return render_template("citizen/subscription.html", state="ended" if found else "unknown")


@bp.route("/alerts", methods=["GET", "POST"])
@limiter.limit(alert_limit, methods=["POST"])
def alerts_page():
    """Alerts for new reports in a ward (or around a point, through the API), by email or Web Push."""
    if request.method == "POST":
        form = request.form
        try:
            create_alert(form.get("email", ""), str(get_locale()), ward=form.get("ward") or None,
                         field=form.get("field") or None, digest=form.get("digest") == "1")
            db.session.commit()
            flash(_("We sent you an email: open the link in it to confirm the alerts."), "success")
            return redirect(url_for("citizen.alerts_page"))
        except ReportError as exc:
            db.session.rollback()
            flash(message_of(exc), "error")
    return render_template("citizen/alerts.html", wards=wards_in_force(), fields=FIELDS, vapid_key=push.public_key())


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token in the link is the authority
def confirm_alert_page(token):
    return _confirmation(token, "alert", AreaAlert, "alert_confirmed")
