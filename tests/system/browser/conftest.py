"""A live server on the test database and Debian's Chromium driven by Playwright at a phone size.

Every page opened through these fixtures is watched for Content-Security-Policy violations (the
browser's ``securitypolicyviolation`` events, in every frame, and its console) and for uncaught
script errors (``pageerror``): a test fails on any.
"""
import pytest
from playwright.sync_api import sync_playwright

from settings import Config

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                              " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class CspWatch:
    """Collects CSP violations of one browser context (console messages and DOM events)."""

    def __init__(self, context):
        self.console: list[str] = []
        self.errors: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("page", self.watch)

    def watch(self, page):
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self.console.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text else None)

    def violations(self, context) -> list[str]:
        found = list(self.console)
        for page in context.pages:
            for frame in page.frames:
                try:
                    found += frame.evaluate("window.__cspViolations || []")
                except Exception:  # noqa: BLE001  (a frame that navigated away meanwhile)
                    pass
        return found


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=Config.CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser, live_server, viewport, mobile: bool):
    options = {"viewport": viewport, "base_url": live_server,
               "geolocation": {"latitude": 16.4698, "longitude": 107.5786, "accuracy": 12},
               "permissions": ["geolocation"]}
    if mobile:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    watch = CspWatch(context)
    return context, watch


def _watched_page(browser, live_server, viewport, mobile: bool):
    context, watch = _context(browser, live_server, viewport, mobile)
    yield context.new_page()
    violations = watch.violations(context)
    context.close()
    assert violations == [], "Content-Security-Policy violations"
    assert watch.errors == [], "uncaught script errors"


@pytest.fixture
def phone(browser, live_server):
    """A new phone-sized page that knows where it is (the Huế Citadel)."""
    yield from _watched_page(browser, live_server, PHONE, mobile=True)


@pytest.fixture
def desktop(browser, live_server):
    yield from _watched_page(browser, live_server, DESKTOP, mobile=False)


@pytest.fixture
def shots(output_dir):
    folder = output_dir / "e2e"
    folder.mkdir(exist_ok=True)
    return lambda page, name: page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
