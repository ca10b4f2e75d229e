"""Staff sessions: forged and stale cookies, revocation, idle and absolute limits, sign-in answers,
the open redirect, per-account lock-out."""
import time

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from reports.accounts.sessions import is_this, open_sessions
from reports.accounts.staff import StaffUser
from store import db
from tests.helpers import PASSWORD, csrf_from, login
from webapp.extensions import limiter


def forged_cookie(secret_key: str, payload: dict) -> str:
    """What anyone can sign who reads the code and guesses the key."""
    forger = Flask("forger")
    forger.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(payload)


@pytest.mark.parametrize("key", ["dev-only-not-secret", "secret", "changeme", "development"])
def test_a_cookie_signed_with_a_guessable_key_opens_nothing(client, staff, key):
    leader = staff["leader"]
    for user_id in (str(leader.id), leader.session_token):
        client.set_cookie("session", forged_cookie(key, {"_user_id": user_id, "_fresh": True}))
        assert client.get("/dashboard").status_code == 302  # to the sign-in page


def test_the_row_id_is_not_a_session(client, staff, app):
    """Even signed with the real key, a cookie naming the account's row id (the old form) is nobody."""
    cookie = forged_cookie(app.config["SECRET_KEY"], {"_user_id": str(staff["leader"].id), "_fresh": True,
                                                      "login_at": time.time(), "seen_at": time.time()})
    client.set_cookie("session", cookie)
    assert client.get("/dashboard").status_code == 302


def test_password_change_ends_the_other_sessions_but_not_this_one(app, staff):
    this, other = app.test_client(), app.test_client()
    token = login(this, "officer@t.vn")
    login(other, "officer@t.vn")
    response = this.post("/account/password", data={"current": PASSWORD, "new": "a brand new password",
                                                    "confirm": "a brand new password", "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/desk")
    assert this.get("/desk").status_code == 200
    assert other.get("/desk").status_code == 302


def test_deactivation_ends_the_session_at_the_next_request(client, staff):
    login(client, "officer@t.vn")
    assert client.get("/desk").status_code == 200
    staff["officer"].deactivate()
    db.session.commit()
    assert client.get("/desk").status_code == 302


def test_sign_out_everywhere(app, staff):
    first, second = app.test_client(), app.test_client()
    token = login(first, "lead@t.vn")
    login(second, "lead@t.vn")
    assert first.post("/account/sessions/end", data={"csrf_token": token}).status_code == 302
    assert first.get("/desk").status_code == 302 and second.get("/desk").status_code == 302


@pytest.mark.parametrize("field,age_s", [("seen_at", 8 * 3600 + 60), ("login_at", 7 * 86400 + 60)])
def test_idle_and_absolute_limits(client, staff, field, age_s):
    login(client, "officer@t.vn")
    with client.session_transaction() as session:
        session[field] = time.time() - age_s
    assert client.get("/desk").status_code == 302


def test_sign_in_renews_the_session(client, staff):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
    login(client, "officer@t.vn")
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"] != staff["officer"].session_token
    assert [s.device for s in open_sessions(staff["officer"])] == [""]  # one server-side session (a test client)


def test_a_cookie_copied_before_sign_out_opens_nothing_after(app, staff):
    """Finding 4 of issue 28: signing out ends the session on the server, not only in this browser."""
    browser, thief = app.test_client(), app.test_client()
    token = login(browser, "officer@t.vn")
    thief.set_cookie("session", browser.get_cookie("session").value)
    assert thief.get("/desk").status_code == 200  # a copy works while the session lasts
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert thief.get("/desk").status_code == 302  # ...and not a moment after sign-out
    assert open_sessions(staff["officer"]) == []


def test_the_account_page_lists_the_sessions_and_ends_one(app, staff):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "lead@t.vn")
    token = login(laptop, "lead@t.vn")
    page = laptop.get("/account", headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count("Kết thúc phiên này") == 2 and "(thiết bị này)" in text
    with laptop.session_transaction() as cookie:
        own = cookie["_user_id"]
    (other,) = [s for s in open_sessions(staff["lead"]) if not is_this(s, own)]
    ended = laptop.post(f"/account/sessions/{other.id}/end", data={"csrf_token": token}, follow_redirects=True)
    assert "Đã kết thúc phiên đó" in ended.get_data(as_text=True)
    assert len(open_sessions(staff["lead"])) == 1
    assert phone.get("/desk").status_code == 302 and laptop.get("/desk").status_code == 200
    # Another account's session cannot be ended from here.
    mine = open_sessions(staff["lead"])[0]
    outsider = app.test_client()
    outsider_token = login(outsider, "officer@t.vn")
    outsider.post(f"/account/sessions/{mine.id}/end", data={"csrf_token": outsider_token})
    assert len(open_sessions(staff["lead"])) == 1


def test_a_session_gets_the_device_it_was_opened_on(app, staff):
    client = app.test_client()
    page = client.get("/login")
    client.post("/login", data={"email": "leader@t.vn", "password": PASSWORD, "csrf_token": csrf_from(page.get_data(as_text=True))},
                headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit Safari/604.1"})
    assert [s.device for s in open_sessions(staff["leader"])] == ["Safari · iOS"]


def test_unknown_email_and_wrong_password_answer_alike(client, staff, app):
    """Same page, same status, and an unknown email costs a password check too (no probing by timing)."""
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    staff["officer"].set_password(PASSWORD, "scrypt")
    db.session.commit()
    answers, durations = {}, {"known": [], "unknown": []}
    for _ in range(3):
        for kind, email in (("known", "officer@t.vn"), ("unknown", "nobody@t.vn")):
            page = client.get("/login")
            started = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": "wrong password!",
                                                   "csrf_token": csrf_from(page.get_data(as_text=True))})
            durations[kind].append(time.perf_counter() - started)
            answers[kind] = (response.status_code, "Sai email hoặc mật khẩu" in response.get_data(as_text=True))
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert answers["known"] == answers["unknown"] == (200, True)
    # scrypt costs tens of milliseconds; without the dummy check an unknown email answered 10× faster.
    assert min(durations["unknown"]) > 0.5 * min(durations["known"])


@pytest.mark.parametrize("raw", ["//evil.example", "/%5Cevil.example", "/%5C/evil.example", "/%09/evil.example",
                                 "https://evil.example", "https:%2F%2Fevil.example", "javascript:alert(1)",
                                 "/%0A/evil.example", "%2F%2Fevil.example", "///evil.example"])
def test_no_open_redirect_after_sign_in(client, staff, raw):
    """``raw`` is the query string as an attacker writes it in a link: ``/login?next=<raw>``."""
    page = client.get("/login")
    response = client.post(f"/login?next={raw}",
                           data={"email": "officer@t.vn", "password": PASSWORD,
                                 "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302 and response.location == "/desk"


def test_a_same_site_next_is_followed(client, staff):
    page = client.get("/login")
    response = client.post("/login", query_string={"next": "/dashboard?days=30"},
                           data={"email": "leader@t.vn", "password": PASSWORD,
                                 "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.location == "/dashboard?days=30"


def test_a_locked_account_locks_no_other(app, client, staff):
    defaults = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per 15 minutes"
    limiter.reset()
    try:
        statuses = []
        for _ in range(4):
            page = client.get("/login")
            statuses.append(client.post("/login", data={"email": "officer@t.vn", "password": "guess",
                                                        "csrf_token": csrf_from(page.get_data(as_text=True))}).status_code)
        assert statuses == [200, 200, 200, 429]
        login(client, "lead@t.vn")  # same address, another account: not locked
    finally:
        app.config["LOGIN_RATE_LIMIT"] = defaults
        limiter.reset()


def test_deactivated_account_cannot_sign_in(client, staff):
    staff["officer"].deactivate()
    db.session.commit()
    page = client.get("/login")
    response = client.post("/login", data={"email": "officer@t.vn", "password": PASSWORD,
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 200 and db.session.get(StaffUser, staff["officer"].id).active is False


@pytest.mark.parametrize("path, field", [("/account/password", "current"), ("/account/2fa/disable", "password")])
def test_current_password_checks_are_limited_like_sign_in(app, staff, path, field):
    """Issue 28, finding 13: a signed-in session could try current passwords without limit."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per 15 minutes"
    try:
        client = app.test_client()
        token = login(client, "dispatcher@t.vn")
        statuses = [client.post(path, data={field: f"wrong guess {n}", "new": "x" * 12, "confirm": "x" * 12,
                                            "csrf_token": token}).status_code for n in range(5)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    assert statuses[:3] != [429] * 3 and statuses[3:] == [429, 429]
