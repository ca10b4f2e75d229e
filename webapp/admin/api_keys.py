"""``/admin/api-keys``: Open311 clients' keys — created here (the key is shown once, only its hash is
kept), listed with their last use, revoked."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from reports.accounts.admin_log import log_admin
from reports.accounts.api_keys import ApiKey, create_api_key
from store import db, utcnow
from webapp.admin import bp


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Who uses it (an app, a partner)"), validators=[DataRequired(), Length(max=200)])


@bp.route("/api-keys", methods=["GET", "POST"])
def api_keys():
    form, shown = ApiKeyForm(), None
    if form.validate_on_submit():
        key, shown = create_api_key(form.name.data.strip())
        db.session.flush()
        log_admin(current_user.email, "api_key_created", f"api key {key.prefix}", name=key.name)
        db.session.commit()
        form = ApiKeyForm(formdata=None)
    keys = db.session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.nulls_first(), ApiKey.created_at.desc())).all()
    # the new key is in this page only (never stored, never in a redirect's URL): no-store
    response = render_template("admin/api_keys.html", keys=keys, form=form, shown=shown)
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/api-keys/<int:key_id>/revoke")
def api_key_revoke(key_id):
    key = db.session.get(ApiKey, key_id) or abort(404)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        log_admin(current_user.email, "api_key_revoked", f"api key {key.prefix}", name=key.name)
        db.session.commit()
    flash(_("Key %(prefix)s… is revoked: its requests are refused from now on.", prefix=key.prefix), "success")
    return redirect(url_for("admin.api_keys"))
