import pytest

from tests.web.dashboard.hand_made import make_fixture_reports


@pytest.fixture
def fixture_reports():
    """Phú Xuân (15 reports of the last 30 days, figures known) and Kim Long (2: a small sample)."""
    make_fixture_reports()
