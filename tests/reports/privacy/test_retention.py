"""Retention (reports.privacy.retention): a run erases what has passed its period and nothing else —
for each kind a row just past it and one within it — keeps the anonymised report, writes how many of
each kind it erased to the audit trail, and the dry run counts the same."""
from datetime import timedelta

import pytest
from sqlalchemy import text

from reports.accounts.admin_log import AdminEvent
from reports.accounts.staff import create_user
from reports.privacy.retention import RULES, due, enforce, periods_from
from store import db, utcnow
from tests.helpers import FAST_HASH, PASSWORD, login, make_report

NOW = utcnow()


def _days(n: float):
    return NOW - timedelta(days=n)


@pytest.fixture
def planted(app, staff):
    periods = periods_from(app.config)
    before = due(NOW, periods)
    old, recent, still_open = (make_report(app, description=d) for d in ("cũ", "mới đóng", "còn mở"))
    for report, status, closed in ((old, "resolved", 181), (recent, "rejected", 60), (still_open, "received", None)):
        report.status, report.reporter_email = status, "nguoi.dan@example.vn"
        report.resolved_at = _days(closed) if closed else None
        report.updated_at = _days(closed or 400)
    db.session.flush()
    run = db.session.execute
    sub = ("INSERT INTO subscription (report_id, channel, token, email, confirmed_at, created_at) VALUES "
           "(:r, 'email', :t, :t || '@example.vn', :c, :at) RETURNING id")
    subs = {name: run(text(sub), {"r": r.id, "t": name, "c": c, "at": at}).scalar()
            for name, r, c, at in (("unconfirmed_old", recent, None, _days(8)), ("unconfirmed_new", recent, None, _days(6)),
                                   ("closed_old", old, _days(300), _days(300)), ("closed_recent", recent, _days(300), _days(300)))}
    alert = ("INSERT INTO area_alert (token, email, ward_code, confirmed_at, created_at) "
             "VALUES (:t, 'b@example.vn', '19753', :c, :at) RETURNING id")
    alerts = {name: run(text(alert), {"t": name, "c": c, "at": at}).scalar()
              for name, c, at in (("old", None, _days(8)), ("confirmed", _days(900), _days(900)))}
    run(text("INSERT INTO verified_phone (phone, verified_at) VALUES ('0905000001', :a), ('0905000002', :b)"),
        {"a": _days(366), "b": _days(364)})
    run(text("INSERT INTO message_quota (day, channel, key, count) VALUES (:a, 'sms', '0905000001', 1), (:b, 'sms', '0905000001', 1)"),
        {"a": (NOW - timedelta(days=3)).date(), "b": NOW.date()})
    jobs = [run(text("INSERT INTO job (kind, payload, done_at) VALUES ('email', '{}', :d) RETURNING id"), {"d": d}).scalar()
            for d in (_days(31), _days(29))]
    session = ("INSERT INTO staff_session (user_id, token_hash, user_token, last_seen_at, ended_at) "
               "VALUES (:u, :h, 'x', :seen, :ended) RETURNING id")
    sessions = [run(text(session), {"u": staff["officer"].id, "h": h, "seen": seen, "ended": ended}).scalar()
                for h, seen, ended in (("old", _days(40), _days(31)), ("live", NOW, None))]
    audit = [run(text("INSERT INTO admin_event (at, actor, action, target) VALUES (:at, 'admin@t.vn', 'route_set', '') RETURNING id"),
                 {"at": at}).scalar() for at in (_days(1826), _days(1824))]
    run(text("INSERT INTO privacy_request (kind, status, acknowledge_by, due_at, done_at) VALUES "
             "('access', 'done', :d, :d, :old), ('access', 'done', :d, :d, :new)"), {"d": NOW, "old": _days(1826), "new": _days(1824)})
    run(text("INSERT INTO breach (found_at, recorded_by, what, data_kinds, people) VALUES "
             "(:old, 'a', 'x', 'y', 1), (:new, 'a', 'x', 'y', 1)"), {"old": _days(1826), "new": _days(1824)})
    return {"periods": periods, "before": before, "reports": (old, recent, still_open), "subs": subs, "alerts": alerts,
            "jobs": jobs, "sessions": sessions, "audit": audit}


EXPECTED = {"contact": 1, "unconfirmed_subscriptions": 1, "unconfirmed_alerts": 1, "subscriptions": 1, "phones": 1,
            "quotas": 1, "jobs": 1, "sessions": 1, "audit": 1, "privacy_requests": 1, "breaches": 1}


def _exists(table: str, row_id: int) -> bool:
    return db.session.execute(text(f"SELECT count(*) FROM {table} WHERE id = :id"), {"id": row_id}).scalar() == 1


def test_a_run_erases_what_is_past_its_period_and_nothing_else(planted):
    assert {rule.code for rule in RULES} == set(EXPECTED)
    counted = due(NOW, planted["periods"])
    assert {k: counted[k] - planted["before"][k] for k in counted} == EXPECTED  # the dry run
    erased = enforce(NOW, planted["periods"])
    assert {k: erased[k] - planted["before"][k] for k in erased} == EXPECTED
    assert due(NOW, planted["periods"]) == {code: 0 for code in EXPECTED}
    old, recent, still_open = planted["reports"]
    for report in (old, recent, still_open):
        db.session.refresh(report)
    assert (old.reporter_name, old.reporter_phone, old.reporter_email) == (None, None, None)
    assert old.description == "cũ" and old.status == "resolved"  # the report stays, for the figures
    assert recent.reporter_email and still_open.reporter_email and still_open.reporter_name
    subs = planted["subs"]
    assert [name for name, i in subs.items() if _exists("subscription", i)] == ["unconfirmed_new", "closed_recent"]
    assert [name for name, i in planted["alerts"].items() if _exists("area_alert", i)] == ["confirmed"]
    assert [_exists("job", i) for i in planted["jobs"]] == [False, True]
    assert [_exists("staff_session", i) for i in planted["sessions"]] == [False, True]
    assert [_exists("admin_event", i) for i in planted["audit"]] == [False, True]
    phones = db.session.execute(text("SELECT phone FROM verified_phone WHERE phone LIKE '090500000%'")).scalars().all()
    assert phones == ["0905000002"]
    entry = db.session.query(AdminEvent).filter_by(action="retention_enforced").order_by(AdminEvent.id.desc()).first()
    assert entry.data == erased and "nguoi.dan" not in str(entry.data)


def test_the_command_and_the_page_say_what_is_due(app, client, planted):
    result = app.test_cli_runner().invoke(args=["privacy", "retention", "--dry-run"])
    assert result.exit_code == 0 and f"contact: {planted['before']['contact'] + 1} due (kept 180 days)" in result.output
    create_user("admin@t.vn", "admin", PASSWORD, method=FAST_HASH)
    db.session.commit()
    login(client, "admin@t.vn")
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert 'data-rule="contact"' in page and "Họ tên, số điện thoại, email của người phản ánh" in page
