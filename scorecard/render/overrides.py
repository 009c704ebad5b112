"""The user's templates (``--templates DIR``) checked against the defaults they extend.

Jinja ignores, without a word, a block that a template overrides but its parent does not have:
after an upgrade moved a block (``register`` went from the page to the evidence page, say), the
user's override would silently stop showing. Each such block is a located warning saying where
the block lives now.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from ..errors import Problem, display


def _tree(env: jinja2.Environment, name: str) -> nodes.Template | None:
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        return env.parse(source, name, filename)
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return None  # missing or broken: rendering says so, with its own message


def _parent(tree: nodes.Template) -> str | None:
    extends = tree.find(nodes.Extends)
    if extends and isinstance(extends.template, nodes.Const):
        return str(extends.template.value)
    return None


def _blocks(env: jinja2.Environment, name: str) -> set[str] | None:
    """Every block a template and the templates it extends define, or None if one is unreadable."""
    found: set[str] = set()
    seen: set[str] = set()
    while name not in seen:
        seen.add(name)
        tree = _tree(env, name)
        if tree is None:
            return None
        found.update(b.name for b in tree.find_all(nodes.Block))
        parent = _parent(tree)
        if parent is None:
            break
        name = parent
    return found


def unused_blocks(env: jinja2.Environment, folder: Path, defaults: Path) -> list[Problem]:
    """A warning for each block of a user's template that the template it extends lacks."""
    homes = {p.name: _blocks(env, f"default/{p.name}") or set() for p in defaults.glob("*.j2")}
    problems = []
    for path in sorted(folder.glob("*.j2")):
        tree = _tree(env, path.name)
        parent = _parent(tree) if tree else None
        known = _blocks(env, parent) if parent else None
        if tree is None or known is None:
            continue
        for block in (n for n in tree.body if isinstance(n, nodes.Block)):
            if block.name in known:
                continue
            where = sorted(h for h, names in homes.items() if block.name in names)
            fix = (
                f"it is a block of {', '.join(where)}: move it into {where[0]} in this folder "
                f'(starting with {{% extends "default/{where[0]}" %}})'
                if where
                else f"the blocks of {parent} are {', '.join(sorted(known))}"
            )
            problems.append(
                Problem(
                    display(path),
                    block.lineno,
                    1,
                    "",
                    f"block '{block.name}' is not in {parent}, so it is ignored; {fix}",
                    "warning",
                )
            )
    return problems
