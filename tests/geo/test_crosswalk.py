"""Old units → new wards: the official crosswalk, split wards, and re-assignment of stored reports."""
import csv
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from geo import UnknownOldUnit, new_ward_for_old
from geo.boundaries import activate_set, get_set
from reports.models import Report, ReportEvent
from reports.workflow.reassignment import assign_unplaced_reports, reassign_reports
from store import db
from tests.conftest import DATA_DIR
from tests.geo.wards_data import ward_polygons


def crosswalk_rows(prefix):
    path = DATA_DIR / "crosswalk" / f"nso_old_to_new_wards_2025_{prefix}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_old_hue_ward_maps_whole_to_a_loaded_new_ward():
    rows = crosswalk_rows("46_hue")
    old_codes = {r["old_ward_code"] for r in rows}
    assert len(old_codes) == 133
    new_codes = set(ward_polygons("46_hue"))
    for old in old_codes:
        result = new_ward_for_old(old)
        assert result.status == "resolved" and result.method == "whole"
        assert result.ward_code in new_codes


def test_a_split_hanoi_ward_needs_a_point_or_a_decision():
    rows = [r for r in crosswalk_rows("01_ha_noi") if r["merge_kind"] == "partial"]
    by_old = {}
    for r in rows:
        by_old.setdefault(r["old_ward_code"], set()).add(r["new_ward_code"])
    old, targets = next((o, t) for o, t in sorted(by_old.items()) if len(t) >= 2)
    undecided = new_ward_for_old(old)
    assert undecided.status == "needs_decision" and undecided.ward_code is None
    assert {c["code"] for c in undecided.candidates} == targets
    chosen = sorted(targets)[1]
    point = ward_polygons("01_ha_noi")[chosen].representative_point()
    decided = new_ward_for_old(old, point=(point.x, point.y))
    assert (decided.status, decided.method, decided.ward_code) == ("resolved", "point", chosen)
    elsewhere = ward_polygons("46_hue")["19753"].representative_point()
    assert new_ward_for_old(old, point=(elsewhere.x, elsewhere.y)).status == "needs_decision"


def test_hanoi_split_wards_are_flagged():
    targets = {}
    for r in crosswalk_rows("01_ha_noi"):
        if r["merge_kind"] == "partial":
            targets.setdefault(r["old_ward_code"], set()).add(r["new_ward_code"])
    # 198 old wards split between several new wards, and one (00556) of which only a part is listed.
    assert sum(len(t) > 1 for t in targets.values()) == 198 and len(targets) == 199
    flagged = [code for code in sorted(targets) if new_ward_for_old(code).status == "needs_decision"]
    assert flagged == sorted(targets)


def test_unknown_old_code_is_a_typed_error():
    with pytest.raises(UnknownOldUnit):
        new_ward_for_old("99999")


def test_activating_the_new_wards_moves_hanoi_reports_from_old_districts(runner):
    wards = get_set("hanoi-wards-2025")
    wards.active = False  # go back to before the reform: the old districts are in force
    activate_set("hanoi-districts-2008")
    assert get_set("hanoi-districts-2008").effective_to is None
    polygons = ward_polygons("01_ha_noi")
    sample = sorted(polygons)[::12]
    created = datetime(2024, 5, 1, tzinfo=timezone.utc)
    for code in sample:
        p = polygons[code].representative_point()
        db.session.add(Report(location=f"SRID=4326;POINT({p.x} {p.y})", created_at=created,
                              updated_at=created, description=f"legacy {code}"))
    db.session.flush()
    assert assign_unplaced_reports() == len(sample)
    levels = db.session.execute(text(
        "SELECT DISTINCT u.level FROM report r JOIN admin_unit u ON u.id = r.ward_id"
        " WHERE r.description LIKE 'legacy %'")).scalars().all()
    assert levels == ["district"]

    result = runner.invoke(args=["geo", "activate", "hanoi-wards-2025"])
    assert result.exit_code == 0, result.output
    assert f"re-assigned {len(sample)} reports" in result.output
    assert get_set("hanoi-districts-2008").effective_to.isoformat() == "2025-07-01"
    reports = db.session.scalars(select(Report).filter(Report.description.like("legacy %"))).all()
    for report in reports:
        assert report.ward.code == report.description.split()[1]
        (event,) = [e for e in report.events if e.kind == "ward_reassigned"]
        assert event.data["from_set"] == "hanoi-districts-2008" and event.data["from_code"]
        assert event.data["to_code"] == report.ward.code

    again = reassign_reports("hanoi-wards-2025")
    assert again.moved == 0
    events = db.session.scalar(select(db.func.count(ReportEvent.id)).filter_by(kind="ward_reassigned"))
    assert events == len(sample)
