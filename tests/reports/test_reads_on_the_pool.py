"""``store.autocommit_read`` outside a transaction: a pooled connection in autocommit, no ORM session opened, and the
statement's own constants bound (a Core statement such as the routing rule's ``role = 'officer'``)."""
import pytest

from reports.categories import active_category
from reports.workflow.routing import routed_officer
from store import autocommit_read, db
from tests.helpers import PHU_XUAN

pytestmark = pytest.mark.pooled


def test_the_submission_reads_run_without_a_session(app):
    with app.app_context():
        assert not db.session.registry.has()
        category = active_category("garbage")
        assert category is not None and category.code == "garbage" and category.field == "environment"
        assert active_category("no_such_category") is None
        assert routed_officer(PHU_XUAN, category.field) is None  # no rule here; the statement binds its role itself
        assert not db.session.registry.has()  # none was opened to find out


def test_a_read_inside_a_transaction_sees_its_rows(app):
    with app.app_context():
        db.session.execute(db.text("CREATE TEMPORARY TABLE read_probe (n int) ON COMMIT DROP"))
        db.session.execute(db.text("INSERT INTO read_probe VALUES (7)"))
        assert autocommit_read(db.text("SELECT n FROM read_probe")) == [{"n": 7}]  # the session's own connection
        db.session.rollback()
        db.session.remove()
