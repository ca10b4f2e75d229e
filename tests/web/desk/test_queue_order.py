"""The queue is ordered for triage (issue 29, item 8): open reports only by default, the most overdue
first, then those waiting to be acknowledged by their acknowledgement deadline; a sort control; the
finished ones behind a filter; an unknown value refused."""
import re
from datetime import datetime, timedelta, timezone

from store import db
from tests.helpers import login, make_report


def codes_in(page: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-code="([^"]+)"', page)


def test_the_default_queue_is_for_triage(app, client, staff):
    now = datetime.now(timezone.utc)
    late_2d, late_1d, fresh_later, fresh_sooner, done = (make_report(app, description=f"Thứ tự {n}") for n in range(5))
    late_2d.deadline_at, late_1d.deadline_at = now - timedelta(days=2), now - timedelta(days=1)
    fresh_later.ack_due_at, fresh_sooner.ack_due_at = now + timedelta(hours=20), now + timedelta(hours=2)
    fresh_later.deadline_at = fresh_sooner.deadline_at = now + timedelta(days=5)
    done.status = "resolved"
    db.session.commit()
    login(client, "lead@t.vn")
    ours = [r.tracking_code for r in (late_2d, late_1d, fresh_sooner, fresh_later)]
    listed = [code for code in codes_in(client.get("/desk").get_data(as_text=True)) if code in ours + [done.tracking_code]]
    assert listed == ours  # the resolved one is not there
    everything = codes_in(client.get("/desk?status=all").get_data(as_text=True))
    assert done.tracking_code in everything
    newest = [c for c in codes_in(client.get("/desk?sort=newest").get_data(as_text=True)) if c in ours]
    made = [r.tracking_code for r in (late_2d, late_1d, fresh_later, fresh_sooner)]  # in this order
    assert newest == list(reversed(made))
    assert client.get("/desk?status=no-such").status_code == 400
    assert client.get("/desk?sort=no-such").status_code == 400
