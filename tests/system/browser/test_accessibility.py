"""axe-core (vendored in axe-playwright-python, run inside Debian's Chromium) on every page, at phone and
desktop width: no serious or critical violation (WCAG 2.1 A/AA rules: labels, contrast, names, landmarks)."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from reports.accounts.staff import create_user
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-axe-password"
PUBLIC = ["/", "/map", "/service-points", "/login", "/password/forgot", "/r/{code}", "/alerts", "/wards", "/wards/19753"]
STAFF = {"admin.axe@t.vn": ["/desk", "/desk/reports/{code}", "/desk/new", "/dashboard", "/dashboard/inspection",
                            "/dashboard/coverage", "/account/password", "/account/2fa", "/admin", "/admin/staff",
                            "/admin/staff/invite", "/admin/categories", "/admin/categories/garbage", "/admin/templates",
                            "/admin/routing", "/admin/service-points", "/admin/service-points/{point}", "/admin/days-off",
                            "/admin/boundaries", "/admin/boundaries/hue-wards-2025", "/admin/api-keys", "/admin/audit"],
         "lead.axe@t.vn": ["/desk", "/desk/reports/{code}"]}
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}


POINT = []  # a service point's id, read once


@pytest.fixture(scope="module")
def code(app):
    with app.app_context():
        create_user("admin.axe@t.vn", "admin", PASSWORD, method="pbkdf2:sha256:1000")
        create_user("lead.axe@t.vn", "ward_lead", PASSWORD, "19753", method="pbkdf2:sha256:1000")
        report, _ = submit_report(ReportInput(category="pothole", description="Ổ gà (kiểm tra trợ năng)",
                                              lat=16.4701, lon=107.5770, acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        from geo.models import ServicePoint
        POINT.append(db.session.query(ServicePoint.id).order_by(ServicePoint.id).first()[0])
        return report.tracking_code


def serious(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    found = Axe().run(page, options=RULES).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                       else str(n["target"][0]) for n in v["nodes"][:3])
            for v in found if v["impact"] in ("serious", "critical")]


def report(problems: dict) -> str:
    return "\n".join(f"{path}: {line}" for path, lines in problems.items() for line in lines)


def check(page, paths, code) -> dict:
    problems = {}
    for path in paths:
        page.goto(path.format(code=code, point=POINT[0]))
        found = serious(page)
        if found:
            problems[path] = found
    return problems


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_public_pages(request, code, width):
    page = request.getfixturevalue(width)
    problems = check(page, PUBLIC, code)
    assert problems == {}, report(problems)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_staff_pages(request, code, width):
    problems = {}
    for email, paths in STAFF.items():
        page = request.getfixturevalue(width)
        page.context.clear_cookies()
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/login" not in url)  # each role lands on its own page
        problems.update({f"{email} {p}": v for p, v in check(page, paths, code).items()})
    assert problems == {}, report(problems)


@pytest.mark.parametrize("path", ["/", "/map", "/wards", "/wards/19753", "/r/{code}", "/service-points", "/login"])
def test_text_doubled_in_size_loses_nothing(desktop, code, path):
    """WCAG 1.4.4: text at 200 % (the browser's text size setting) — the page reflows, nothing is cut off
    sideways (no scrolling of the whole page across) and every form control stays on screen."""
    page = desktop
    page.goto(path.format(code=code))
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # CSSOM: allowed by the strict CSP
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    hidden = page.evaluate("""() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main button, main textarea')]
        .filter(el => el.offsetParent !== null)
        .filter(el => { const r = el.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
        .map(el => el.id || el.name || el.outerHTML.slice(0, 60))""")
    assert hidden == [], (path, hidden)
