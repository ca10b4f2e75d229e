"""The demo loader is idempotent and labels its reports synthetic."""
from sqlalchemy import func, select

from geo.models import AdminUnit, BoundarySet
from reports.demo.seed import SYNTHETIC_LABEL
from reports.models import Report
from store import db


def snapshot():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (BoundarySet, AdminUnit, Report))


def test_demo_load_twice_duplicates_nothing(runner):
    first = runner.invoke(args=["demo", "load", "--reports", "25"])
    assert first.exit_code == 0, first.output
    assert "25 added" in first.output
    after_first = snapshot()
    second = runner.invoke(args=["demo", "load", "--reports", "25"])
    assert second.exit_code == 0, second.output
    assert "0 added" in second.output and "already loaded" in second.output
    assert snapshot() == after_first
    reports = db.session.scalars(select(Report).filter(Report.is_synthetic,
                                                       Report.description.like(f"{SYNTHETIC_LABEL}%#46"))).all()
    assert len(reports) == 25
    assert all(r.description.startswith(SYNTHETIC_LABEL) for r in reports)
    assert all(r.ward is not None and r.ward.province_code == "46" for r in reports)
