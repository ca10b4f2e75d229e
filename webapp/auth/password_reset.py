""""Quên mật khẩu?" and invitations: a staff member sets a password from a link sent to their address.

The answer is the same whether or not the address belongs to an account (nobody learns who works
here), and so is the work: the page only enqueues a ``password_reset`` job naming a digest of the
typed address; the worker looks the account up and, if there is one, sends the link. The links themselves
(signed, short-lived, good once): ``delivery.account_links``.
"""
import hashlib

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from delivery.account_links import user_of_token
from reports.notify.queue import enqueue
from store import db, utcnow
from webapp.auth import bp
from webapp.auth.routes import login_address_limit
from webapp.extensions import limiter


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])


class ResetForm(FlaskForm):
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1000)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[EqualTo("new")])


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(login_address_limit, methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        digest = address_digest(form.email.data)
        enqueue("password_reset", {"email_sha256": digest}, dedupe_key=f"password-reset-ask:{digest}:{utcnow():%Y%m%d%H}")
        db.session.commit()
        flash(_("If an account has this address, a link to set a new password is on its way (valid one hour)."),
              "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def address_digest(email: str) -> str:
    """SHA-256 of a typed address as accounts keep it (trimmed, lower case): what the queue holds
    instead of the address, which may be a resident's."""
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(login_address_limit, methods=["POST"])
def reset_password(token):
    return _set_password(token, "reset")


@bp.route("/password/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(login_address_limit, methods=["POST"])
def welcome(token):
    """An invited staff member's first password (the link of the invitation email)."""
    return _set_password(token, "invite")


def _set_password(token: str, purpose: str):
    user = user_of_token(token, purpose)
    if user is None:
        return render_template("auth/forgot.html", form=ForgotForm(), expired=True), 400
    form = ResetForm()
    if form.validate_on_submit():
        user.set_password(form.new.data, current_app.config["PASSWORD_HASH_METHOD"])  # ends every session
        db.session.commit()
        current_app.logger.info("password %s by email for staff account %s", "set from an invitation"
                                if purpose == "invite" else "reset", user.id)
        flash(_("Your new password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, email=user.email, welcome=purpose == "invite")
