import pytest

from reports.accounts.staff import create_user
from store import db
from tests.helpers import FAST_HASH, PASSWORD


@pytest.fixture
def admin(staff):
    user = create_user("admin@t.vn", "admin", PASSWORD, method=FAST_HASH)
    db.session.commit()
    return user
