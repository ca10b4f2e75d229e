"""The daily figures kept by the worker (reports.queries.daily) give exactly the reports' own figures:
before a fold (every day marked), after it, after changes that mark days again, and after the next
fold. The reference is the same figure computed from the reports alone."""
from dataclasses import asdict
from datetime import timedelta

import pytest
from sqlalchemy import text

from analytics.maps import heat_cells, heat_cells_from_reports, hexagon_counts, hexagon_counts_from_reports
from reports.accounts.staff import create_user
from reports.models import ReportEvent
from reports.queries.daily import KeptDays, fold_all, marks_waiting
from reports.queries.dashboard import (
    CATEGORIES_SQL,
    TRENDS_SQL,
    WardFigures,
    _ward_rows,
    category_breakdown,
    ward_figures,
    weekly_trends,
)
from reports.queries.filters import ReportFilter
from store import allow_big_reads, db, utcnow
from tests.helpers import FAST_HASH, PASSWORD, login
from tests.web.dashboard.hand_made import FIELD, KIM_LONG, PHU_XUAN, add, ward_id

PERIODS = [lambda: ReportFilter.last_days(30, field_code=FIELD),  # kept medians, maps from the reports
           lambda: ReportFilter.last_days(90),                     # medians, heat cells and hexagons kept
           lambda: ReportFilter.last_days(30, status="open"),      # medians and maps from the reports
           lambda: ReportFilter.last_days(7, ward="19753")]


def from_reports(filters: ReportFilter):
    """The figures computed from the reports alone (no kept day)."""
    allow_big_reads()
    wards = {row["code"]: WardFigures(**row) for row in _ward_rows(filters)}
    trends = [dict(r) for r in db.session.execute(text(TRENDS_SQL.format(where=filters.sql())), filters.params()).mappings()]
    categories = [dict(r) for r in db.session.execute(text(CATEGORIES_SQL.format(where=filters.sql())),
                                                      filters.params()).mappings()]
    return wards, trends, categories


def assert_same_as_the_reports(filters: ReportFilter):
    assert KeptDays.of(filters, utcnow()) is not None  # the kept path is the one under test
    wards, trends, categories = from_reports(filters)
    kept = {w.code: w for w in ward_figures(filters)}
    assert kept.keys() == wards.keys()
    for code, expected in wards.items():
        got = asdict(kept[code])
        for name, value in asdict(expected).items():
            if isinstance(value, float) or isinstance(got[name], float):
                # Times are kept in whole seconds: 1/3600 h at most.
                assert got[name] == pytest.approx(value, abs=1e-3), (code, name)
            else:
                assert got[name] == value, (code, name)
    assert weekly_trends(filters) == trends
    assert category_breakdown(filters) == categories
    assert sorted(heat_cells(filters)) == sorted(heat_cells_from_reports(filters))
    assert hexagon_counts(filters, 400.0) == hexagon_counts_from_reports(filters, 400.0)


def more_reports():
    """Beside the hand-made fixture: open reports falling due earlier today and later today, one with
    no deadline, rated and unrated, in two wards over several days."""
    now = utcnow()
    due_earlier = add(PHU_XUAN, "19753", 4, "assigned")
    due_earlier.deadline_at = now - timedelta(minutes=1)
    due_later = add(KIM_LONG, "19774", 2, "in_progress")
    due_later.deadline_at = now + timedelta(hours=1)
    no_deadline = add(KIM_LONG, "19774", 6, "accepted")
    no_deadline.deadline_at = None
    add(KIM_LONG, "19774", 12, "resolved", hours_to_resolve=30, first_h=3, rating=5, category="dash_b")
    add(PHU_XUAN, "19753", 45, "rejected", first_h=8)
    db.session.flush()


def test_kept_figures_are_the_reports_figures_before_a_fold_after_it_and_after_changes(fixture_reports):
    more_reports()
    assert marks_waiting() > 0
    for period in PERIODS:  # every day marked: read from the reports through the marks
        assert_same_as_the_reports(period())
    fold_all()
    assert marks_waiting() == 0
    kept_rows = db.session.execute(text("SELECT sum(received) FROM report_day WHERE ward_id = :w"),
                                   {"w": ward_id("19753")}).scalar()
    assert kept_rows >= 15
    for period in PERIODS:
        assert_same_as_the_reports(period())

    # Changes after the fold mark their days again: resolved, moved to another ward, rated, reopened, deleted.
    reports = db.session.execute(text("SELECT id FROM report WHERE description = 'fixture' ORDER BY id")).scalars().all()
    db.session.execute(text("UPDATE report SET status = 'resolved', resolved_at = now() WHERE id = :id"), {"id": reports[12]})
    db.session.execute(text("UPDATE report SET ward_id = :w WHERE id = :id"), {"w": ward_id("19774"), "id": reports[0]})
    db.session.execute(text("UPDATE report SET rating = 1 WHERE id = :id"), {"id": reports[1]})
    db.session.add(ReportEvent(report_id=reports[2], kind="reopened", public=True))
    db.session.execute(text("DELETE FROM report WHERE id = :id"), {"id": reports[3]})
    db.session.flush()
    assert marks_waiting() > 0
    for period in PERIODS:
        assert_same_as_the_reports(period())
    fold_all()
    for period in PERIODS:
        assert_same_as_the_reports(period())


def test_kept_rows_are_read_for_unmarked_days_and_a_change_sends_its_day_back_to_the_reports(fixture_reports):
    fold_all()
    filters = ReportFilter.last_days(30, field_code=FIELD)
    before = {w.code: w for w in ward_figures(filters)}["19753"].received
    # Tamper with a kept row: an unmarked day is read from report_day, so the figure follows it.
    db.session.execute(text("UPDATE report_day SET received = received + 100 WHERE ctid = (SELECT ctid FROM report_day "
                            "WHERE ward_id = :w AND category_id IN (SELECT id FROM category WHERE field = :f) "
                            "ORDER BY day DESC LIMIT 1)"), {"w": ward_id("19753"), "f": FIELD})
    assert {w.code: w for w in ward_figures(filters)}["19753"].received == before + 100
    # Any figure column changing in that day and ward marks it: read from the reports again, right again.
    newest = db.session.execute(text("SELECT id FROM report WHERE ward_id = :w AND description = 'fixture' "
                                     "ORDER BY created_at DESC LIMIT 1"), {"w": ward_id("19753")}).scalar()
    db.session.execute(text("UPDATE report SET rating = 4 WHERE id = :id"), {"id": newest})
    assert {w.code: w for w in ward_figures(filters)}["19753"].received == before


def test_only_the_columns_the_figures_read_mark_a_day(fixture_reports):
    fold_all()
    report = add(PHU_XUAN, "19753", 3, "received")
    db.session.flush()
    assert marks_waiting() == 1
    fold_all()
    db.session.execute(text("UPDATE report SET support_count = support_count + 1, description = 'x' WHERE id = :id"),
                       {"id": report.id})
    assert marks_waiting() == 0
    db.session.execute(text("UPDATE report SET ward_id = :w WHERE id = :id"), {"w": ward_id("19774"), "id": report.id})
    marks = db.session.execute(text("SELECT ward_id FROM report_day_mark ORDER BY ward_id")).scalars().all()
    assert sorted(marks) == sorted([ward_id("19753"), ward_id("19774")])  # the day it left and the day it joined


def test_filters_the_kept_rows_cannot_answer_and_short_periods_read_the_reports():
    now = utcnow()
    assert KeptDays.of(ReportFilter.last_days(30, priority="high"), now) is None
    assert KeptDays.of(ReportFilter(days=30), now) is None
    assert KeptDays.of(ReportFilter(start=now - timedelta(days=30), end=now), now) is None  # no province: unplaced reports count
    assert KeptDays.of(ReportFilter(start=now - timedelta(hours=3), end=now), now) is None
    plan = KeptDays.of(ReportFilter.last_days(7), now)
    assert plan.kept_to <= now and plan.kept_from >= now - timedelta(days=7)
    assert (plan.kept_to - plan.kept_from) in (timedelta(days=6), timedelta(days=7))
    assert KeptDays.of(ReportFilter.last_days(7, category="garbage"), now).times_kept
    assert not KeptDays.of(ReportFilter.last_days(7, category="garbage"), now).cells_kept
    assert not KeptDays.of(ReportFilter.last_days(7, status="open"), now).times_kept


def test_the_fold_command_keeps_every_marked_day_and_says_how_far_it_is(app, fixture_reports):
    assert marks_waiting() > 0
    result = app.test_cli_runner().invoke(args=["reports", "fold-figures"])
    assert result.exit_code == 0, result.output
    assert "marks waiting" in result.output and "days × wards kept" in result.output
    assert marks_waiting() == 0


def test_healthz_says_how_many_marks_wait_for_the_worker(client, fixture_reports):
    waiting = marks_waiting()
    assert waiting > 0
    assert client.get("/healthz").json["figures"] == {"marks_waiting": waiting}
    fold_all()
    assert client.get("/healthz").json["figures"] == {"marks_waiting": 0}


def test_the_admin_home_shows_the_workers_backlog(client, fixture_reports):
    create_user("admin.kept@t.vn", "admin", PASSWORD, method=FAST_HASH)
    login(client, "admin.kept@t.vn")
    waiting = marks_waiting()
    page = client.get("/admin").get_data(as_text=True)
    assert "Công việc chạy nền" in page
    assert f"đang chờ được tính vào số liệu theo ngày của lãnh đạo: {waiting}." in page
    fold_all()
    page = client.get("/admin").get_data(as_text=True)
    assert "đang chờ được tính vào số liệu theo ngày của lãnh đạo: 0." in page
