"""Hypothesis: coordinate and date parsing never fail in an unplanned way."""
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.coords import parse_lon_lat
from geo.errors import InvalidCoordinates
from reports.queries.open311 import Open311Error, parse_w3c, w3c


@given(st.floats(-180, 180), st.floats(-90, 90))
def test_valid_numbers_come_back_unchanged(lon, lat):
    assert parse_lon_lat(lon, lat) == (lon, lat)
    assert parse_lon_lat(repr(lon), repr(lat)) == (lon, lat)


@given(st.one_of(st.floats(), st.text(max_size=30), st.none(), st.booleans(), st.integers()),
       st.one_of(st.floats(), st.text(max_size=30), st.none(), st.booleans(), st.integers()))
def test_anything_else_is_a_typed_error_or_in_range(lon, lat):
    try:
        x, y = parse_lon_lat(lon, lat)
    except InvalidCoordinates:
        return
    assert -180 <= x <= 180 and -90 <= y <= 90


@given(st.floats(allow_nan=False).filter(lambda v: abs(v) > 180))
def test_out_of_range_longitude_is_refused(lon):
    with pytest.raises(InvalidCoordinates):
        parse_lon_lat(lon, 10)


@settings(max_examples=200)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(timezone.utc)))
def test_w3c_round_trip(moment):
    moment = moment.replace(microsecond=0)
    assert parse_w3c(w3c(moment), "start_date") == moment


@given(st.one_of(st.datetimes(max_value=datetime(1999, 12, 31)), st.datetimes(min_value=datetime(2100, 1, 2)))
       .map(lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)))
def test_w3c_outside_2000_2100_is_a_400(moment):
    """Far dates (9999-12-31, 0001-01-01) would overflow the 90-day window's arithmetic."""
    try:
        parse_w3c(w3c(moment), "start_date")
    except Open311Error as exc:
        assert exc.kind == "invalid"  # answered 400 by the web edge
    else:
        raise AssertionError(f"{moment} was accepted")


@given(st.text(max_size=40))
def test_w3c_parsing_of_arbitrary_text(text):
    try:
        parsed = parse_w3c(text, "start_date")
    except Open311Error as exc:
        assert exc.kind == "invalid"  # answered 400 by the web edge
    else:
        assert parsed.tzinfo is not None  # a timezone is required


@pytest.mark.parametrize("value", ["2026-11-23", "2026-11-23T08:00:00", "23/11/2026", "2026-13-40T00:00:00Z"])
def test_w3c_needs_a_full_date_time_with_zone(value):
    with pytest.raises(Open311Error):
        parse_w3c(value, "end_date")
