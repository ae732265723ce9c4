"""The shape ARCHITECTURE.md promises: a core without Textual, no import cycles, small modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import termnews

PACKAGE = Path(termnews.__file__).parent
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package, by dotted name (derived, so a new module is covered)."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def core_modules() -> list[str]:
    """Everything but the Textual UI (and ``__main__``, which runs the CLI)."""
    return [
        name
        for name in all_modules()
        if not name.startswith("termnews.tui") and not name.endswith("__main__")
    ]


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The termnews modules a file imports anywhere in it (top level, functions, TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + (path.name == "__init__.py")]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from a import b`` may name a submodule ``a.b`` or a name inside ``a``.
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != "termnews":
                found.add(name)
    found.discard(_module_name(path))
    return found


def test_core_modules_do_not_import_textual():
    modules = core_modules()
    assert "termnews.store" in modules and "termnews.service" in modules  # derived, not listed
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_tui_app_does_not_import_network_libraries_before_first_frame():
    code = (
        "import sys\nimport termnews.tui.app, termnews.demo\n"
        "print(','.join(m for m in ('httpx', 'readability', 'feedparser') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles():
    modules = all_modules()
    known = set(modules)
    graph = {name: imported_modules(path, known) for name, path in modules.items()}
    # A package's __init__ importing its own submodules is how it re-exports; a submodule
    # importing its package's __init__ back would close a circle and is counted.
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_modules_stay_small():
    big = {
        name: lines
        for name, path in all_modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}
