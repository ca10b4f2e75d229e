"""The packages point one way: webapp → tiles → reports → geo → store. A module never imports a
package above its own (the domain never imports the web edge)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"store": 0, "geo": 1, "reports": 2, "tiles": 3, "webapp": 4}
MODULES = [ROOT / "store.py", *[p for package in ("geo", "reports", "tiles", "webapp")
                                for p in (ROOT / package).rglob("*.py")]]


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & LAYERS.keys()


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_no_module_imports_a_layer_above_its_own(path):
    own = LAYERS[path.relative_to(ROOT).parts[0].removesuffix(".py")]
    assert {name for name in imported_packages(path) if LAYERS[name] > own} == set()
