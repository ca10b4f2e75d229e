"""``flask demo load``: the Huế demo (categories, a province's reference data — ``geo.provinces`` —,
synthetic reports, the demo's accounts).

Safe to run again: sets already present are kept, and reports are only topped up to the target.
"""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from geo.datasets import PROVINCES
from geo.provinces import Output, load_province
from geo.upstream import DEFAULT_UPSTREAM_URL
from reports.categories import seed_demo_categories
from reports.demo.accounts import create_demo_accounts
from reports.demo.seed import seed_synthetic_reports
from settings import CITY
from store import db

demo_cli = AppGroup("demo", help="Demo data.")


def command_output() -> Output:
    """Lines and progress bars on the terminal; missing ward files from the configured upstream."""
    return Output(click.echo, click.progressbar, current_app.config["BOUNDARY_UPSTREAM_URL"] or DEFAULT_UPSTREAM_URL)


@demo_cli.command("load")
@click.option("--province", "provinces", multiple=True, default=[CITY.province], show_default=True,
              type=click.Choice(sorted(PROVINCES)))
@click.option("--reports", "report_target", default=300, show_default=True,
              help="Synthetic reports per province (topped up, never duplicated).")
def load_demo_command(provinces, report_target):
    """Load the demo data of PROVINCES (default: the city's, CITY_PROVINCE; Huế unless set)."""
    data_dir = Path(current_app.config["DATA_DIR"])
    click.echo(f"categories: {seed_demo_categories()} seeded")
    db.session.commit()
    for code in provinces:
        load_province(code, data_dir, command_output())
        added = seed_synthetic_reports(code, report_target)
        db.session.commit()
        click.echo(f"synthetic reports in province {code}: {added} added (target {report_target})")
    password = current_app.config["DEMO_PASSWORD"]
    if password and CITY.province in provinces:
        count = create_demo_accounts(CITY.province, password, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        click.echo(f"demo accounts: {count} (password from DEMO_PASSWORD)")
    elif CITY.province in provinces:
        click.echo("demo accounts: skipped (DEMO_PASSWORD is not set)")
