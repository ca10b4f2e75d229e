"""Low-zoom tiles read from the kept cells (tiles.kept) are the tiles counted from the reports: before
a fold (every day marked), after it, after a change that marks a day again, with reports in no ward,
and for the public without the hidden reports (which the kept cells count); and a tile falls back to
the reports when too many days wait for the worker."""
import mapbox_vector_tile
import pytest
from sqlalchemy import text

from geo.tile_key import tile_of
from reports.queries.daily import fold_all, marks_waiting
from reports.queries.filters import ReportFilter
from reports.states import OPEN_STATUSES
from store import db
from tests.web.dashboard.hand_made import KIM_LONG, PHU_XUAN, add, make_fixture_reports
from tiles import kept, mvt

TILES = [tile_of(*PHU_XUAN, z) for z in (8, 9, 10, 11)] + [tile_of(*KIM_LONG, 10)]
FILTERS = [ReportFilter(days=365), ReportFilter(days=4), ReportFilter(days=30, ward="19753"),
           ReportFilter(days=365, public=True), ReportFilter(days=30, ward="19753", public=True)]


def features(tile: bytes) -> list:
    layers = mapbox_vector_tile.decode(tile) if tile else {}
    return sorted((str(f["geometry"]), sorted(f["properties"].items()), f.get("id"))
                  for layer in layers.values() for f in layer["features"])


def assert_kept_tiles_are_the_reports_tiles(monkeypatch, expect_kept: bool = True):
    for filters in FILTERS:
        assert (kept.kept_period(filters) is not None) == expect_kept
        clusters = 0
        for z, x, y in TILES:
            from_kept = [features(render(z, x, y, filters)) for render in (mvt.hotspot_tile, mvt.report_tile)]
            with monkeypatch.context() as patch:
                patch.setattr(mvt, "kept_tile_cells", lambda *args: None)
                from_reports = [features(render(z, x, y, filters)) for render in (mvt.hotspot_tile, mvt.report_tile)]
            assert from_kept == from_reports, (filters, z)
            clusters += len(from_kept[1])
        assert clusters, f"the tiles hold reports of {filters}"


@pytest.fixture
def city_reports(app):
    make_fixture_reports()
    add(PHU_XUAN, "19753", 2, "resolved", hours_to_resolve=3)
    add(KIM_LONG, "19774", 20, "in_progress")
    unplaced = add((PHU_XUAN[0] + 0.002, PHU_XUAN[1]), "19753", 3)
    db.session.flush()
    unplaced.ward_id = None  # a report in no ward is never kept: always read from the reports
    add(PHU_XUAN, "19753", 0)  # today: read from the reports
    add((PHU_XUAN[0] - 0.003, PHU_XUAN[1]), "19753", 2, "in_progress").hidden = True  # kept, taken off public tiles
    add((PHU_XUAN[0] + 0.004, PHU_XUAN[1]), "19753", 0).hidden = True  # today's, read from the reports
    db.session.flush()


def test_kept_tiles_before_and_after_a_fold_and_after_a_change(city_reports, monkeypatch):
    assert marks_waiting() > 0
    assert_kept_tiles_are_the_reports_tiles(monkeypatch)  # every day marked: from the reports
    fold_all()
    assert marks_waiting() == 0
    kept_cells = db.session.execute(text("SELECT count(*) FROM report_day_cell")).scalar()
    assert kept_cells > 0
    assert_kept_tiles_are_the_reports_tiles(monkeypatch)  # from the kept cells
    db.session.execute(text("UPDATE report SET status = 'resolved' WHERE status = 'received' AND ward_id IS NOT NULL"))
    assert marks_waiting() > 0
    assert_kept_tiles_are_the_reports_tiles(monkeypatch)  # the changed days from the reports


def test_the_fold_keeps_the_open_reports_of_each_cell(city_reports):
    fold_all()
    wrong = db.session.execute(text("""
        SELECT count(*) FROM report_day_cell c
         WHERE c.open <> (SELECT count(*) FROM report r
                           WHERE r.ward_id = c.ward_id AND r.tile_key >> 14 = c.cell AND r.status = ANY(:open)
                             AND (r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = c.day)"""),
                               {"open": list(OPEN_STATUSES)}).scalar()
    assert wrong == 0
    assert db.session.execute(text("SELECT sum(open) FROM report_day_cell")).scalar() > 0


def test_many_marked_days_send_the_tiles_back_to_the_reports(city_reports, monkeypatch):
    fold_all()
    monkeypatch.setattr(kept, "MAX_MARKED_PAIRS", 0)
    db.session.execute(text("UPDATE report SET rating = 1 WHERE ward_id IS NOT NULL AND status = 'resolved'"))
    assert kept.kept_period(ReportFilter(days=365)) is None
    assert_kept_tiles_are_the_reports_tiles(monkeypatch, expect_kept=False)


def test_filters_the_kept_cells_cannot_answer_read_the_reports(app):
    for filters in (ReportFilter(days=30, category="dash_a"), ReportFilter(days=30, status="open"),
                    ReportFilter(start=ReportFilter.last_days(30).start)):
        assert kept.kept_period(filters) is None
    z, x, y = tile_of(*PHU_XUAN, 14)  # cells finer than the kept zoom 17
    assert kept.kept_tile_cells(z, [(0, 1)], 128, ReportFilter(days=30)) is None
