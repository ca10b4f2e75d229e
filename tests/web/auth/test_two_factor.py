"""Two-factor sign-in: enrolment with a QR code, sign-in with a TOTP code or a one-time recovery
code, and the roles that must use it."""
import re
import time

import pyotp
import pytest
from sqlalchemy.orm.attributes import set_committed_value

from reports.accounts import two_factor
from reports.accounts.staff import StaffUser, create_user
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
    # The enrolment used this step's code: each code is good once, so the next step's code signs in.
    ok = client.post("/login/2fa", data={"code": next_code(secret), "csrf_token": csrf_from(page)})
    assert ok.status_code == 302 and client.get("/dashboard").status_code == 200

    for expected in (302, 200):  # the same recovery code: accepted once, then refused
        other = app.test_client()
        sign_in(other)
        page = other.get("/login/2fa").get_data(as_text=True)
        answer = other.post("/login/2fa", data={"code": codes[0], "csrf_token": csrf_from(page)})
        assert answer.status_code == expected


def next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


def second_step(app, code: str) -> int:
    """A fresh browser signs in with the password, then gives ``code``: 302 in, 200 refused."""
    client = app.test_client()
    sign_in(client)
    page = client.get("/login/2fa").get_data(as_text=True)
    return client.post("/login/2fa", data={"code": code, "csrf_token": csrf_from(page)}).status_code


def test_a_code_is_good_once(app, admin):
    """Issue 28, finding 12: one TOTP code opened two sessions within its window."""
    enrolling = app.test_client()
    sign_in(enrolling)
    secret, codes = enrol(enrolling)
    assert second_step(app, pyotp.TOTP(secret).now()) == 200  # the enrolment's own code: used already
    code = next_code(secret)
    assert second_step(app, code) == 302
    assert second_step(app, code) == 200  # the same code, a second time
    assert second_step(app, pyotp.TOTP(secret).now()) == 200  # nor an earlier step's


def test_two_sign_ins_racing_with_one_recovery_code(app, admin):
    """The second of two racing sign-ins read the account before the first used the code: its copy
    still lists the code. The conditional UPDATE, not that copy, decides: it is refused."""
    enrolling = app.test_client()
    sign_in(enrolling)
    _secret, codes = enrol(enrolling)
    user = db.session.get(StaffUser, admin.id)
    read_before = list(user.recovery_codes)
    assert two_factor.verify(user, codes[1]) is True
    set_committed_value(user, "recovery_codes", read_before)  # what the racing request holds
    assert two_factor.verify(user, codes[1]) is False
    assert len(db.session.get(StaffUser, admin.id).recovery_codes) == 9


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
