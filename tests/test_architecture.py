"""The layering ARCHITECTURE.md describes, checked on the source (AST), not by convention.

- Views (`portal/views/`, `admin/`) never touch the database session: they call services, which own
  the unit of work (portal/services/core/unit_of_work.py).
- The modules of `portal` and `admin` import each other without a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEW_DIRS = (ROOT / "admin", ROOT / "portal" / "views")
PACKAGES = ("portal", "admin")
SESSION_METHODS = {"commit", "rollback", "flush", "scalar", "scalars", "execute", "query", "get_or_404"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _view_files() -> list[Path]:
    return sorted(p for d in VIEW_DIRS for p in d.rglob("*.py"))


def session_use(source: str) -> list[str]:
    """What in this module reaches the database session itself; empty when it only calls services."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "sqlalchemy":
                problems.append(f"line {node.lineno}: imports {node.module}")
            if any(alias.name == "db" for alias in node.names):
                problems.append(f"line {node.lineno}: imports db from {node.module}")
        elif isinstance(node, ast.Import):
            problems += [f"line {node.lineno}: imports {a.name}" for a in node.names if a.name.startswith("sqlalchemy")]
        elif isinstance(node, ast.Name) and node.id == "db":
            problems.append(f"line {node.lineno}: uses db")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in SESSION_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "session"
        ):
            problems.append(f"line {node.lineno}: session.{node.attr}")
    return problems


def test_views_never_touch_the_session():
    files = _view_files()
    assert len(files) > 20
    found = {str(p.relative_to(ROOT)): session_use(p.read_text(encoding="utf-8")) for p in files}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_session_check_sees_each_way_in():
    assert session_use("from portal.extensions import db\n")
    assert session_use("from sqlalchemy import select\n")
    assert session_use("import sqlalchemy.orm\n")
    assert session_use("def f(x):\n    x.session.commit()\n")
    assert session_use("def f(app):\n    return app.db\n") == []
    assert session_use("from portal.services.articles import editorial\neditorial.create()\n") == []


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports, at any depth of its code (a lazy import still counts)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in modules:
                    found.add(target)
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as the path that closes it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert "portal.services.publication.publishing" in graph and "admin.records" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_check_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
