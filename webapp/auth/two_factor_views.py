"""``/login/2fa`` (the second step of sign-in) and ``/account/2fa`` (enrolment, recovery codes)."""
import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from reports.accounts import two_factor as totp
from reports.accounts.staff import user_by_session_token
from store import db
from webapp.auth import bp
from webapp.auth.routes import password_checks_limited
from webapp.auth.sessions import landing_page, start_session
from webapp.extensions import limiter
from webapp.policy import must_use_two_factor

PENDING_SECONDS = 300  # between the password and the code


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=20)])


class DisableForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])


def _pending_key() -> str:
    return "2fa:" + str((session.get("pending_2fa") or {}).get("token", request.remote_addr))


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_pending_key)
def second_factor():
    pending = session.get("pending_2fa") or {}
    user = user_by_session_token(pending.get("token", ""))
    if user is None or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop("pending_2fa", None)
        flash(_("Please sign in again."), "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.verify(user, form.code.data):
            start_session(user)  # commits (a used recovery code is gone)
            return redirect(pending.get("next") or landing_page(user))
        flash(_("This code is not valid."), "error")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/account/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    """Enrol: a secret is proposed (QR code) and kept on the account, and a correct code turns it on."""
    user = current_user._get_current_object()
    form, disable_form = CodeForm(), DisableForm()
    if user.two_factor_enabled:
        return render_template("auth/two_factor.html", enabled=True, form=disable_form,
                               required=must_use_two_factor(user))
    # The proposed secret waits on the account itself (not yet on: ``totp_enabled_at`` is empty), not in
    # the cookie session: a page's other requests (map tiles) can save the session meanwhile without it,
    # and the code typed from the app would then be checked against another secret.
    if user.totp_secret is None:
        user.totp_secret = totp.new_secret()
        db.session.commit()
    secret = user.totp_secret
    if form.validate_on_submit():
        codes = totp.enable(user, secret, form.code.data)
        if codes is not None:
            db.session.commit()
            return render_template("auth/two_factor.html", enabled=True, recovery_codes=codes,
                                   form=disable_form, required=True)
        flash(_("This code is not valid."), "error")
    uri = totp.provisioning_uri(user, secret)
    return render_template("auth/two_factor.html", enabled=False, form=form, secret=secret,
                           qr=totp.qr_data_uri(uri))


@bp.post("/account/2fa/disable")
@login_required
@password_checks_limited
def two_factor_disable():
    user = current_user._get_current_object()
    form = DisableForm()
    if must_use_two_factor(user):
        flash(_("Your role requires two-factor sign-in."), "error")
    elif form.validate_on_submit() and user.check_password(form.password.data):
        totp.disable(user)  # ends every session, this one too
        db.session.commit()
        flash(_("Two-factor sign-in is turned off. Please sign in again."), "success")
        return redirect(url_for("auth.login"))
    else:
        flash(_("The current password is wrong."), "error")
    return redirect(url_for("auth.two_factor"))
