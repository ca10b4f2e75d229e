"""``/admin/routing``: who receives a new report of a field in a ward at once (the default assignee)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired

from geo.wards import wards_in_force
from reports.accounts.admin_log import log_admin
from reports.accounts.staff import StaffUser
from reports.models import FieldRoute
from store import db
from webapp.admin import bp
from webapp.names import field_words


class RouteForm(FlaskForm):
    ward_code = SelectField(_l("Ward"), validators=[DataRequired()])
    field = SelectField(_l("Field"), validators=[DataRequired()])
    staff_id = SelectField(_l("Officer"), coerce=int, validators=[DataRequired()])


def _officers():
    return db.session.scalars(select(StaffUser).where(StaffUser.role == "officer", StaffUser.active)
                              .order_by(StaffUser.ward_code, StaffUser.email)).all()


@bp.route("/routing", methods=["GET", "POST"])
def routing():
    wards = {w.code: w.name for w in wards_in_force()}
    officers = _officers()
    form = RouteForm()
    form.ward_code.choices = list(wards.items())
    form.field.choices = field_words.choices()
    form.staff_id.choices = [(o.id, f"{o.label} — {wards.get(o.ward_code, o.ward_code)}") for o in officers]
    if form.validate_on_submit():
        officer = db.session.get(StaffUser, form.staff_id.data)
        if not officer.handles(form.ward_code.data, form.field.data):
            flash(_("This officer does not work in this ward or this field."), "error")
        else:
            route = db.session.get(FieldRoute, (form.ward_code.data, form.field.data))
            before = db.session.get(StaffUser, route.staff_id).email if route else None
            route = route or FieldRoute(ward_code=form.ward_code.data, field=form.field.data)
            route.staff_id = officer.id
            db.session.add(route)
            log_admin(current_user.email, "route_set", f"{form.ward_code.data}/{form.field.data}",
                      officer=officer.email, before=before)
            db.session.commit()
            flash(_("Saved. New reports of this field in this ward go straight to %(who)s.", who=officer.label), "success")
            return redirect(url_for("admin.routing"))
    routes = db.session.execute(select(FieldRoute, StaffUser).join(StaffUser, StaffUser.id == FieldRoute.staff_id)
                                .order_by(FieldRoute.ward_code, FieldRoute.field)).all()
    return render_template("admin/routing.html", form=form, routes=routes, wards=wards)


@bp.post("/routing/<ward_code>/<field>/delete")
def routing_delete(ward_code, field):
    route = db.session.get(FieldRoute, (ward_code, field))
    if route is not None:
        log_admin(current_user.email, "route_removed", f"{ward_code}/{field}")
        db.session.delete(route)
        db.session.commit()
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.routing"))
