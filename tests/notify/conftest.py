"""A real SMTP server (aiosmtpd) on a free local port; the app sends to it during a test."""
from contextlib import nullcontext

import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context

from tests.helpers import free_port
from tests.mailbox import Inbox
from webapp.worker import work_due


@pytest.fixture(autouse=True)
def no_jobs_left_by_other_tests(app):
    """Jobs left pending by tests that commit for real (browser flows submit dozens of reports) are done
    first, without SMTP (logged), so that a test's own jobs are the only ones it sees — its mailbox,
    push service or SMS gateway gets its own messages only."""
    with nullcontext() if has_app_context() else app.app_context():  # (a new context would end the test's session)
        while work_due():
            pass


@pytest.fixture
def inbox(app):
    """The test's own mailbox."""
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield box
    app.config["SMTP_URL"] = previous
    controller.stop()
