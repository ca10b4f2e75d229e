"""Desk pages: ``/desk`` (queue + map), ``/desk/map.json``, ``/desk/reports/<code>``, ``/desk/new``."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_

from geo.errors import DomainError
from geo.places import find_places
from geo.wards import ward_geojson, ward_in_force
from reports.accounts.staff import StaffUser
from reports.categories import FIELDS, PRIORITIES, Category, active_categories
from reports.models import ReplyTemplate, Report
from reports.queries.filters import ReportFilter
from reports.queries.nearby import nearby_open_reports
from reports.queries.public import report_point
from reports.queries.queue import SORTS, deadline_state, lateness, queue
from reports.states import REJECTION_REASONS, STATUS_TYPES, TRANSITIONS
from reports.workflow.desk import assignable, next_step
from reports.workflow.intake import ReportInput, submit_report
from store import db, utcnow
from tiles.points import desk_points_json
from webapp.desk import bp
from webapp.errors import ApiError
from webapp.extensions import deadline_rules, photo_storage
from webapp.messages import message_of
from webapp.observability import report_created
from webapp.policy import (
    ACTING_ROLES,
    can_act,
    can_record_for_residents,
    can_see,
    can_see_identity,
    desk_access,
    report_access,
    visible_ward_ids,
)

CHANNELS = ("hotline", "fanpage", "zalo", "in_person")


def staff_names(report: Report) -> dict[str, str]:
    """The audit trail names staff by their names, not their email addresses."""
    emails = {e.actor for e in report.events if "@" in (e.actor or "")}
    emails |= {e.data.get(k) for e in report.events for k in ("before", "after") if "@" in str(e.data.get(k) or "")}
    if not emails:
        return {}
    return {u.email: u.label for u in db.session.query(StaffUser).filter(StaffUser.email.in_(emails))}


def ward_name(code: str | None) -> str | None:
    """The name of the ward a staff member works for (the heading says where, not a code)."""
    ward = ward_in_force(code) if code else None
    return ward.name if ward else code


@bp.get("")
@desk_access
def queue_page():
    now = utcnow()
    filters = ReportFilter.from_desk_args(request.args, visible_ward_ids(current_user), now)
    page = request.args.get("page", "1")
    if not (page.isdigit() and 1 <= int(page) <= 100_000):
        raise ApiError("invalid_parameter", "page must be a whole number from 1 to 100000")
    page = int(page)
    sort = request.args.get("sort") or "triage"
    if sort not in SORTS:
        raise ApiError("invalid_parameter", f"sort must be one of {', '.join(SORTS)}")
    reports, total, counts = queue(filters, page, sort)
    assignees = db.session.query(StaffUser).filter(StaffUser.active, StaffUser.role.in_(("officer", "ward_lead")))
    if current_user.ward_code:
        assignees = assignees.filter_by(ward_code=current_user.ward_code)
    center = None
    if reports:
        point = report_point(reports[0])
        center = [point.y, point.x]
    return render_template("desk/queue.html", reports=reports, total=total, counts=counts, args=request.args,
                           center=center,
                           states={r.id: deadline_state(r, now) for r in reports},
                           late={r.id: lateness(r, now) for r in reports},
                           statuses=list(STATUS_TYPES), fields=FIELDS, categories=active_categories(),
                           priorities=PRIORITIES, assignees=assignees.order_by(StaffUser.email).limit(200).all(),
                           acting_roles=ACTING_ROLES, ward_name=ward_name(current_user.ward_code))


@bp.get("/map.json")
@desk_access
def map_points():
    now = utcnow()
    filters = ReportFilter.from_desk_args(request.args, visible_ward_ids(current_user), now)
    where = and_(*filters.conditions())
    return current_app.response_class(desk_points_json(where, now), mimetype="application/json")


@bp.get("/reports/<tracking_code>")
@report_access(write=False)
def report_page(tracking_code):
    report: Report = g.report
    point = report_point(report)
    lon, lat = point.x, point.y
    nearby = [] if report.category_id is None else [
        (other, d) for other, d in nearby_open_reports(lon, lat, report.category_id, 300) if other.id != report.id]
    field = report.category.field if report.category else None
    templates = db.session.query(ReplyTemplate).filter(
        (ReplyTemplate.ward_code.is_(None)) | (ReplyTemplate.ward_code == report.ward.code),
        (ReplyTemplate.field.is_(None)) | (ReplyTemplate.field == field)).order_by(ReplyTemplate.title).all()
    field_officers, other_staff = assignable(report)
    return render_template(
        "desk/report.html", report=report, lat=lat, lon=lon, ward_geojson=ward_geojson(report.ward_id),
        nearby=nearby, can_act=can_act(current_user, report), show_identity=can_see_identity(current_user, report),
        field_officers=field_officers, other_staff=other_staff, staff_names=staff_names(report), templates=templates,
        category_names={c.code: c.name(str(get_locale())) for c in db.session.query(Category)},
        field_name=FIELDS.get(field, (field, field))[1 if str(get_locale()) == "en" else 0] if field else "",
        next_statuses=sorted(TRANSITIONS.get(report.status, set())), reasons=REJECTION_REASONS,
        categories=active_categories(), priorities=PRIORITIES, step=next_step(report),
        deadline=deadline_state(report, utcnow()))


@bp.get("/places.json")
@desk_access
def places():
    """Places found by typed words (``geo.places``): the intake page's search box."""
    return {"places": find_places(request.args.get("q", ""))}


@bp.route("/new", methods=["GET", "POST"])
@desk_access
def intake():
    """Record a report received by hotline, fanpage, Zalo or in person, on a resident's behalf."""
    if not can_record_for_residents(current_user):
        return redirect(url_for("desk.queue_page"))
    if request.method == "POST":
        form = request.form
        channel = form.get("channel") if form.get("channel") in CHANNELS else "hotline"
        photos = [f.read() for f in request.files.getlist("photos") if f and f.filename]
        data = ReportInput(category=form.get("category", ""), description=form.get("description", ""),
                           lat=form.get("lat"), lon=form.get("lon"), name=form.get("name"),
                           phone=form.get("phone"), email=form.get("email"),
                           hide_identity=bool(form.get("hide_identity")), acknowledge_duplicate=True, photos=photos,
                           channel=channel, recorded_by=current_user.email, recorded_role=current_user.role)
        try:
            report, _created = submit_report(data, photo_storage(),
                                             rules=deadline_rules())
            db.session.commit()
            report_created(channel)
        except DomainError as exc:  # invalid report, outside the service area, bad coordinates
            db.session.rollback()
            flash(message_of(exc), "error")
        else:
            flash(_("Report %(code)s recorded for %(ward)s.", code=report.tracking_code,
                    ward=report.ward.name), "success")
            if can_see(current_user, report):
                return redirect(url_for("desk.report_page", tracking_code=report.tracking_code))
            return redirect(url_for("desk.queue_page"))
    return render_template("desk/new.html", categories=active_categories(), fields=FIELDS, channels=CHANNELS,
                           form=request.form)
