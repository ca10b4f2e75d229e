"""Two-factor sign-in: enrolment with a QR code, sign-in with a TOTP code or a one-time recovery
code, and the roles that must use it."""
import re

import pyotp
import pytest

from reports.accounts import two_factor
from reports.accounts.staff import create_user
from store import db
from tests.helpers import FAST_HASH, PASSWORD, csrf_from


@pytest.fixture
def admin(app):
    user = create_user("admin.2fa@t.vn", "admin", PASSWORD, method=FAST_HASH)
    db.session.commit()
    required, app.config["REQUIRE_2FA_ROLES"] = app.config["REQUIRE_2FA_ROLES"], ("admin",)
    yield user
    app.config["REQUIRE_2FA_ROLES"] = required


def sign_in(client, email=("admin.2fa@t.vn"), password=PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})


def enrol(client) -> tuple[str, list[str]]:
    page = client.get("/account/2fa").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, no script
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post("/account/2fa", data={"code": "000000", "csrf_token": csrf_from(page)})
    assert "Mã này không hợp lệ" in wrong.get_data(as_text=True)
    done = client.post("/account/2fa", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page)})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.get_data(as_text=True))
    return secret, codes


def test_a_required_role_must_enrol_before_anything_else(client, admin):
    assert sign_in(client).status_code == 302
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.location == "/account/2fa"
    secret, codes = enrol(client)
    assert len(codes) == 10 and admin.two_factor_enabled
    assert all(code not in str(admin.recovery_codes) for code in codes)  # kept hashed only
    assert client.get("/dashboard").status_code == 200


def test_sign_in_asks_for_the_code_then_a_recovery_code_works_once(app, admin):
    first = app.test_client()
    sign_in(first)
    secret, codes = enrol(first)
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 302 and response.location == "/login/2fa"
    assert client.get("/desk").status_code == 302  # not signed in with the password alone
    page = client.get("/login/2fa").get_data(as_text=True)
    assert client.post("/login/2fa", data={"code": "123456", "csrf_token": csrf_from(page)}).status_code == 200
    ok = client.post("/login/2fa", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page)})
    assert ok.status_code == 302 and client.get("/dashboard").status_code == 200

    for expected in (302, 200):  # the same recovery code: accepted once, then refused
        other = app.test_client()
        sign_in(other)
        page = other.get("/login/2fa").get_data(as_text=True)
        answer = other.post("/login/2fa", data={"code": codes[0], "csrf_token": csrf_from(page)})
        assert answer.status_code == expected


def test_a_role_that_does_not_require_it_is_not_asked(client, app):
    create_user("leader.no2fa@t.vn", "leader", PASSWORD, method=FAST_HASH)
    db.session.commit()
    sign_in(client, "leader.no2fa@t.vn")
    assert client.get("/dashboard").status_code == 200


def test_reset_by_the_command_ends_sessions(app, admin, runner):
    client = app.test_client()
    sign_in(client)
    enrol(client)
    assert client.get("/dashboard").status_code == 200
    result = runner.invoke(args=["users", "reset-2fa", "admin.2fa@t.vn"])
    assert result.exit_code == 0, result.output
    assert not admin.two_factor_enabled and client.get("/dashboard").status_code == 302


def test_verify_refuses_anything_when_not_enrolled(admin):
    assert two_factor.verify(admin, "123456") is False


def test_the_proposed_secret_survives_a_session_saved_by_another_request(client, admin):
    """The enrolment page's secret is kept on the account: a request of the same browser that answers
    with the session as it was before (a map tile sent alongside) does not replace it."""
    sign_in(client)
    before = client.get_cookie("session").value  # the session a concurrent request carries
    page = client.get("/account/2fa").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    client.set_cookie("session", before)  # … and saves back, after the enrolment page was sent
    again = client.get("/account/2fa").get_data(as_text=True)
    assert re.search(r'id="totp-secret">([A-Z2-7]+)<', again).group(1) == secret  # the same secret, still
    done = client.post("/account/2fa", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(again)})
    assert 'id="recovery-codes"' in done.get_data(as_text=True)
    assert admin.two_factor_enabled and admin.totp_secret == secret
