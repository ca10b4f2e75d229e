"""Public pages for residents: report an issue, follow it, the public map, photos."""
import json
import re
from datetime import datetime
from pathlib import Path

from babel import dates as babel_dates
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from delivery import channels, push
from delivery.mail import confirmed_id
from geo.wards import provinces_served
from reports.categories import FIELDS, active_categories
from reports.errors import ReportError
from reports.photos.public_copy import public_keys
from reports.photos.records import photo_is_public, reports_with_photo
from reports.privacy.notice import NOTICE_VERSION
from reports.privacy.requests import (
    PrivacyRequest,
    request_by_email,
    request_by_phone,
    request_with_key,
    verify,
)
from reports.privacy.retention import periods_from
from reports.queries.public import public_view
from reports.tracking import normalise_tracking_code
from reports.workflow.lifecycle import get_by_tracking_code, rate, record_event, reopen
from store import db
from webapp.api.reports import alert_limit, resident_action_limit
from webapp.extensions import csrf, limiter, photo_storage, privacy_deadlines
from webapp.links import with_links
from webapp.messages import message_of
from webapp.policy import can_see
from webapp.security import authorised_by_reporter_secret

bp = Blueprint("citizen", __name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
PUBLIC_PHOTO_MAX_AGE = 300
PHOTO_URL_KEY = re.compile(r"^([0-9a-f]{64})(_t)?\.jpg$")  # a photo or its thumbnail (the stored copies' keys are not URLs)


@bp.app_template_filter("when")
def when(iso_time: str) -> str:
    """An ISO time from the public view, in the user's language and the app's time zone (Vietnam's),
    with the year in four digits (Babel's "short" format gave 25/11/26). Babel's own formatter: Flask-Babel's
    wrapper looked the zone and the format up again on each call (12 µs against 4 µs; a tracking page
    formats every event of its timeline)."""
    locale = get_locale()
    pattern = "d MMM yyyy, HH:mm" if locale.language == "en" else "HH:mm dd/MM/yyyy"
    return babel_dates.format_datetime(datetime.fromisoformat(iso_time), pattern, tzinfo=get_timezone(), locale=locale)


@bp.get("/")
@bp.get("/report")
def report_page():
    categories = active_categories()
    fields = [(code, names, [c for c in categories if c.field == code]) for code, names in FIELDS.items()]
    return render_template("citizen/report.html", fields=[f for f in fields if f[2]], provinces=provinces_served())


@bp.get("/r")
def find_report():
    code = normalise_tracking_code(request.args.get("code", ""))
    if not code:
        flash(_("Please enter a tracking code like HUE-7K2Q-9MXD."), "error")
        return redirect(url_for("citizen.report_page"))
    return redirect(url_for("citizen.track_page", tracking_code=code))


@bp.get("/r/<tracking_code>")
def track_page(tracking_code):
    return render_template("citizen/track.html", view=with_links(public_view(tracking_code)), vapid_key=push.public_key(),
                           phone_channels=channels.enabled_phone_channels())


@bp.get("/r/<tracking_code>/follow")
def follow_page(tracking_code):
    """Anyone follows a report (FixMyStreet's "Get updates"): by email (double opt-in) or push. A page
    of its own, with the session's CSRF token: the tracking page sets no cookie for its visitors."""
    return render_template("citizen/follow.html", view=with_links(public_view(tracking_code)), vapid_key=push.public_key())


@bp.get("/my-reports")
def my_reports_page():
    """"Phản ánh của tôi": the reports sent from this phone, from what the phone keeps (its scripts
    ask the public view of each code it holds; nothing else is sent)."""
    return render_template("citizen/my_reports.html")


@bp.get("/sw.js")
def service_worker():
    """Served from the root so that its scope is the whole site; never kept stale by a cache."""
    response = send_file(STATIC / "sw.js", mimetype="text/javascript", max_age=0)
    response.cache_control.no_cache = True
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Makes the site installable on a phone's home screen."""
    body = {"name": "Phản Ánh", "short_name": "Phản Ánh", "lang": "vi", "start_url": "/", "scope": "/",
            "display": "standalone", "background_color": "#ffffff", "theme_color": "#0b5394",
            "description": _("Report a problem in your ward and follow it until it is resolved."),
            "icons": [{"src": url_for("static", filename=f"icons/icon-{n}.png"), "sizes": f"{n}x{n}",
                       "type": "image/png", "purpose": "any"} for n in (192, 512)]}
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


def _act(tracking_code: str, action, success: str):
    report = get_by_tracking_code(tracking_code)
    try:
        action(report)
        db.session.commit()
        flash(success, "success")
    except ReportError as exc:
        db.session.rollback()
        flash(message_of(exc), "error")
    return redirect(url_for("citizen.track_page", tracking_code=report.tracking_code))


@bp.post("/r/<tracking_code>/rate")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def rate_page(tracking_code):
    form = request.form
    return _act(tracking_code, lambda r: rate(r, form.get("rating"), form.get("comment"), form.get("reporter_secret")),
                _("Thank you for your rating."))


@bp.post("/r/<tracking_code>/reopen")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def reopen_page(tracking_code):
    form = request.form
    return _act(tracking_code, lambda r: reopen(r, form.get("reason"), form.get("reporter_secret")),
                _("The report has been reopened; the ward will look at it again."))


@bp.post("/r/<tracking_code>/privacy")
@authorised_by_reporter_secret
@limiter.limit(resident_action_limit, methods=["POST"])
def privacy_request_page(tracking_code):
    """The reporter's request about their data from the tracking page (``reports.privacy.requests``): a
    copy comes back at once as a JSON file; the others are recorded with their due date."""
    form, report = request.form, get_by_tracking_code(tracking_code)
    try:
        made, copy = request_with_key(report, form.get("reporter_secret"), form.get("kind") or "", privacy_deadlines(),
                                      form.get("detail"))
        db.session.commit()
    except ReportError as exc:
        db.session.rollback()
        flash(message_of(exc), "error")
        return redirect(url_for("citizen.track_page", tracking_code=report.tracking_code))
    if copy is not None:
        return Response(json.dumps(copy, ensure_ascii=False, indent=2), mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{report.tracking_code}.json"',
                                 "Cache-Control": "no-store"})
    flash(_("Your request is recorded; the answer is due by %(when)s.",
            when=when(made.due_at.isoformat())), "success")
    return redirect(url_for("citizen.track_page", tracking_code=report.tracking_code))


@bp.get("/map")
def map_page():
    return render_template("citizen/map.html", categories=active_categories(), fields=FIELDS)


@bp.get("/photos/<key>")
def photo(key):
    """A photo follows its report's visibility. While the report is shown, anyone gets the photo's
    public copy, its faces blurred (``reports.photos.public_copy``; cached 5 minutes, so a hidden
    report's photos leave caches soon) once the worker has made it. The original goes only to staff
    who may see one of its reports (``?original=1``, or while no public copy exists), never to a
    cache, and each time it does the report's trail records who saw it."""
    storage, found = photo_storage(), PHOTO_URL_KEY.match(key)
    if found is None:
        abort(404)
    sha, thumbnail = found.group(1), bool(found.group(2))
    if request.args.get("original") != "1" and photo_is_public(sha):
        public = storage.path(public_keys(sha)[1 if thumbnail else 0])
        if public is not None:
            return send_file(public, mimetype="image/jpeg", max_age=PUBLIC_PHOTO_MAX_AGE)
    seen_by = [r for r in reports_with_photo(sha) if current_user.is_authenticated and can_see(current_user, r)]
    original = storage.path(key)
    path = original or storage.path(public_keys(sha)[1 if thumbnail else 0])  # (an original erased on request)
    if not seen_by or path is None:
        abort(404)
    if original is not None:
        record_event(seen_by[0], "original_photo_viewed", current_user.label, public=False, role=current_user.role,
                     photo=sha[:12], thumbnail=thumbnail)
        db.session.commit()
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.cache_control.public, response.cache_control.private = False, True
    response.cache_control.no_store = True
    return response


@bp.route("/privacy", methods=["GET", "POST"])
@limiter.limit(alert_limit, methods=["POST"])
def privacy_page():
    """The privacy notice (Law 91/2025/QH15, Decree 356/2025): what is collected, why, how long, who
    sees it, the person's rights and how to use them; linked from every form that collects personal
    data. Its periods are the retention settings themselves. Its form takes a request by email (a
    report's own page takes one with the report's key); the answer never says whether the address
    is known."""
    if request.method == "POST":
        form, number = request.form, current_app.config["SMS_INBOUND_NUMBER"]
        try:
            if form.get("phone") and not form.get("email") and number:
                made = request_by_phone(form["phone"], form.get("kind") or "", privacy_deadlines())
                db.session.commit()
                flash(_("To confirm, send %(code)s by SMS from that phone to %(number)s.", code=made.proof_code,
                        number=number), "success")
            else:
                request_by_email(form.get("email") or "", form.get("kind") or "", privacy_deadlines())
                db.session.commit()
                flash(_("If this address holds data here, an email with a confirmation link is on its way."), "success")
        except ReportError as exc:
            db.session.rollback()
            flash(message_of(exc), "error")
        return redirect(url_for("citizen.privacy_page") + "#rights")
    config = current_app.config
    return render_template("citizen/privacy.html", periods=periods_from(config), version=NOTICE_VERSION,
                           controller=config["PRIVACY_CONTROLLER"], contact=config["PRIVACY_CONTACT"])


@bp.route("/privacy-requests/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token in the emailed link is the authority
def confirm_privacy_page(token):
    """The link a person opens to confirm a request about their data: ``GET`` shows it with a button
    (mail scanners open links too), ``POST`` confirms it."""
    request_id = confirmed_id(token, "privacy")
    privacy_request = db.session.get(PrivacyRequest, request_id) if request_id else None
    if privacy_request is None:
        return render_template("citizen/privacy_confirm.html", state="invalid"), 404
    if request.method == "POST":
        verify(privacy_request)
        db.session.commit()
        return render_template("citizen/privacy_confirm.html", state="confirmed", request=privacy_request)
    return render_template("citizen/privacy_confirm.html", state="ask", request=privacy_request, token=token)


@bp.get("/service-points")
def service_points_page():
    return render_template("citizen/service_points.html")


# The subscription views and the public ward figures register themselves on bp.
from webapp.citizen import subscriptions, wards  # noqa: E402,F401,I001
