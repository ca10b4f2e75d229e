"""``/admin/days-off``: the working calendar deadlines are counted on — Vietnam's public holidays from the
``holidays`` library (shown, not editable: Tết and the Hùng Kings' day by the lunar calendar, the
government's moved days off) and the days off an administrator adds or removes here."""
from datetime import date

import holidays
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from reports.accounts.admin_log import log_admin
from reports.models import DayOff
from store import LOCAL_TZ, db, utcnow
from webapp.admin import bp
from webapp.language import in_english


class DayOffForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    name = StringField(_l("Why (shown to staff)"), validators=[DataRequired(), Length(max=200)])


@bp.route("/days-off", methods=["GET", "POST"])
def days_off():
    form = DayOffForm()
    if form.validate_on_submit():
        if db.session.get(DayOff, form.day.data) is not None:
            flash(_("This day is already off."), "error")
        else:
            db.session.add(DayOff(day=form.day.data, name=form.name.data.strip(), added_by=current_user.email))
            log_admin(current_user.email, "day_off_added", form.day.data.isoformat(), name=form.name.data.strip())
            db.session.commit()
            flash(_("Saved. Deadlines counted from now on skip this day."), "success")
            return redirect(url_for("admin.days_off"))
    this_year = utcnow().astimezone(LOCAL_TZ).year
    added = db.session.scalars(select(DayOff).where(DayOff.day >= date(this_year - 1, 1, 1)).order_by(DayOff.day)).all()
    language = "en_US" if in_english() else "vi"
    public = sorted(holidays.country_holidays("VN", years=[this_year, this_year + 1], language=language).items())
    return render_template("admin/days_off.html", form=form, added=added, public=public)


@bp.post("/days-off/<day>/delete")
def day_off_delete(day):
    try:
        row = db.session.get(DayOff, date.fromisoformat(day))
    except ValueError:
        row = None
    if row is not None:
        log_admin(current_user.email, "day_off_removed", row.day.isoformat(), name=row.name)
        db.session.delete(row)
        db.session.commit()
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.days_off"))
