"""Fixtures: a fresh PostGIS database for the run (cloned from a migrated and loaded template, dropped
at the end), the app bound to it, and a transaction per test that is rolled back."""
import os
import threading
from contextlib import nullcontext
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import g, has_app_context, request_started
from flask_migrate import upgrade
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.serving import make_server

from devtools.ports import free_port
from ops.database import drop_database
from reports.accounts.staff import create_user
from settings import Config
from store import db
from tests import template_database
from tests.helpers import FAST_HASH, KIM_LONG, PASSWORD, PHU_XUAN, make_report
from tests.mailbox import Inbox
from webapp import create_app
from webapp.i18n import compile_catalogs
from worker.loop import work_due

DATA_DIR = Path(Config.DATA_DIR)
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"


def _test_database_url() -> str:
    url = make_url(Config.SQLALCHEMY_DATABASE_URI)
    return url.set(database=f"phananh_test_{os.getpid()}").render_as_string(hide_password=False)


def _load_reference_data(app) -> None:
    """Huế and Hà Nội (outlines, wards, population, crosswalk) and Hà Nội's old districts."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--province", "46", "--province", "01",
                                 "--reports", "0"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=[
        "geo", "import-boundaries", str(DATA_DIR / "old_boundaries/old_districts_01_ha_noi.geojson"),
        "--set", "hanoi-districts-2008", "--level", "district", "--effective-from", "2008-08-01",
        "--code-field", "district_code", "--skip-topology"])
    assert result.exit_code == 0, result.output


def _fresh_request_globals(sender, **extra):
    """Each test holds one app context, so ``g`` outlives the test client's requests: drop what
    Flask-Login (the signed-in user) and Flask-WTF (the CSRF token) keep there per request, as a
    real server's fresh context would, or one client's user and token leak into the next request."""
    for name in ("_login_user", "csrf_token"):
        g.pop(name, None)


# Rate limits out of the way and no shared cache, for the test app and for the template's builder.
TEST_SETTINGS = {"TESTING": True, "DATA_DIR": str(DATA_DIR), "SUBMIT_RATE_LIMIT": "10000 per minute",
                 "LOGIN_RATE_LIMIT": "10000 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "10000 per minute",
                 "SUPPORT_RATE_LIMIT": "10000 per minute", "RESIDENT_ACTION_RATE_LIMIT": "10000 per minute",
                 "ALERT_RATE_LIMIT": "10000 per minute", "ANONYMOUS_READ_RATE_LIMIT": "10000 per minute",
                 "OPEN311_KEY_RATE_LIMIT": "10000 per minute", "CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}


def _build_template(url: str) -> None:
    """Migrate the database of ``url`` and load the reference data (tests.template_database)."""
    builder = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with builder.app_context():
        upgrade()
        _load_reference_data(builder)
        db.session.remove()
        db.engine.dispose()



def pytest_collection_modifyitems(session, config, items):
    """The system tests (tests/system: the browser, the stack, the faults) run last: they commit for
    real, and the figures, queues and tiles that the unit and HTTP tests count start from the loaded
    city alone."""
    system = Path(__file__).parent / "system"
    items.sort(key=lambda item: system in Path(str(item.path)).parents)

@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogs()
    url = _test_database_url()
    drop_database(url)
    template_database.clone(url, DATA_DIR, _build_template)
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url,
                      "PHOTO_DIR": str(tmp_path_factory.mktemp("photos"))})
    request_started.connect(_fresh_request_globals, app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(url)


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Each test runs inside one transaction, rolled back afterwards (commits become savepoints).

    Browser tests (marked ``e2e``) talk to a live server in another thread: they commit for real; tests
    marked ``own_database`` work on databases they create and drop; tests marked ``pooled`` read through
    the app's own pool.
    """
    if any(request.node.get_closest_marker(name) for name in ("e2e", "own_database", "pooled")):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own picks its engine and would ignore `bind`.
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


class ApiClient:
    """The test client plus the same-origin CSRF token the page sends as ``X-CSRFToken``."""

    def __init__(self, client):
        self.client = client
        self.token = client.get("/api/v1/csrf-token").json["csrf_token"]

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, headers=None, **kwargs):
        return self.client.post(url, headers={"X-CSRFToken": self.token, **(headers or {})}, **kwargs)


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture(scope="session")
def live_server(app):
    app.config.update(BASEMAP_URL="")  # no network here: the ward outlines are the basemap
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.session.remove()


@pytest.fixture
def inbox(app):
    """The test's own mailbox: a real SMTP server (aiosmtpd) on a free local port, the app's SMTP_URL."""
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield box
    app.config["SMTP_URL"] = previous
    controller.stop()


@pytest.fixture
def staff():
    users = {
        "officer": create_user("officer@t.vn", "officer", PASSWORD, PHU_XUAN, ["environment"], method=FAST_HASH),
        "officer_traffic": create_user("traffic@t.vn", "officer", PASSWORD, PHU_XUAN, ["traffic"], method=FAST_HASH),
        "lead": create_user("lead@t.vn", "ward_lead", PASSWORD, PHU_XUAN, method=FAST_HASH),
        "other_officer": create_user("other@t.vn", "officer", PASSWORD, KIM_LONG, ["environment"], method=FAST_HASH),
        "dispatcher": create_user("dispatcher@t.vn", "dispatcher", PASSWORD, method=FAST_HASH),
        "leader": create_user("leader@t.vn", "leader", PASSWORD, method=FAST_HASH),
    }
    db.session.commit()  # a savepoint in tests: a view's rollback must not undo the fixtures
    return users


@pytest.fixture
def reports(app, staff):
    return {"mine": make_report(app), "other": make_report(app, KIM_LONG),
            "shown": make_report(app, hide_identity=False, description="Đèn hỏng")}


@pytest.fixture
def no_jobs_left_by_other_tests(app):
    """Jobs left pending by tests that commit for real (browser flows submit dozens of reports) are done
    first, without SMTP (logged), so that a test's own jobs are the only ones it sees — its mailbox,
    push service or SMS gateway gets its own messages only."""
    with nullcontext() if has_app_context() else app.app_context():  # (a new context would end the test's session)
        while work_due():
            pass
