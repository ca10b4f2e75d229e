"""The personal-data tests start from an empty queue: each sees only the jobs it makes
(``no_jobs_left_by_other_tests`` is in tests/conftest.py)."""
import pytest


@pytest.fixture(autouse=True)
def _empty_queue(no_jobs_left_by_other_tests):
    pass
