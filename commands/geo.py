"""``flask geo ...``: boundary generations, crosswalk, re-assignment (progress and summaries)."""
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from commands.service_points import import_service_points_command
from geo.coverage import refresh_coverage
from geo.crosswalk import import_crosswalk, read_crosswalk
from geo.errors import GeoError
from geo.loading import import_boundaries
from geo.models import BoundarySet
from geo.upstream import DEFAULT_UPSTREAM_URL, PROVINCE_DIRS, fetch_province_wards, manifest_entries
from reports.workflow.reassignment import activate_and_reassign, reassign_reports
from store import db

geo_cli = AppGroup("geo", help="Boundaries, crosswalk and ward assignment.")


def _fail(exc: Exception) -> None:
    db.session.rollback()
    raise click.ClickException(str(exc)) from None


@geo_cli.command("import-boundaries")
@click.argument("source")
@click.option("--set", "set_name", required=True, help="Name of the new boundary set.")
@click.option("--level", type=click.Choice(["province", "district", "ward"]), default="ward")
@click.option("--effective-from", type=click.DateTime(["%Y-%m-%d"]), default="2025-07-01")
@click.option("--description", default="")
@click.option("--licence", default="")
@click.option("--code-field", default=None, help="Property holding the official code.")
@click.option("--repair", is_flag=True, help="Repair invalid geometries with ST_MakeValid.")
@click.option("--activate", is_flag=True, help="Put the set in force and re-assign reports.")
@click.option("--skip-topology", is_flag=True, help="Skip the overlap and gap report.")
def import_boundaries_command(source, set_name, level, effective_from, description, licence,
                              code_field, repair, activate, skip_topology):
    """Import SOURCE (GeoJSON file, directory of per-unit files, or URL) as a new set."""
    try:
        import_boundaries(source, set_name, level, effective_from.date(), description=description,
                          licence=licence, repair=repair, check_topology=not skip_topology,
                          code_field=code_field, echo=click.echo, progress_bar=click.progressbar)
        if activate:
            activate_and_reassign(set_name, click.echo)
            db.session.commit()
    except GeoError as exc:
        _fail(exc)


@geo_cli.command("activate")
@click.argument("set_name")
def activate_command(set_name):
    """Put SET_NAME in force from its effective date and re-assign stored reports."""
    try:
        activate_and_reassign(set_name, click.echo)
        db.session.commit()
        refresh_coverage(date.today(), echo=click.echo)
    except GeoError as exc:
        _fail(exc)


@geo_cli.command("reassign")
@click.argument("set_name")
def reassign_command(set_name):
    """Re-assign stored reports to the units of SET_NAME (safe to run again)."""
    try:
        for line in reassign_reports(set_name).lines():
            click.echo(line)
        db.session.commit()
    except GeoError as exc:
        _fail(exc)


@geo_cli.command("sets")
def list_sets_command():
    """List boundary sets with their validity period."""
    for s in db.session.scalars(select(BoundarySet).order_by(BoundarySet.effective_from, BoundarySet.name)):
        until = s.effective_to or "…"
        click.echo(f"{s.name:<28} {s.level:<9} {s.unit_count:>5} units  {s.effective_from} → {until}"
                   f"  {'active' if s.active else 'inactive'}")


@geo_cli.command("import-crosswalk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_crosswalk_command(file):
    """Load the official old → new ward table (CSV)."""
    try:
        rows = read_crosswalk(file)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    count = import_crosswalk(rows)
    db.session.commit()
    kinds = {k: sum(1 for r in rows if r["merge_kind"] == k) for k in ("whole", "partial", "other")}
    click.echo(f"crosswalk: {count} rows ({kinds['whole']} whole, {kinds['partial']} partial, "
               f"{kinds['other']} other), {len({r['old_ward_code'] for r in rows})} old wards")


@geo_cli.command("fetch-boundaries")
@click.option("--province", type=click.Choice(sorted(PROVINCE_DIRS)), required=True)
@click.option("--dest", type=click.Path(file_okay=False), default=None)
def fetch_boundaries_command(province, dest):
    """Download a province's per-ward files from the pinned upstream commit."""
    dest = Path(dest or Path(current_app.config["DATA_DIR"]) / "upstream")
    total = len(manifest_entries(PROVINCE_DIRS[province]))
    try:
        with click.progressbar(length=total, label=f"fetching {total} wards") as bar:
            folder = fetch_province_wards(province, dest, current_app.config["BOUNDARY_UPSTREAM_URL"] or DEFAULT_UPSTREAM_URL,
                                          progress=bar.update)
    except GeoError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {total} files to {folder}")

geo_cli.add_command(import_service_points_command)
