"""The shape of the code: the import graph of the package has no circle, and no module imports
another's private names. Every import counts, those inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "scorecard"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["scorecard", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import of the package's modules."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name in modules]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:  # from . import options
                    out.append((sub, []))
                elif base in modules:
                    out.append((base, [alias.name]))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {m for m, _ in _imports(name, path, modules) if m != name}
        for name, path in modules.items()
    }


def test_the_import_graph_has_no_circle() -> None:
    graph = _graph()
    # A package's __init__ is imported with any of its modules: it must import none of them
    # that import it back, which the search below sees as a circle too.
    done: set[str] = set()
    circles = []

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            circles.append(path[path.index(node) :] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*path, node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])
    assert circles == []


def test_no_module_imports_private_names_of_another() -> None:
    modules = _modules()
    private = [
        (name, target, n)
        for name, path in modules.items()
        for target, names in _imports(name, path, modules)
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert private == []


def test_the_stages_depend_only_on_earlier_stages() -> None:
    """load -> validate -> match -> document -> render -> write: no stage imports a later one."""
    order = [
        "scorecard.load",
        "scorecard.validate",
        "scorecard.match",
        "scorecard.document",
        "scorecard.render",
        "scorecard.write",
    ]
    graph = _graph()

    def stage(module: str) -> int | None:
        for i, prefix in enumerate(order):
            if module == prefix or module.startswith(prefix + "."):
                return i
        return None

    backwards = [
        (m, d)
        for m, deps in graph.items()
        for d in deps
        if stage(m) is not None and stage(d) is not None and stage(d) > stage(m)
    ]
    assert backwards == []
