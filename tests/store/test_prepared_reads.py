"""``store.autocommit_read(..., prepared=True)``: server-side prepared statements on the pooled connections give
the same rows as the plain statement, for every value, after PostgreSQL settles on a generic plan, and
after the server forgot them. (The tracking page's prepared read runs in the browser tests, whose
server commits for real.)"""
import psycopg2
import pytest
from sqlalchemy import text

import store
from geo.assign import WARD_FOR_POINT_SQL, ward_for_point
from reports.categories import _ACTIVE_BY_CODE
from reports.queries.public import PUBLIC_VIEW_SQL
from store import autocommit_read, db
from tests.helpers import PHU_XUAN, WARD_POINTS

pytestmark = pytest.mark.pooled


def test_prepared_reads_answer_as_the_plain_statement_for_every_value(app):
    with app.app_context():
        at = store.utcnow().date()
        for _ in range(8):  # past PostgreSQL's five custom plans: the generic plan answers too
            for ward, (lon, lat) in WARD_POINTS.items():
                assert ward_for_point(lon, lat).code == ward
                params = {"lon": lon, "lat": lat, "at": at}
                assert autocommit_read(WARD_FOR_POINT_SQL, params, prepared=True) == autocommit_read(WARD_FOR_POINT_SQL, params)
            for code in ("garbage", "street_light", "no_such_category"):
                assert autocommit_read(_ACTIVE_BY_CODE, {"code": code}, prepared=True) == autocommit_read(_ACTIVE_BY_CODE, {"code": code})
        assert autocommit_read(_ACTIVE_BY_CODE, {"code": "garbage"}, prepared=True)[0]["code"] == "garbage"
        assert autocommit_read(PUBLIC_VIEW_SQL, {"code": "HUE-0000-0000"}, prepared=True) == []
        names = {row["name"] for row in autocommit_read(text("SELECT name FROM pg_prepared_statements"))}
        assert any(name.startswith("phananh_read_") for name in names)  # really prepared on the server
        assert ward_for_point(*WARD_POINTS[PHU_XUAN]).code == PHU_XUAN


def test_a_percent_sign_and_repeated_parameters_survive_the_translation(app):
    statement = text("SELECT :word || '%' AS pattern, :word = :other AS same, 'a%b' LIKE 'a%' AS matches")
    with app.app_context():
        for word, other in (("rác", "rác"), ("đèn", "rác")):
            assert autocommit_read(statement, {"word": word, "other": other}, prepared=True) == \
                [{"pattern": f"{word}%", "same": word == other, "matches": True}]


def test_a_statement_the_server_forgot_is_prepared_again(app):
    with app.app_context():
        sql, _constants = store.reads._compiled(text("SELECT CAST(:n AS int) * 2 AS twice"))
        connection = db.engine.raw_connection()
        try:
            connection.driver_connection.autocommit = True
            made: set = set()
            with connection.cursor() as cursor:
                store.reads._execute_prepared(cursor, made, sql, {"n": 4}, psycopg2)
                assert cursor.fetchall() == [(8,)] and made
                cursor.execute("DISCARD ALL")  # as a pooler resetting the session would
                store.reads._execute_prepared(cursor, made, sql, {"n": 5}, psycopg2)
                assert cursor.fetchall() == [(10,)]
                store.reads._execute_prepared(cursor, set(), sql, {"n": 6}, psycopg2)  # known there, not here
                assert cursor.fetchall() == [(12,)]
        finally:
            connection.close()


def test_prepared_reads_can_be_turned_off(app, monkeypatch):
    """DATABASE_PREPARED_READS=0 (behind a pooler in transaction mode): the plain statement runs."""
    def refuse(*_args):
        raise AssertionError("prepared although turned off")
    monkeypatch.setattr(store.reads, "_execute_prepared", refuse)
    monkeypatch.setitem(store.SETTINGS, "prepared_reads", False)
    with app.app_context():
        assert autocommit_read(_ACTIVE_BY_CODE, {"code": "garbage"}, prepared=True)[0]["code"] == "garbage"
    monkeypatch.setitem(store.SETTINGS, "prepared_reads", True)
    with app.app_context(), pytest.raises(AssertionError, match="turned off"):
        autocommit_read(_ACTIVE_BY_CODE, {"code": "garbage"}, prepared=True)
