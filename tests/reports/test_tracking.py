"""Tracking codes: format, alphabet, normalisation of what people type."""
from reports.tracking import ALPHABET, CODE_PATTERN, new_tracking_code, normalise_tracking_code


def test_codes_are_well_formed_and_distinct():
    codes = {new_tracking_code("46") for _ in range(2000)}
    assert len(codes) == 2000
    assert all(CODE_PATTERN.match(c) and c.startswith("HUE-") for c in codes)
    assert not set("".join(codes).replace("HUE", "").replace("-", "")) - set(ALPHABET)
    assert new_tracking_code("01").startswith("HNI-") and new_tracking_code(None).startswith("VN-")


def test_normalisation():
    assert normalise_tracking_code(" hue 7k2q 9mxd ") == "HUE-7K2Q-9MXD"
    assert normalise_tracking_code("HUE-7K2Q-9MXD") == "HUE-7K2Q-9MXD"
    for bad in ("", "HUE-7K2Q", "HUE-0000-1111", "'; drop table report; --"):
        assert normalise_tracking_code(bad) is None
