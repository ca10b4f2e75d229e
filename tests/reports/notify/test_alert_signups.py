"""Alert sign-ups cannot be abused (issue 28, finding 7): the same address and area asked three times
is one alert and one email; a ward not in force is refused; opening the emailed link (as a mail scanner
does) confirms nothing, the page's button does; one address holds at most ten alerts, and so does one
browser's push endpoint."""
import re

from reports.notify.alerts import MAX_ALERTS_PER_ADDRESS
from reports.notify.models import AreaAlert
from store import db
from tests.delivery.test_push import browser_subscription
from tests.helpers import PHU_XUAN, WARD_POINTS
from worker.loop import work_due


def alert(api, **body):
    return api.post("/api/v1/alerts", json=body)


def test_the_same_request_three_times_is_one_alert_and_one_email(api, inbox):
    for _ in range(3):
        assert alert(api, email="Ba.Lan@example.vn", ward=PHU_XUAN).status_code == 202
    work_due()
    assert db.session.query(AreaAlert).filter_by(email="ba.lan@example.vn").count() == 1
    assert [m["To"] for m in inbox.messages] == ["ba.lan@example.vn"]
    # Another field or another area is another alert.
    assert alert(api, email="ba.lan@example.vn", ward=PHU_XUAN, field="traffic").status_code == 202
    assert db.session.query(AreaAlert).filter_by(email="ba.lan@example.vn").count() == 2


def test_a_ward_not_in_force_is_refused(api):
    response = alert(api, email="x@example.vn", ward="no-such-ward-<b>")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"
    assert response.json["error"]["message"] == "Vui lòng chọn phường, xã trong danh sách."
    assert db.session.query(AreaAlert).count() == 0


def test_opening_the_link_confirms_nothing_the_button_does(app, api, client, inbox):
    alert(api, email="mo.link@example.vn", ward=PHU_XUAN)
    work_due()
    text = inbox.messages[0].get_body(("plain",)).get_content()
    path = re.search(r"https?://\S+/alerts/confirm/\S+", text).group(0).removeprefix(app.config["PUBLIC_URL"])
    for _ in range(2):  # a scanner, then a link preview
        page = client.get(path)
        assert page.status_code == 200 and 'id="confirm"' in page.get_data(as_text=True)
    assert db.session.query(AreaAlert).filter_by(email="mo.link@example.vn").one().confirmed_at is None
    assert "Đã xác nhận" in client.post(path).get_data(as_text=True)
    assert db.session.query(AreaAlert).filter_by(email="mo.link@example.vn").one().confirmed_at is not None
    assert client.post(path.replace("confirm/", "confirm/x")).status_code == 404


def test_one_address_holds_at_most_ten_alerts(api):
    lon, lat = WARD_POINTS[PHU_XUAN]
    for n in range(MAX_ALERTS_PER_ADDRESS):
        assert alert(api, email="nhieu@example.vn", lon=lon + n * 0.01, lat=lat, radius_m=500).status_code == 202
    refused = alert(api, email="nhieu@example.vn", lon=lon + 0.5, lat=lat, radius_m=500)
    assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_subscriptions"
    assert db.session.query(AreaAlert).filter_by(email="nhieu@example.vn").count() == MAX_ALERTS_PER_ADDRESS


def test_one_push_endpoint_holds_at_most_ten_alerts(app, api):
    lon, lat = WARD_POINTS[PHU_XUAN]
    info, _, _ = browser_subscription("https://fcm.googleapis.com/fcm/send/one-browser")
    answers = [alert(api, push=info, lon=lon + n * 0.01, lat=lat, radius_m=500).status_code
               for n in range(MAX_ALERTS_PER_ADDRESS + 1)]
    assert answers == [202] * MAX_ALERTS_PER_ADDRESS + [429]
    assert alert(api, push=info, lon=lon, lat=lat, radius_m=500).status_code == 202  # the same again: not new
    assert db.session.query(AreaAlert).filter(AreaAlert.push.is_not(None)).count() == MAX_ALERTS_PER_ADDRESS
