"""A boundary set activated for a later day changes nothing before that day (issue 30: the service
points' declared-ward check and the leaders' province hexagons took the newest *active* set and
ignored its dates). Every generation query goes through ``geo.generations.in_force``."""
from sqlalchemy import text

from analytics.maps import province_hexagons
from geo.service_points import DISTANCE_TO_WARD_SQL
from store import db

PHU_XUAN = (107.5786, 16.4698)  # the citadel, in Phường Phú Xuân (19753)
FAR_SQUARE = "MULTIPOLYGON(((105.80 21.00, 105.81 21.00, 105.81 21.01, 105.80 21.01, 105.80 21.00)))"  # Hà Nội


def _future_set(name: str, level: str, code: str) -> None:
    """An active set of one unit ``code`` far from Huế, in force only from next month."""
    set_id = db.session.execute(text(
        "INSERT INTO boundary_set (name, description, level, effective_from, source, licence, active, content_sha256,"
        " unit_count, imported_at) VALUES (:name, '', :level, current_date + 30, 'test', '', true, :sha, 1, now())"
        " RETURNING id"), {"name": name, "level": level, "sha": name.ljust(64, "0")[:64]}).scalar()
    unit_id = db.session.execute(text(
        "INSERT INTO admin_unit (boundary_set_id, code, name, name_ascii, level, province_code, area_km2, properties,"
        " geom) VALUES (:set_id, :code, 'Tương lai', 'Tuong lai', :level, '46', 1, '{}', ST_GeomFromText(:g, 4326))"
        " RETURNING id"), {"set_id": set_id, "code": code, "level": level, "g": FAR_SQUARE}).scalar()
    db.session.execute(text(
        "INSERT INTO admin_unit_outline (unit_id, boundary_set_id, detail, geom)"
        " VALUES (:unit, :set_id, 12, ST_Transform(ST_GeomFromText(:g, 4326), 3857))"),
        {"unit": unit_id, "set_id": set_id, "g": FAR_SQUARE})


def test_a_province_set_of_next_month_leaves_todays_hexagons(app):
    with app.app_context():
        today = province_hexagons("46", 400.0)
        _future_set("test-future-province", "province", "46")
        assert province_hexagons("46", 400.0) == today and len(today) > 1000


def test_a_ward_set_of_next_month_leaves_the_declared_ward_check(app):
    with app.app_context():
        _future_set("test-future-wards", "ward", "19753")
        distance = db.session.execute(DISTANCE_TO_WARD_SQL, {"lon": PHU_XUAN[0], "lat": PHU_XUAN[1],
                                                             "code": "19753"}).scalar()
        assert distance == 0  # inside today's Phú Xuân, not 600 km from next month's
