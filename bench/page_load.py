"""Lighthouse-style figures for residents' pages on a slow phone, in Debian's Chromium (Playwright).

    .venv/bin/python -m bench.page_load [--runs 3]

The app is served as ``make run`` serves it (gunicorn); each page is opened in a new browser context (an
empty cache: a first visit) at 390 × 844 with Lighthouse's "slow 4G" network (150 ms round trip, 1.6
Mbit/s down, 750 kbit/s up) and the CPU slowed 4×. Printed per page: first contentful paint, the load
event and the bytes transferred (what the network carried, compressed or not), the median of the runs.
Baseline in the same run: a bare HTML page of one line from the same server (``/static/bench-blank.html``
is written for the run), so the ratio is the page's own cost over the network's and the server's floor.
"""
import argparse
import statistics
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.common import OUTPUT_DIR, bench_app, gunicorn, record
from geo.provinces import load_province
from reports.categories import seed_demo_categories
from settings import PROJECT_ROOT, Config
from store import db

PAGES = {"report page (/)": "/", "public map (/map)": "/map", "ward page (/wards/19753)": "/wards/19753"}
BLANK = PROJECT_ROOT / "webapp" / "static" / "bench-blank.html"
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
TARGET_FCP_MS = 1800  # Lighthouse's "good" first contentful paint on its mobile profile


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    transferred = []
    cdp.on("Network.loadingFinished", lambda e: transferred.append(e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        const nav = performance.getEntriesByType("navigation")[0];
        return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd};
    }""")
    context.close()
    return {"fcp_ms": timing["fcp"], "load_ms": timing["load"], "bytes": sum(transferred)}


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs if r[key] is not None) for key in runs[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = bench_app("bench_pages")
    with app.app_context():
        seed_demo_categories()
        load_province("46", Path(app.config["DATA_DIR"]))
        db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", "")
    BLANK.write_text('<!doctype html><html lang="vi"><meta charset="utf-8"><title>.</title><p>Phản Ánh</p></html>\n')
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        with gunicorn(url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=Config.CHROMIUM_PATH,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            measure(browser, base + "/")  # warm the server (templates, pools)
            blank = median_of([measure(browser, base + "/static/bench-blank.html") for _ in range(args.runs)])
            print(f"slow 4G (150 ms RTT, 1.6 Mbit/s), CPU 4× slower, 390 × 844, empty cache; median of {args.runs} runs")
            print(f"  {'baseline: a one-line HTML page':<34} first paint {blank['fcp_ms']:6.0f} ms  load {blank['load_ms']:6.0f} ms"
                  f"  {blank['bytes'] / 1024:6.0f} KB")
            for name, path in PAGES.items():
                figures = median_of([measure(browser, base + path) for _ in range(args.runs)])
                print(f"  {name:<34} first paint {figures['fcp_ms']:6.0f} ms  load {figures['load_ms']:6.0f} ms"
                      f"  {figures['bytes'] / 1024:6.0f} KB   first paint {figures['fcp_ms'] / blank['fcp_ms']:.1f}× the baseline's")
                if path == "/":
                    record("page_load", "report page: first contentful paint, slow 4G, CPU 4×", round(figures["fcp_ms"]),
                           "ms", f"< {TARGET_FCP_MS}", figures["fcp_ms"] < TARGET_FCP_MS)
                    record("page_load", "report page: bytes of a first visit", round(figures["bytes"] / 1024), "KB",
                           "", None)
            browser.close()
    finally:
        BLANK.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
