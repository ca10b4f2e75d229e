"""``flask geo import-service-points``: checked import of service points (CSV or GeoJSON); added to
the ``geo`` group by ``commands.geo``."""
from datetime import date

import click

from geo.coverage import refresh_coverage
from geo.errors import GeoError
from geo.service_point_files import Columns, read_point_file
from geo.service_points import import_service_points
from store import db


@click.command("import-service-points")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", required=True, help="ward_service_center, public_service_agent, post_office, ...")
@click.option("--source", required=True)
@click.option("--licence", required=True)
@click.option("--lat-column", default="lat")
@click.option("--lon-column", default="lon")
@click.option("--name-column", default="name")
@click.option("--id-column", default="id")
@click.option("--ward-column", default="ward_code", help="Column of the declared ward code.")
@click.option("--address-column", default="address")
@click.option("--accept-mismatch", is_flag=True, help="Import points that lie outside their ward.")
def import_service_points_command(file, kind, source, licence, lat_column, lon_column, name_column,
                                  id_column, ward_column, address_column, accept_mismatch):
    """Import the service points of FILE, checking each against its declared ward."""
    columns = Columns(lat=lat_column, lon=lon_column, name=name_column, id=id_column, ward=ward_column,
                      address=address_column)
    try:
        rows = read_point_file(file, columns)
        with click.progressbar(length=len(rows), label=f"checking {len(rows)} points") as bar:
            report = import_service_points(rows, kind, source, licence, accept_mismatch,
                                           progress=bar.update)
        db.session.commit()
        refresh_coverage(date.today(), echo=click.echo)
    except GeoError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    for line in report.lines(len(rows), accept_mismatch):
        click.echo(line)
