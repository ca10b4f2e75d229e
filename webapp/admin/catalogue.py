"""``/admin/categories`` and ``/admin/templates``: the categories residents choose from (create,
rename in both languages, default priority, order, retire — kept for the reports that have it) and the
reply templates officers start from (city-wide or one ward's, any field or one)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from geo.wards import wards_in_force
from reports.accounts.admin_log import log_admin
from reports.categories import FIELDS, PRIORITIES, Category, upsert_category
from reports.models import ReplyTemplate
from store import db
from webapp.admin import bp
from webapp.names import PRIORITY_NAMES, field_words


class CategoryForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=50), Regexp(r"^[a-z0-9_]+$")])
    field = SelectField(_l("Field"), validators=[DataRequired()])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    default_priority = SelectField(_l("Default priority"), validators=[DataRequired()])
    sort_order = IntegerField(_l("Order in the list"), default=0, validators=[NumberRange(-1000, 1000)])
    active = BooleanField(_l("Offered to residents (untick to retire it; its reports keep it)"), default=True)

    def fill_choices(self) -> None:
        self.field.choices = [(code, f"{names[0]} / {names[1]}") for code, names in FIELDS.items()]
        self.default_priority.choices = [(p, str(PRIORITY_NAMES.get(p, p))) for p in PRIORITIES]


class TemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text of the reply"), validators=[DataRequired(), Length(max=4000)])
    ward_code = SelectField(_l("Ward"), validators=[Optional()])
    field = SelectField(_l("Field"), validators=[Optional()])

    def fill_choices(self) -> None:
        self.ward_code.choices = [("", _("Every ward"))] + [(w.code, w.name) for w in wards_in_force()]
        self.field.choices = [("", _("Every field"))] + field_words.choices()


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    form = CategoryForm()
    form.fill_choices()
    if form.validate_on_submit():
        if db.session.scalar(select(Category).where(Category.code == form.code.data)) is not None:
            flash(_("A category with this code exists: edit it instead."), "error")
        else:
            _save_category(form, "category_created")
            return redirect(url_for("admin.categories"))
    every = db.session.scalars(select(Category).order_by(Category.active.desc(), Category.field, Category.sort_order,
                                                         Category.code)).all()
    return render_template("admin/categories.html", categories=every, form=form)


@bp.route("/categories/<code>", methods=["GET", "POST"])
def category_edit(code):
    category = db.session.scalar(select(Category).where(Category.code == code))
    if category is None:
        abort(404)
    form = CategoryForm(obj=category)
    form.fill_choices()
    form.code.data = category.code  # the code stays: reports, Open311 clients and exports use it
    if form.validate_on_submit():
        _save_category(form, "category_changed", before={k: getattr(category, k) for k in
                                                          ("field", "name_vi", "name_en", "default_priority",
                                                           "sort_order", "active")})
        return redirect(url_for("admin.categories"))
    return render_template("admin/category_edit.html", category=category, form=form)


def _save_category(form: CategoryForm, action: str, before: dict | None = None) -> None:
    after = {"field": form.field.data, "name_vi": form.name_vi.data.strip(), "name_en": form.name_en.data.strip(),
             "default_priority": form.default_priority.data, "sort_order": form.sort_order.data or 0,
             "active": bool(form.active.data)}
    upsert_category(form.code.data, after["field"], after["name_vi"], after["name_en"], after["default_priority"],
                    active=after["active"], sort_order=after["sort_order"])
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v} if before else after
    log_admin(current_user.email, action, form.code.data, **changes)
    db.session.commit()
    flash(_("Saved."), "success")


@bp.route("/templates", methods=["GET", "POST"])
def templates():
    form = TemplateForm()
    form.fill_choices()
    if form.validate_on_submit():
        template = ReplyTemplate(title=form.title.data.strip(), body=form.body.data.strip(),
                                 ward_code=form.ward_code.data or None, field=form.field.data or None)
        db.session.add(template)
        db.session.flush()
        log_admin(current_user.email, "template_created", f"template {template.id}", title=template.title,
                  ward_code=template.ward_code, field=template.field)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("admin.templates"))
    every = db.session.scalars(select(ReplyTemplate).order_by(ReplyTemplate.ward_code.nulls_first(),
                                                              ReplyTemplate.title)).all()
    wards = dict((w.code, w.name) for w in wards_in_force())
    return render_template("admin/templates.html", templates=every, form=form, wards=wards)


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
def template_edit(template_id):
    template = db.session.get(ReplyTemplate, template_id) or abort(404)
    form = TemplateForm(obj=template)
    form.fill_choices()
    if request.method == "GET":
        form.ward_code.data, form.field.data = template.ward_code or "", template.field or ""
    if form.validate_on_submit():
        template.title, template.body = form.title.data.strip(), form.body.data.strip()
        template.ward_code, template.field = form.ward_code.data or None, form.field.data or None
        log_admin(current_user.email, "template_changed", f"template {template.id}", title=template.title,
                  ward_code=template.ward_code, field=template.field)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("admin.templates"))
    return render_template("admin/template_edit.html", template=template, form=form)


@bp.post("/templates/<int:template_id>/delete")
def template_delete(template_id):
    template = db.session.get(ReplyTemplate, template_id) or abort(404)
    log_admin(current_user.email, "template_deleted", f"template {template.id}", title=template.title)
    db.session.delete(template)
    db.session.commit()
    flash(_("Deleted."), "success")
    return redirect(url_for("admin.templates"))
