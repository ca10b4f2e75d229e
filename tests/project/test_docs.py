"""The README is the newcomer's page (issue 30): every link it and the docs make leads somewhere, every
command it names exists, every package of its layout is in the tree and every package of the tree in
its layout, and a docstring never names a module that does not exist."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_local_link_leads_to_a_file(page):
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert [t for t in local if not (page.parent / t).exists()] == []


def test_the_readme_is_read_to_the_end():
    assert len(README.splitlines()) <= 160


def test_every_make_target_named_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", README))
    assert named and named <= targets


def test_every_flask_command_named_exists(app):
    groups = {name: group for name, group in app.cli.commands.items()}
    named = set(re.findall(r"`flask ([a-z0-9-]+)(?: ([a-z0-9-]+))?", "\n".join(p.read_text() for p in PAGES)))
    missing = []
    for group, command in named:
        if group in {"db", "run", "shell", "routes"}:
            continue
        if group not in groups or (command and command not in groups[group].commands):
            missing.append(f"{group} {command}".strip())
    assert missing == []


def test_the_layout_names_every_package_and_nothing_else():
    block = README.split("## Layout", 1)[1].split("```", 2)[1]
    named = {m.rstrip("/").removesuffix(".py") for m in re.findall(r"^([a-z_]+/|[a-z_]+\.py)", block, re.M)}
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"}
    modules = {"settings", "store"}
    assert packages | modules <= named | {"bench"} and named - {"migrations", "deploy", "bench", "docs", "tests"} <= packages | modules


DOTTED = re.compile(r"``((?:analytics|geo|reports|tiles|webapp|delivery|worker|commands|ops|devtools|store|settings)(?:\.[a-z_][a-z0-9_]*)+)")


def _exists(dotted: str) -> bool:
    """A module, or a name defined at the top of one (``reports.overdue.overdue``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        if module.exists():
            rest = parts[cut:]
            if not rest:
                return True
            tree = ast.parse(module.read_text())
            names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
            names |= {t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                      for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
            names |= {a.asname or a.name for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
            return rest[0] in names
    return False


SOURCES = [p for package in ("analytics", "geo", "reports", "tiles", "webapp", "delivery", "worker", "commands", "ops", "devtools",
                                "store")
           for p in (ROOT / package).rglob("*.py")] + [ROOT / "settings.py"]


def test_docstrings_name_only_what_exists():
    stale = []
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node in [tree, *ast.walk(tree)]:
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node) or ""
                stale += [f"{path.relative_to(ROOT)}: {name}" for name in DOTTED.findall(doc) if not _exists(name)]
    assert sorted(set(stale)) == []
