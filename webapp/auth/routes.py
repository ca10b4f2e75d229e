"""``/login``, ``/logout``, ``/account`` (the account's open sessions, each with "end this session"),
``/account/password``, ``/account/sessions/end`` (Flask-Login, Flask-WTF)."""
import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from reports.accounts import sessions as server_sessions
from reports.accounts.staff import check_password_of_nobody, find_active_user
from store import db
from webapp.auth import bp
from webapp.auth.sessions import (
    current_session_token,
    end_session,
    keep_session,
    landing_page,
    safe_next,
    start_session,
)
from webapp.extensions import limiter


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1000)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[EqualTo("new")])


def _account_and_address() -> str:
    """Login attempts are counted per account and address: a locked account locks no other."""
    return f"login:{(request.form.get('email') or '').strip().lower()[:200]}|{request.remote_addr}"


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def signed_in_account() -> str:
    """Checks of a signed-in account's password count per account (and address): a stolen session
    cannot try passwords faster than the sign-in page allows."""
    return f"password-check:{current_user.get_id() if current_user.is_authenticated else ''}|{request.remote_addr}"


def password_checks_limited(view):
    """The sign-in limits on a view that checks the current password (change it, turn 2FA off)."""
    view = limiter.limit(login_limit, methods=["POST"], key_func=signed_in_account)(view)
    return limiter.limit(login_address_limit, methods=["POST"])(view)


def login_address_limit() -> str:
    """Attempts per address (sign-in, password reset)."""
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_address_limit, methods=["POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=_account_and_address)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_active_user(form.email.data)
        if user is None:
            check_password_of_nobody(form.password.data, current_app.config["PASSWORD_HASH_METHOD"])
        elif user.check_password(form.password.data):
            target = safe_next(request.args.get("next"))
            if user.two_factor_enabled:
                session.clear()
                session["pending_2fa"] = {"token": user.session_token, "next": target, "at": time.time()}
                return redirect(url_for("auth.second_factor"))
            start_session(user)
            return redirect(target or landing_page(user))
        flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    """Who is signed in where: every open session of this account (device, since when, last used)."""
    sessions = server_sessions.open_sessions(current_user)
    this = current_session_token()
    return render_template("auth/account.html", sessions=[(s, server_sessions.is_this(s, this)) for s in sessions])


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_one_session(session_id):
    """End one session of this account (a lost phone, a shared computer)."""
    if server_sessions.end_session_of(current_user, session_id):
        db.session.commit()
        flash(_("That session is ended: the device it was on is signed out."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessions/end")
@login_required
def end_all_sessions():
    """Sign out everywhere: every cookie of this account, this one included, stops working."""
    current_user.end_sessions()
    db.session.commit()
    end_session()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_checks_limited
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            flash(_("The current password is wrong."), "error")
        else:
            user = current_user._get_current_object()
            user.set_password(form.new.data, current_app.config["PASSWORD_HASH_METHOD"])  # ends other sessions
            db.session.commit()
            keep_session(user)
            flash(_("Your password has been changed. Other devices are signed out."), "success")
            return redirect(url_for("desk.queue_page"))
    return render_template("auth/password.html", form=form)
