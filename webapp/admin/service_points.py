"""``/admin/service-points``: fix a service centre's name, address, phone, opening hours and services,
and its place — picked on the map, checked as an import checks it (inside the service area, in its
declared ward unless the move to another ward is confirmed). The coverage is recomputed after a save."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from geo.coverage import refresh_coverage
from geo.errors import GeoError
from geo.models import AdminUnit, ServicePoint
from geo.opening_hours import DAYS, hours_as_text, hours_from_text
from geo.service_points import move_and_edit
from reports.accounts.admin_log import log_admin
from store import LOCAL_TZ, db, utcnow
from webapp.admin import bp
from webapp.messages import message_of

DAY_LABELS = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
              "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday")}


class PointForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    services = StringField(_l("Services (comma-separated)"), validators=[Optional(), Length(max=1000)])
    lat = HiddenField()
    lon = HiddenField()
    accept_new_ward = BooleanField(_l("The point belongs to the ward it now lies in"))


@bp.get("/service-points")
def service_points():
    rows = db.session.execute(select(ServicePoint, AdminUnit.name).outerjoin(AdminUnit, AdminUnit.id == ServicePoint.ward_id)
                              .order_by(ServicePoint.name)).all()
    return render_template("admin/service_points.html", rows=rows)


@bp.route("/service-points/<int:point_id>", methods=["GET", "POST"])
def service_point_edit(point_id):
    point = db.session.get(ServicePoint, point_id) or abort(404)
    lon, lat = db.session.execute(select(ServicePoint.location.ST_X(), ServicePoint.location.ST_Y())
                                  .where(ServicePoint.id == point.id)).one()
    form = PointForm(obj=point)
    if request.method == "GET":
        form.services.data = ", ".join(point.services or [])
        form.lat.data, form.lon.data = f"{lat:.6f}", f"{lon:.6f}"
    hours_text = hours_as_text(point.opening_hours) if request.method == "GET" else {
        day: request.form.get(f"hours_{day}", "") for day in DAYS}
    if form.validate_on_submit():
        try:
            changes = move_and_edit(point, name=form.name.data.strip(), address=(form.address.data or "").strip(),
                                    phone=(form.phone.data or "").strip(), hours=hours_from_text(hours_text),
                                    services=[s.strip() for s in (form.services.data or "").split(",") if s.strip()],
                                    lon=form.lon.data, lat=form.lat.data, accept_new_ward=form.accept_new_ward.data)
        except (GeoError, ValueError) as exc:
            db.session.rollback()
            flash(_("Nothing was changed: %(why)s", why=message_of(exc) if isinstance(exc, GeoError) else str(exc)), "error")
        else:
            if changes:
                log_admin(current_user.email, "service_point_changed", point.name, **changes)
            db.session.commit()
            refresh_coverage(utcnow().astimezone(LOCAL_TZ).date())
            flash(_("Saved."), "success")
            current_app.logger.info("service point %s edited by an administrator", point.id)
            return redirect(url_for("admin.service_point_edit", point_id=point.id))
    return render_template("admin/service_point_edit.html", point=point, form=form, hours=hours_text,
                           days=[(d, DAY_LABELS[d]) for d in DAYS])
