"""The packages point one way: devtools → webapp → commands → worker, analytics → delivery, tiles →
reports → geo → store, ops, settings. A module never imports a package above its own: the domain never imports an edge (HTTP,
the command line), delivery never the web pages, nothing the app runs the developer's tools. Only
``webapp/__init__.py``'s factory, which puts the whole app together, registers the commands."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"settings": 0, "store": 0, "ops": 0, "geo": 1, "reports": 2, "tiles": 3, "delivery": 3, "worker": 4,
          "analytics": 4, "commands": 5, "webapp": 6, "devtools": 7}
MODULES = [ROOT / "settings.py", *[p for package in LAYERS if (ROOT / package).is_dir()
                                for p in (ROOT / package).rglob("*.py")]]


def imported_top_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def imported_packages(path: Path) -> set[str]:
    return imported_top_names(path) & LAYERS.keys()


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_no_module_imports_a_layer_above_its_own(path):
    own = LAYERS[path.relative_to(ROOT).parts[0].removesuffix(".py")]
    assert {name for name in imported_packages(path) if LAYERS[name] > own} == set()


def test_only_the_factory_reaches_the_command_line():
    """The web pages never import a command or the worker: the factory registers the commands."""
    pages = [p for p in (ROOT / "webapp").rglob("*.py") if p != ROOT / "webapp" / "__init__.py"]
    assert [str(p.relative_to(ROOT)) for p in pages if imported_packages(p) & {"commands", "worker"}] == []


DOMAIN = [p for package in ("geo", "reports", "tiles", "analytics") for p in (ROOT / package).rglob("*.py")]
WEB_LIBRARIES = {"flask", "flask_login", "flask_wtf", "flask_babel", "flask_limiter", "flask_caching"}


def test_the_domain_touches_no_web_library():
    """geo, reports and tiles take their inputs as arguments: no request, no app, no sign-in library."""
    assert {str(p.relative_to(ROOT)): sorted(imported_top_names(p) & WEB_LIBRARIES)
            for p in DOMAIN if imported_top_names(p) & WEB_LIBRARIES} == {}


def test_only_settings_reads_the_environment():
    code = [p for p in MODULES + [ROOT / "wsgi.py"] if p != ROOT / "settings.py"]
    readers = [str(p.relative_to(ROOT)) for p in code if re.search(r"\bos\.(environ|getenv)\b|\bgetenv\(", p.read_text())]
    assert readers == []


REPORT_WRITE = re.compile(r"\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(report|report_event|report_photo)\b", re.I)


def test_geo_writes_no_report_table():
    """geo answers spatial questions; the report domain writes reports and their events
    (reports.workflow.reassignment moves them to new wards)."""
    writers = [str(p.relative_to(ROOT)) for p in (ROOT / "geo").rglob("*.py") if REPORT_WRITE.search(p.read_text())]
    assert writers == []


def test_one_clock():
    """Every "now" of the application is store.utcnow() (store/clock.py) (aware, UTC): one place to read the time."""
    readers = [str(p.relative_to(ROOT)) for p in MODULES if p != ROOT / "store" / "clock.py"
               and re.search(r"\bdatetime\.(now|utcnow)\(", p.read_text())]
    assert readers == []


def test_the_data_layer_knows_no_request():
    """store reads no request, no app and no app config: its settings are given (store.configure) and
    the views that may read from the replica say so (webapp.read_routing.replica_reads)."""
    for path in (ROOT / "store").glob("*.py"):
        names = imported_top_names(path)
        text = path.read_text()
        assert "flask" not in names and "current_app" not in text and "has_request_context" not in text, path
