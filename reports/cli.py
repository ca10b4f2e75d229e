"""``flask reports ...``: category administration (the web admin arrives with accounts and roles)."""
import click
from flask.cli import AppGroup

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
