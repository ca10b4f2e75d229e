"""``flask demo load``: the Huế demo (categories, boundaries, crosswalk, population, ward service
centres, synthetic reports).

Safe to run again: sets already present are kept, and reports are only topped up to the target.
"""
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from geo.boundaries import set_population
from geo.coverage import refresh_coverage
from geo.crosswalk import import_crosswalk, read_crosswalk
from geo.datasets import (
    CENTRE_LICENCE,
    CENTRE_SOURCE,
    PROVINCES,
    REFORM_DATE,
    WARD_LICENCE,
    ProvinceData,
    read_population,
    ward_centre_rows,
)
from geo.loading import import_boundaries
from geo.models import BoundarySet
from geo.service_points import import_service_points
from geo.upstream import PROVINCE_DIRS, fetch_province_wards, manifest_entries
from reports.categories import seed_demo_categories
from reports.demo.accounts import create_demo_accounts
from reports.demo.seed import seed_synthetic_reports
from store import db

COMMAND_OUTPUT = {"echo": click.echo, "progress_bar": click.progressbar}  # progress and summaries

demo_cli = AppGroup("demo", help="Demo data.")


def _set_exists(name: str) -> bool:
    return db.session.scalar(select(BoundarySet.id).filter_by(name=name)) is not None


def _wards_source(province: ProvinceData, data_dir: Path) -> str:
    """The merged file from the data directory, else the per-ward files fetched from upstream."""
    local = province.wards_file(data_dir)
    if local.exists():
        return str(local)
    click.echo(f"{local} is absent: fetching the wards from the pinned upstream")
    total = len(manifest_entries(PROVINCE_DIRS[province.code]))
    with click.progressbar(length=total, label=f"fetching {total} wards") as bar:
        folder = fetch_province_wards(province.code, data_dir / "upstream",
                                      current_app.config["BOUNDARY_UPSTREAM_URL"], progress=bar.update)
    return str(folder)


def load_province(code: str, data_dir: Path) -> None:
    """Boundaries (outline + wards, activated), population and crosswalk of one province."""
    province = PROVINCES[code]
    outline = province.outline_file(data_dir)
    if outline.exists() and not _set_exists(province.province_set):
        import_boundaries(str(outline), province.province_set, "province", REFORM_DATE, licence=WARD_LICENCE,
                          activate=True, check_topology=False, **COMMAND_OUTPUT)
    if not _set_exists(province.wards_set):
        import_boundaries(_wards_source(province, data_dir), province.wards_set, "ward", REFORM_DATE,
                          description=f"Wards and communes of province {code} from 1 July 2025",
                          licence=WARD_LICENCE, activate=True, **COMMAND_OUTPUT)
    else:
        click.echo(f"boundary set {province.wards_set!r} already loaded")
    if province.hq_file(data_dir).exists():
        count = set_population(province.wards_set, read_population(province.hq_file(data_dir)))
        click.echo(f"population set for {count} wards")
    if province.crosswalk_file(data_dir).exists():
        count = import_crosswalk(read_crosswalk(province.crosswalk_file(data_dir)))
        click.echo(f"crosswalk: {count} rows")
    centres = ward_centre_rows(code, data_dir)
    if centres:
        report = import_service_points(centres, "ward_service_center", CENTRE_SOURCE, CENTRE_LICENCE)
        for line in report.lines(len(centres), accept_mismatch=False):
            click.echo(line)
    db.session.commit()
    refresh_coverage(date.today(), also=((code, 1000.0),), echo=click.echo)


@demo_cli.command("load")
@click.option("--province", "provinces", multiple=True, default=["46"], show_default=True,
              type=click.Choice(sorted(PROVINCES)))
@click.option("--reports", "report_target", default=300, show_default=True,
              help="Synthetic reports per province (topped up, never duplicated).")
def load_demo_command(provinces, report_target):
    """Load the demo data of PROVINCES (default Huế)."""
    data_dir = Path(current_app.config["DATA_DIR"])
    click.echo(f"categories: {seed_demo_categories()} seeded")
    db.session.commit()
    for code in provinces:
        load_province(code, data_dir)
        added = seed_synthetic_reports(code, report_target)
        db.session.commit()
        click.echo(f"synthetic reports in province {code}: {added} added (target {report_target})")
    password = current_app.config["DEMO_PASSWORD"]
    if password and "46" in provinces:
        count = create_demo_accounts("46", password, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        click.echo(f"demo accounts: {count} (password from DEMO_PASSWORD)")
    elif "46" in provinces:
        click.echo("demo accounts: skipped (DEMO_PASSWORD is not set)")
