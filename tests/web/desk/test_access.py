"""Every desk endpoint, tried by the wrong people: another ward's officer (404), a leader (read
only: 403 on actions), nobody logged in (redirect to /login), and without or with a wrong CSRF token
(400). The right officer gets through."""
import pytest

from tests.helpers import login

ACTIONS = ["accept", "category", "priority", "assign", "reply", "note", "status", "transfer",
           "duplicate", "hide", "result-photo"]
FORM = {"category": "illegal_dumping", "priority": "urgent", "message": "Đã kiểm tra", "status": "in_progress",
        "ward_code": "19774", "reason": "sai phường", "original": "HUE-2222-2222"}


def detail(code):
    return f"/desk/reports/{code}"


@pytest.mark.parametrize("action", ACTIONS)
def test_officer_of_another_ward_gets_404(client, reports, action):
    token = login(client, "other@t.vn")
    code = reports["mine"].tracking_code
    assert client.get(detail(code)).status_code == 404
    assert client.post(f"{detail(code)}/{action}", data={**FORM, "csrf_token": token}).status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_leader_reads_but_cannot_act(client, reports, action):
    token = login(client, "leader@t.vn")
    code = reports["mine"].tracking_code
    assert client.get(detail(code)).status_code == 200
    assert client.post(f"{detail(code)}/{action}", data={**FORM, "csrf_token": token}).status_code == 403


@pytest.mark.parametrize("action", ACTIONS)
def test_logged_out_is_sent_to_login(client, reports, action):
    code = reports["mine"].tracking_code
    token = client.get("/api/v1/csrf-token").json["csrf_token"]  # a valid token, but no login
    for response in (client.get(detail(code)),
                     client.post(f"{detail(code)}/{action}", data={**FORM, "csrf_token": token})):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
@pytest.mark.parametrize("action", ACTIONS)
def test_missing_or_wrong_csrf_token_is_400(client, reports, action, token):
    login(client, "officer@t.vn")
    data = dict(FORM, **({"csrf_token": token} if token else {}))
    assert client.post(f"{detail(reports['mine'].tracking_code)}/{action}", data=data).status_code == 400


@pytest.mark.parametrize("url", ["/desk", "/desk/map.json", "/desk/new"])
def test_desk_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_queue_and_map_hold_only_the_officers_ward(client, reports):
    login(client, "officer@t.vn")
    page = client.get("/desk?status=received").get_data(as_text=True)
    assert reports["mine"].tracking_code in page and reports["other"].tracking_code not in page
    codes = {p[3] for p in client.get("/desk/map.json").json["points"]}
    assert reports["mine"].tracking_code in codes and reports["other"].tracking_code not in codes
    login(client, "dispatcher@t.vn")
    codes = {p[3] for p in client.get("/desk/map.json").json["points"]}
    assert {reports["mine"].tracking_code, reports["other"].tracking_code} <= codes


@pytest.mark.parametrize("email,hidden_sees,shown_sees", [
    ("officer@t.vn", False, True), ("lead@t.vn", False, True), ("dispatcher@t.vn", True, True),
    ("leader@t.vn", False, False)])
def test_reporter_identity_visibility(client, reports, email, hidden_sees, shown_sees):
    login(client, email)
    for key, expected in (("mine", hidden_sees), ("shown", shown_sees)):
        page = client.get(detail(reports[key].tracking_code)).get_data(as_text=True)
        assert ("Trần Thị Riêng Tư" in page) is expected


def test_right_officer_acts_and_the_audit_names_them(client, reports):
    token = login(client, "officer@t.vn")
    code = reports["mine"].tracking_code
    response = client.post(f"{detail(code)}/note", data={"message": "Gọi lại cho người dân", "csrf_token": token})
    assert response.status_code == 302
    (event,) = [e for e in reports["mine"].events if e.kind == "note"]
    assert (event.actor, event.actor_role, event.channel, event.public) == ("officer@t.vn", "officer", "desk", False)
    public = client.get(f"/api/v1/reports/{code}").get_data(as_text=True)
    assert "Gọi lại cho người dân" not in public  # internal notes never reach the public


def test_login_failures_and_logout(client, staff):
    page = client.get("/login").get_data(as_text=True)
    from tests.helpers import csrf_from
    bad = client.post("/login", data={"email": "officer@t.vn", "password": "nope", "csrf_token": csrf_from(page)})
    assert bad.status_code == 200 and "/desk" not in (bad.headers.get("Location") or "")
    token = login(client, "officer@t.vn")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/desk").status_code == 302


def test_login_is_rate_limited(app, client, staff):
    from tests.helpers import csrf_from
    from webapp.extensions import limiter
    default, app.config["LOGIN_RATE_LIMIT"] = app.config["LOGIN_RATE_LIMIT"], "3 per minute"
    limiter.reset()
    try:
        token = csrf_from(client.get("/login").get_data(as_text=True))
        statuses = [client.post("/login", data={"email": "officer@t.vn", "password": "guess",
                                                "csrf_token": token}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = default
        limiter.reset()


def test_password_change(client, staff):
    from reports.accounts.staff import StaffUser
    from store import db
    token = login(client, "officer@t.vn")
    wrong = client.post("/account/password", data={"csrf_token": token, "current": "nope", "new": "a new password 1",
                                                   "confirm": "a new password 1"})
    assert wrong.status_code == 200
    done = client.post("/account/password", data={"csrf_token": token, "current": "correct horse battery",
                                                  "new": "a new password 1", "confirm": "a new password 1"})
    assert done.status_code == 302
    assert db.session.query(StaffUser).filter_by(email="officer@t.vn").one().check_password("a new password 1")


def test_session_cookie_flags(client, staff):
    from tests.helpers import csrf_from
    page = client.get("/login")
    response = client.post("/login", data={"email": "officer@t.vn", "password": "correct horse battery",
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
