""""Quên mật khẩu?": the same answer for any address; a link by email that sets a new password once,
ends every session, and expires; a deactivated account gets nothing."""
import re

from reports.accounts.staff import find_active_user
from store import db
from tests.helpers import csrf_from, login
from worker.loop import work_due


def ask(client, email):
    token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
    return client.post("/password/forgot", data={"csrf_token": token, "email": email}, follow_redirects=True)


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/password/reset/\S+", text).group(0)


def test_a_link_by_email_sets_a_new_password_once(app, client, staff, inbox):
    known, unknown = ask(client, "officer@t.vn"), ask(client, "nobody@t.vn")
    assert known.status_code == unknown.status_code == 200
    answer = "Nếu có tài khoản dùng địa chỉ này"
    assert answer in known.get_data(as_text=True) and answer in unknown.get_data(as_text=True)
    work_due()
    assert [m["To"] for m in inbox.messages] == ["officer@t.vn"]  # nothing to the unknown address
    path = link_in(inbox.messages[0]).removeprefix(app.config["PUBLIC_URL"])
    old_token = find_active_user("officer@t.vn").session_token
    form = client.get(path).get_data(as_text=True)
    csrf = csrf_from(form)
    done = client.post(path, data={"csrf_token": csrf, "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123"},
                       follow_redirects=True)
    assert "Đã đặt mật khẩu mới" in done.get_data(as_text=True)
    assert find_active_user("officer@t.vn").session_token != old_token  # every session ended
    assert client.get(path).status_code == 400  # good once
    assert login(client, "officer@t.vn", "mat-khau-moi-123")


def test_a_deactivated_account_gets_no_link(client, staff, inbox):
    staff["officer"].deactivate()
    db.session.flush()
    ask(client, "officer@t.vn")
    work_due()
    assert inbox.messages == []


def test_a_forged_or_old_link_is_refused(client, staff):
    assert client.get("/password/reset/not-a-token").status_code == 400
    assert "đã hết hạn" in client.get("/password/reset/eyJpZCI6MX0.abc.def").get_data(as_text=True)


def test_the_login_page_offers_it(client):
    assert 'id="forgot-link"' in client.get("/login").get_data(as_text=True)
