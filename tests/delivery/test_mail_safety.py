"""Mail goes to the one address it is for and leaves no address behind (issue 28, findings 14-16):
a comma cannot add a recipient; a refused recipient's job keeps the exception type and the SMTP code
only, in the table and in ``flask jobs list``; "Quên mật khẩu?" does the same work for any address."""
import statistics
import time

from reports.accounts.staff import create_user
from reports.notify.models import Job
from reports.notify.queue import enqueue
from store import db
from tests.helpers import FAST_HASH, PASSWORD, PHU_XUAN, csrf_from, make_report
from worker.loop import work_due


def test_a_comma_adds_no_recipient(app, api, inbox):
    report = make_report(app)
    response = api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                        json={"email": "postmaster,x@example.org", "reporter_secret": report.issued_secret})
    assert response.status_code == 400
    # An address stored before the stricter check (a staff account made by hand) is refused at send time.
    user = create_user("postmaster,x@example.org", "officer", PASSWORD, PHU_XUAN, ["environment"], method=FAST_HASH)
    other = create_user("mot.nguoi@t.vn", "officer", PASSWORD, PHU_XUAN, ["environment"], method=FAST_HASH)
    db.session.flush()
    for staff_id in (user.id, other.id):
        enqueue("email", {"template": "staff_password_reset", "staff_id": staff_id})
    db.session.flush()
    work_due()
    assert inbox.recipients == [["mot.nguoi@t.vn"]]  # one RCPT TO, never read back from the headers
    refused = db.session.query(Job).filter(Job.payload["staff_id"].as_integer() == user.id).one()
    assert refused.failed_at is not None and refused.last_error == "InvalidRecipient"  # not retried


def test_a_refused_recipient_leaves_no_address_in_the_job_nor_the_listing(app, runner, inbox):
    user = create_user("tu.choi@t.vn", "officer", PASSWORD, PHU_XUAN, ["environment"], method=FAST_HASH)
    db.session.flush()
    inbox.refuse.add("tu.choi@t.vn")
    enqueue("email", {"template": "staff_password_reset", "staff_id": user.id})
    db.session.flush()
    work_due()
    job = db.session.query(Job).filter(Job.payload["staff_id"].as_integer() == user.id).one()
    assert job.attempts == 1 and job.last_error == "SMTPRecipientsRefused 550"
    listing = runner.invoke(args=["jobs", "list"]).output
    assert "SMTPRecipientsRefused 550" in listing and "tu.choi" not in listing


def _ask(client, email: str) -> float:
    token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
    started = time.perf_counter()
    assert client.post("/password/forgot", data={"csrf_token": token, "email": email}).status_code == 302
    return time.perf_counter() - started


def test_forgot_password_does_the_same_work_for_any_address(app, client, staff):
    db.session.query(Job).filter_by(kind="password_reset").delete()
    _ask(client, "officer@t.vn")
    _ask(client, "nobody@t.vn")
    asked = db.session.query(Job).filter_by(kind="password_reset").order_by(Job.id).all()
    assert len(asked) == 2 and all(set(job.payload) == {"email_sha256"} for job in asked)
    assert "officer" not in str([job.payload for job in asked])
    known, unknown = [], []
    for n in range(30):  # interleaved, so that both see the same machine
        known.append(_ask(client, "officer@t.vn"))
        unknown.append(_ask(client, f"nobody{n}@t.vn"))
    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert difference < 0.15 * statistics.median(unknown) + 0.0005, (statistics.median(known), statistics.median(unknown))
