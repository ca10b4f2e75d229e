"""The notification tests start from an empty queue (the ``inbox`` fixture, a real SMTP server, is in
tests/conftest.py: the browser journeys read their mail too)."""
from contextlib import nullcontext

import pytest
from flask import has_app_context

from worker.loop import work_due


@pytest.fixture(autouse=True)
def no_jobs_left_by_other_tests(app):
    """Jobs left pending by tests that commit for real (browser flows submit dozens of reports) are done
    first, without SMTP (logged), so that a test's own jobs are the only ones it sees — its mailbox,
    push service or SMS gateway gets its own messages only."""
    with nullcontext() if has_app_context() else app.app_context():  # (a new context would end the test's session)
        while work_due():
            pass
