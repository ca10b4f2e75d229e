"""Where the reference data of each province lives in the data directory (``Config.DATA_DIR``).

The files are never part of this repository: they are read from the data directory, and the ward
polygons can be fetched from their pinned upstream when it lacks them (:mod:`geo.upstream`).
"""
import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REFORM_DATE = date(2025, 7, 1)
WARD_LICENCE = "MIT (thanglequoc/vietnamese-provinces-database, from sapnhap.bando.com.vn)"


@dataclass(frozen=True)
class ProvinceData:
    code: str
    slug: str
    file_prefix: str

    @property
    def wards_set(self) -> str:
        return f"{self.slug}-wards-2025"

    @property
    def province_set(self) -> str:
        return f"{self.slug}-province-2025"

    def wards_file(self, data_dir) -> Path:
        return Path(data_dir) / "boundaries" / f"{self.file_prefix}_wards_2025.geojson"

    def outline_file(self, data_dir) -> Path:
        return Path(data_dir) / "boundaries" / f"{self.file_prefix}_province_2025.geojson"

    def crosswalk_file(self, data_dir) -> Path:
        return Path(data_dir) / "crosswalk" / f"nso_old_to_new_wards_2025_{self.file_prefix}.csv"

    def hq_file(self, data_dir) -> Path:
        return Path(data_dir) / "service_points" / f"{self.file_prefix}_ward_hq_addresses.csv"


PROVINCES = {"46": ProvinceData("46", "hue", "46_hue"), "01": ProvinceData("01", "hanoi", "01_ha_noi")}


def read_population(path: Path) -> dict[str, int]:
    """Ward code → population from a ``*_ward_hq_addresses.csv`` file."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["ward_code"]: int(float(row["population"])) for row in csv.DictReader(handle)
                if row.get("population")}


OPEN_ADMIN_POINTS = {"46": "hue-46_ward.csv", "01": "ha-noi-01_ward.csv"}
CENTRE_SOURCE = ("open-admin-data/vietnam-administrative-divisions (locations); "
                 "lamngockhuong/vietnam-3d-map (addresses)")
# Shown as data on every page in every language: names and licence identifiers only, no English words.
CENTRE_LICENCE = "© open-admin-data CC-BY-4.0; © vietnam-3d-map MIT"


def ward_centre_rows(code: str, data_dir) -> list:
    """The province's ward service centres: the CC-BY point of each ward with its MIT address.

    Opening hours are the usual office hours of ward centres, marked as assumed: the sources
    carry none.
    """
    from geo.opening_hours import OFFICE_HOURS
    from geo.service_points import PointRow
    province = PROVINCES[code]
    points = Path(data_dir) / "service_points" / "open_admin_data" / OPEN_ADMIN_POINTS[code]
    if not points.exists():
        return []
    addresses = {}
    if province.hq_file(data_dir).exists():
        with open(province.hq_file(data_dir), newline="", encoding="utf-8") as handle:
            addresses = {r["ward_code"]: r for r in csv.DictReader(handle)}
    rows = []
    with open(points, newline="", encoding="utf-8") as handle:
        for line, r in enumerate(csv.DictReader(handle), start=2):
            ward = addresses.get(r["code.id"], {})
            ward_name = ward.get("ward_full_name") or r["name.local"]
            rows.append(PointRow(
                line=line, external_id=f"ward-centre-{r['code.id']}",
                name=f"Trung tâm phục vụ hành chính công {ward_name}", lon=r["geo.lon"], lat=r["geo.lat"],
                declared_ward_code=r["code.id"], address=ward.get("hq_address_tru_so", ""),
                opening_hours=OFFICE_HOURS, hours_assumed=True,
                services=["administrative_procedures", "civil_registration", "certification"]))
    return rows
