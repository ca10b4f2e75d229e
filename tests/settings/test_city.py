"""The city is a setting (issue 30): province, time zone and office hours come from the environment,
through settings.CITY, and reach the leaders' default province and the working-hour deadlines."""
import subprocess
import sys

from settings import PROJECT_ROOT, process_env

PROBE = ("from settings import CITY; from reports.queries.filters import DEFAULT_PROVINCE;"
         "from reports.workflow.deadlines import OFFICE_DAY; from store import LOCAL_TZ;"
         "print(CITY.province, DEFAULT_PROVINCE, LOCAL_TZ.key, [(str(a), str(b)) for a, b in OFFICE_DAY])")


def _probe(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=process_env(**env),
                          capture_output=True, text=True)


def test_by_default_the_city_is_hue():
    out = _probe(CITY_PROVINCE="46", OFFICE_HOURS="07:30-11:30,13:30-17:00")
    assert out.stdout.split(" ", 3)[:3] == ["46", "46", "Asia/Ho_Chi_Minh"], out.stderr


def test_another_city_and_its_office_hours():
    out = _probe(CITY_PROVINCE="01", OFFICE_HOURS="08:00-12:00, 13:00-17:30")
    assert out.stdout.strip() == "01 01 Asia/Ho_Chi_Minh [('08:00:00', '12:00:00'), ('13:00:00', '17:30:00')]", out.stderr


def test_office_hours_that_end_before_they_start_stop_the_app():
    out = _probe(OFFICE_HOURS="17:00-08:00")
    assert out.returncode != 0 and "OFFICE_HOURS: '17:00-08:00' ends before it starts" in out.stderr
