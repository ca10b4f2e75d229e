"""A live server on the test database and Debian's Chromium driven by Playwright at a phone size."""
import pytest
from playwright.sync_api import sync_playwright

from webapp.config import Config

PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=Config.CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A new phone-sized page that knows where it is (the Huế Citadel)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  geolocation={"latitude": 16.4698, "longitude": 107.5786, "accuracy": 12},
                                  permissions=["geolocation"], base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shots(output_dir):
    folder = output_dir / "e2e"
    folder.mkdir(exist_ok=True)
    return lambda page, name: page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
