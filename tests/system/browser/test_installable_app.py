"""The installable app: a manifest with icons, a service worker that registers, and the report page
opening with the network cut (the offline draft takes it from there)."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_manifest_and_service_worker_and_offline_report_page(phone, live_server):
    phone.goto("/")
    manifest = phone.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["start_url"] == "/" and {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    scope = phone.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server}/"
    phone.wait_for_function("navigator.serviceWorker.controller !== null || caches.has('phananh-shell-v1')")
    phone.context.set_offline(True)
    try:
        phone.goto("/")
        expect(phone.locator("#report-form")).to_be_visible()
    finally:
        phone.context.set_offline(False)
