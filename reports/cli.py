"""``flask reports ...`` (categories) and ``flask users ...`` (staff accounts)."""
import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from reports.accounts import ROLES, create_user
from reports.categories import FIELDS, PRIORITIES, Category, upsert_category
from webapp.extensions import db

reports_cli = AppGroup("reports", help="Categories and reports.")


@reports_cli.command("categories")
def list_categories():
    """List categories by field."""
    for c in db.session.query(Category).order_by(Category.field, Category.sort_order):
        click.echo(f"{c.field:<15} {c.code:<22} {c.default_priority:<8} {'' if c.active else '(inactive) '}"
                   f"{c.name_vi} / {c.name_en}")


@reports_cli.command("set-category")
@click.argument("code")
@click.option("--field", type=click.Choice(sorted(FIELDS)), required=True)
@click.option("--name-vi", required=True)
@click.option("--name-en", required=True)
@click.option("--priority", type=click.Choice(PRIORITIES), default="normal")
@click.option("--inactive", is_flag=True)
@click.option("--order", type=int, default=100)
def set_category(code, field, name_vi, name_en, priority, inactive, order):
    """Create or change category CODE."""
    upsert_category(code, field, name_vi, name_en, priority, not inactive, order)
    db.session.commit()
    click.echo(f"category {code} saved")


users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--ward", "ward_code", help="Official ward code (officer, ward_lead).")
@click.option("--field", "fields", multiple=True, type=click.Choice(sorted(FIELDS)),
              help="Field an officer handles (repeat for several).")
@click.option("--name", "display_name", default="")
@click.option("--password", default=None, help="Default: a random one, printed once.")
def create_user_command(email, role, ward_code, fields, display_name, password):
    """Create (or update) the staff account EMAIL."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        create_user(email, role, password, ward_code, list(fields), display_name,
                    method=current_app.config["PASSWORD_HASH_METHOD"])
    except ValueError as exc:
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"{role} {email} saved" + (f"; password: {password}" if generated else ""))
