"""A province's reference data loaded in one step (``flask demo load``, the tests' template, the
benchmarks): boundaries, population, crosswalk, ward service centres and their coverage."""
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

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
from geo.loading import import_boundaries, no_progress_bar
from geo.models import BoundarySet
from geo.service_points import import_service_points
from geo.upstream import DEFAULT_UPSTREAM_URL, PROVINCE_DIRS, fetch_province_wards, manifest_entries
from store import db


@dataclass(frozen=True)
class Output:
    """Where the loading's lines and progress go (a command passes click's), and where missing
    ward files are fetched from."""
    echo: Callable[[str], None] = lambda line: None
    progress_bar: Callable = no_progress_bar
    upstream_url: str = DEFAULT_UPSTREAM_URL


QUIET = Output()


def _set_exists(name: str) -> bool:
    return db.session.scalar(select(BoundarySet.id).filter_by(name=name)) is not None


def _wards_source(province: ProvinceData, data_dir: Path, output: Output) -> str:
    """The merged file from the data directory, else the per-ward files fetched from upstream."""
    local = province.wards_file(data_dir)
    if local.exists():
        return str(local)
    output.echo(f"{local} is absent: fetching the wards from the pinned upstream")
    total = len(manifest_entries(PROVINCE_DIRS[province.code]))
    with output.progress_bar(length=total, label=f"fetching {total} wards") as bar:
        folder = fetch_province_wards(province.code, data_dir / "upstream", output.upstream_url, progress=bar.update)
    return str(folder)


def load_province(code: str, data_dir: Path, output: Output = QUIET) -> None:
    """Boundaries (outline + wards, activated), population, crosswalk, ward service centres and their
    coverage of one province, from ``data_dir`` (the wards fetched from the pinned upstream when the
    folder lacks them). Safe to run again: sets already present are kept."""
    province = PROVINCES[code]
    outline = province.outline_file(data_dir)
    if outline.exists() and not _set_exists(province.province_set):
        import_boundaries(str(outline), province.province_set, "province", REFORM_DATE, licence=WARD_LICENCE,
                          activate=True, check_topology=False, echo=output.echo,
                          progress_bar=output.progress_bar)
    if not _set_exists(province.wards_set):
        import_boundaries(_wards_source(province, data_dir, output), province.wards_set, "ward", REFORM_DATE,
                          description=f"Wards and communes of province {code} from 1 July 2025",
                          licence=WARD_LICENCE, activate=True, echo=output.echo, progress_bar=output.progress_bar)
    else:
        output.echo(f"boundary set {province.wards_set!r} already loaded")
    if province.hq_file(data_dir).exists():
        count = set_population(province.wards_set, read_population(province.hq_file(data_dir)))
        output.echo(f"population set for {count} wards")
    if province.crosswalk_file(data_dir).exists():
        count = import_crosswalk(read_crosswalk(province.crosswalk_file(data_dir)))
        output.echo(f"crosswalk: {count} rows")
    centres = ward_centre_rows(code, data_dir)
    if centres:
        report = import_service_points(centres, "ward_service_center", CENTRE_SOURCE, CENTRE_LICENCE)
        for line in report.lines(len(centres), accept_mismatch=False):
            output.echo(line)
    db.session.commit()
    refresh_coverage(date.today(), also=((code, 1000.0),), echo=output.echo)
