""""Quên mật khẩu?" and invitations: a staff member sets a password from a link sent to their address.

The answer is the same whether or not the address belongs to an account (nobody learns who works
here), and so is the work: the page only enqueues a ``password_reset`` job naming a digest of the
typed address; the worker looks the account up and, if there is one, sends the link. A link is signed, valid ``RESET_MAX_AGE_S`` (a reset) or ``INVITE_MAX_AGE_S`` (an invitation
from ``/admin``) and good once: it names a fingerprint of the account's password and session token,
both of which change when the password is set (every session then ends). The email is made by the
worker at send time (the link is never stored in the queue).
"""
import hashlib

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from reports.accounts.staff import StaffUser
from reports.notify.queue import enqueue
from store import db, utcnow
from webapp.auth import bp
from webapp.auth.routes import login_address_limit
from webapp.extensions import limiter

RESET_MAX_AGE_S = 3600
INVITE_MAX_AGE_S = 7 * 86400
# purpose → (signing salt, lifetime in seconds): a reset link never opens an invitation, nor the reverse
PURPOSES = {"reset": ("staff-password-reset", RESET_MAX_AGE_S), "invite": ("staff-invite", INVITE_MAX_AGE_S)}


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])


class ResetForm(FlaskForm):
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1000)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[EqualTo("new")])


def _signer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PURPOSES[purpose][0])


def _fingerprint(user: StaffUser) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_token}".encode()).hexdigest()[:20]


def reset_token(user: StaffUser, purpose: str = "reset") -> str:
    """The signed link's token for ``user`` as the account is now."""
    return _signer(purpose).dumps({"id": user.id, "f": _fingerprint(user)})


def user_of_token(token: str, purpose: str = "reset") -> StaffUser | None:
    try:
        data = _signer(purpose).loads(token, max_age=PURPOSES[purpose][1])
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(StaffUser, data.get("id")) if isinstance(data, dict) else None
    return user if user is not None and user.active and _fingerprint(user) == data.get("f") else None


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


def password_reset_job(job) -> None:
    """``password_reset``: the account of the typed address, if any, gets its link (at most one
    message an hour per account)."""
    user = db.session.scalar(select(StaffUser).where(
        StaffUser.active, func.encode(func.sha256(func.convert_to(StaffUser.email, "UTF8")), "hex")
        == job.payload.get("email_sha256", "")))
    if user is not None:
        enqueue("email", {"template": "staff_password_reset", "staff_id": user.id},
                dedupe_key=f"password-reset:{user.id}:{utcnow():%Y%m%d%H}")


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
