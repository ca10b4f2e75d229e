"""``/admin/staff``: list and search accounts, invite by email, change role/ward/fields, deactivate a
leaver (sessions end at once), reactivate, reset two-factor sign-in."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional, Regexp

from geo.wards import wards_in_force
from reports.accounts.admin_log import log_admin
from reports.accounts.staff import ROLES, StaffUser, change_assignment, invite_user
from reports.accounts.two_factor import disable as disable_two_factor
from reports.notify.queue import enqueue
from store import db
from webapp.admin import bp
from webapp.messages import message_of
from webapp.names import ROLE_NAMES, field_words


class AssignmentForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    ward_code = SelectField(_l("Ward"), validators=[Optional()])
    fields = SelectMultipleField(_l("Fields (officers)"), option_widget=widgets.CheckboxInput(),
                                 widget=widgets.ListWidget(prefix_label=False))

    def fill_choices(self) -> None:
        self.role.choices = [(r, str(ROLE_NAMES[r])) for r in ROLES]
        self.ward_code.choices = [("", "—")] + [(w.code, w.name) for w in wards_in_force()]
        self.fields.choices = field_words.choices()


class InviteForm(AssignmentForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=200),
                                                Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not an email address."))])


def _account(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/staff")
def staff_list():
    q = (request.args.get("q") or "").strip()[:100]
    query = select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.email)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(StaffUser.email.ilike(like), StaffUser.display_name.ilike(like),
                                StaffUser.ward_code == q))
    wards = dict((w.code, w.name) for w in wards_in_force())
    return render_template("admin/staff_list.html", users=db.session.scalars(query.limit(500)).all(), q=q, wards=wards)


@bp.route("/staff/invite", methods=["GET", "POST"])
def staff_invite():
    form = InviteForm()
    form.fill_choices()
    if form.validate_on_submit():
        try:
            user = invite_user(form.email.data, form.role.data, form.ward_code.data or None, form.fields.data,
                               form.display_name.data or "", current_app.config["PASSWORD_HASH_METHOD"])
        except ValueError as exc:
            flash(_("The account was not created: %(why)s", why=message_of(exc)), "error")
        else:
            db.session.flush()
            enqueue("email", {"template": "staff_invite", "staff_id": user.id, "invited_by": current_user.email},
                    dedupe_key=f"staff-invite:{user.id}:{user.session_token}")
            log_admin(current_user.email, "staff_invited", user.email, role=user.role, ward_code=user.ward_code,
                      fields=user.fields)
            db.session.commit()
            flash(_("Invitation sent to %(email)s (the link is valid 7 days).", email=user.email), "success")
            return redirect(url_for("admin.staff_edit", user_id=user.id))
    return render_template("admin/staff_invite.html", form=form)


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
def staff_edit(user_id):
    user = _account(user_id)
    form = AssignmentForm(obj=user if request.method == "GET" else None)
    form.fill_choices()
    if request.method == "GET":
        form.ward_code.data = user.ward_code or ""
    if form.validate_on_submit():
        try:
            changed = change_assignment(user, form.role.data, form.ward_code.data or None, form.fields.data,
                                        form.display_name.data or "")
        except ValueError as exc:
            db.session.rollback()
            flash(_("Nothing was changed: %(why)s", why=message_of(exc)), "error")
        else:
            if changed:
                log_admin(current_user.email, "staff_changed", user.email, **changed)
            db.session.commit()
            flash(_("Saved: %(who)s is now %(role)s.", who=user.label, role=ROLE_NAMES[user.role]), "success")
            return redirect(url_for("admin.staff_edit", user_id=user.id))
    return render_template("admin/staff_edit.html", user=user, form=form)


@bp.post("/staff/<int:user_id>/<action>")
def staff_action(user_id, action):
    """deactivate (a leaver: every session ends now), reactivate, reset-2fa, resend (the invitation)."""
    user = _account(user_id)
    if action == "deactivate":
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "error")
            return redirect(url_for("admin.staff_edit", user_id=user.id))
        user.deactivate()
        message = _("%(email)s is deactivated; its sessions have ended.", email=user.email)
    elif action == "reactivate":
        user.active = True
        message = _("%(email)s can sign in again.", email=user.email)
    elif action == "reset-2fa":
        disable_two_factor(user)
        message = _("Two-factor sign-in of %(email)s is reset; it enrols again at its next sign-in.", email=user.email)
    elif action == "resend":
        user.end_sessions()  # a new fingerprint: earlier invitation links stop working
        enqueue("email", {"template": "staff_invite", "staff_id": user.id, "invited_by": current_user.email},
                dedupe_key=f"staff-invite:{user.id}:{user.session_token}")
        message = _("A new invitation is on its way to %(email)s.", email=user.email)
    else:
        abort(404)
    log_admin(current_user.email, f"staff_{action.replace('-', '_')}", user.email)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.staff_edit", user_id=user.id))
