"""Every page reads in its reader's language (issue 29): no English word on a Vietnamese page and no raw
code (a status, field, category or role as the program names it) on any page — read from what a person
sees and what a screen reader says (text, alt, title, aria-label, placeholder, labels of options).

Not read: scripts and styles, ``<code>`` (technical identifiers shown as such), ``<cite>`` (the title of
a source), email addresses, and what residents and staff wrote themselves (elements marked
``data-user-text``: a description, a reply, a name)."""
import re
from html.parser import HTMLParser

import pytest

from reports.accounts.admin_log import log_admin
from reports.accounts.staff import ROLES, create_user
from reports.categories import FIELDS, Category
from reports.models import ReplyTemplate
from reports.states import STATUS_TYPES
from store import db
from tests.helpers import FAST_HASH, PASSWORD, login

PUBLIC = ["/", "/my-reports", "/map", "/service-points", "/alerts", "/wards", "/wards/19753", "/r/{code}",
          "/r/{code}/follow", "/login", "/password/forgot", "/r/HUE-2222-3333", "/privacy"]
STAFF = ["/desk", "/desk?status=all", "/desk/reports/{code}", "/desk/new", "/account", "/account/password", "/account/2fa"]
LEADER = ["/dashboard", "/dashboard/inspection", "/dashboard/coverage", "/dashboard/maps/heat",
          "/dashboard/maps/wards?metric=backlog"]
ADMIN = ["/admin", "/admin/staff", "/admin/staff/invite", "/admin/staff/{staff_id}", "/admin/categories",
         "/admin/categories/garbage", "/admin/templates", "/admin/routing", "/admin/days-off", "/admin/service-points",
         "/admin/boundaries", "/admin/boundaries/hue-wards-2025", "/admin/api-keys", "/admin/audit", "/admin/privacy",
         "/admin/privacy/requests", "/admin/privacy/breaches"]
# English words a Vietnamese page never needs (ambiguous short words such as "an", "to", "do", "the"
# are left out: they are Vietnamese words too without their diacritics).
ENGLISH = set("""and or of with from for your you this that these what when where which who please report reports
ward wards status submit send save cancel delete remove edit create update search filter filters open closed
received resolved rejected assigned accepted pending error found page back next previous list day days hour hours
minute minutes yes none all new more less settings account sign login logout password dashboard desk queue category
categories field fields priority deadline overdue urgent normal officer officers leader admin dispatcher email
address phone name photo photos map choose select city team teams hotspot hotspots plan print export download
upload note notes reply replies rating comment reason total period week month year today yesterday ago late early
time date service services centre center nearest distance open now help loading failed success thank thanks""".split())
# Names and words the pages use in every language.
ALLOWED = {"Phản", "Ánh", "Leaflet", "OpenStreetMap", "Open311", "Zalo", "CSV", "GeoJSON", "JSON", "Gi", "Getis", "Ord",
           "Benjamini", "Hochberg", "Email", "email", "SMS", "API", "TOTP", "QR", "HUE", "CC", "BY", "ODbL", "km", "m", "h"}
SKIPPED = {"script", "style", "code", "template", "cite", "samp"}  # cite: a source's title; samp: a program's output
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class Visible(HTMLParser):
    """The text a person sees or hears, without scripts, code and what people wrote themselves."""

    def __init__(self):
        super().__init__()
        self.skipping, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED or "data-user-text" in attrs or (self.skipping and tag not in ("br", "img", "input", "meta", "link", "hr")):
            self.skipping.append(tag)
            return
        self.parts += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            attrs = dict(attrs)
            self.parts += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return re.sub(r"\S+@\S+", " ", " ".join(parser.parts))


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


def raw_codes() -> set[str]:
    codes = set(STATUS_TYPES) | set(FIELDS) | set(ROLES) | {c.code for c in db.session.query(Category)}
    return codes


@pytest.fixture
def pages(app, client, staff, reports):
    admin = create_user("admin.lang@t.vn", "admin", PASSWORD, method=FAST_HASH)
    # What the admin pages show once used: a template of one field, audit entries full of codes.
    db.session.add(ReplyTemplate(title="Đã dọn", body="Phường đã dọn.", ward_code="19753", field="environment"))
    log_admin("admin.lang@t.vn", "staff_invited", "moi@t.vn", role="officer", ward_code="19753",
              fields=["environment", "traffic"])
    log_admin("admin.lang@t.vn", "staff_changed", "moi@t.vn", role=["officer", "ward_lead"], fields=[["traffic"], []])
    log_admin("admin.lang@t.vn", "category_changed", "garbage", default_priority=["normal", "urgent"], active=[True, False])
    db.session.commit()
    values = {"code": reports["shown"].tracking_code, "staff_id": staff["officer"].id}

    def read(email: str | None, paths: list[str], lang: str = "vi") -> dict[str, str]:
        browser = app.test_client()
        if email:
            login(browser, email)
        found = {}
        for path in paths:
            url = path.format(**values)
            response = browser.get(url + ("&" if "?" in url else "?") + f"lang={lang}", headers={"Accept": "text/html"})
            assert response.status_code in (200, 404), (url, response.status_code)
            found[url] = response.get_data(as_text=True)
        return found
    return read, admin


def every_page(read, lang: str) -> dict[str, str]:
    return {**read(None, PUBLIC, lang), **read("lead@t.vn", STAFF, lang), **read("leader@t.vn", LEADER, lang),
            **read("admin.lang@t.vn", ADMIN, lang)}


def test_no_english_word_and_no_raw_code_on_a_vietnamese_page(pages):
    read, _admin = pages
    codes = raw_codes()
    problems = []
    for url, html in every_page(read, "vi").items():
        text = visible_text(html)
        words = words_of(text)
        english = sorted(w for w in words if w.lower() in ENGLISH and w not in ALLOWED)
        leftover = sorted(w for w in words if w in codes)
        if english or leftover:
            problems.append(f"{url}: English {english} codes {leftover}")
    assert problems == [], "\n".join(problems)


def test_no_raw_code_on_an_english_page(pages):
    read, _admin = pages
    codes = {c for c in raw_codes() if "_" in c}  # (the others are English words too: "received", "leader")
    problems = []
    for url, html in every_page(read, "en").items():
        leftover = sorted(w for w in words_of(visible_text(html)) if w in codes)
        if leftover:
            problems.append(f"{url}: {leftover}")
    assert problems == [], "\n".join(problems)
