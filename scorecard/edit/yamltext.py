"""Precise edits of a YAML file's text that lose no byte the edit is not about.

A YAML library that loads and dumps a file (even ruamel.yaml's round-trip mode) may re-indent a
flow mapping, re-wrap a long line, move a comment or drop a blank line. So edits here are text
edits: PyYAML's composer gives the exact start and end offset of every node of the file, the edit
replaces, inserts or removes only the characters of the nodes concerned, and everything else
(comments, key order, quoting, blank lines, CRLF line endings, a byte order mark) stays as it was.

This module knows YAML, not campaigns: edit/campaign.py says what to change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScorecardError, display, printable
from ..load import NULLS, text_problems

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

BOM = "\ufeff"
# Characters that YAML reads as a line break (or a byte order mark) wherever they stand: a value
# holding one is written double-quoted, with the character as an escape.
_BREAKS = re.compile("[\r\x85\u2028\u2029\ufeff]")
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar on one line (a JSON string, with the characters
    YAML would read as line breaks written as escapes)."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def check_values(values: dict[str, Any]) -> None:
    """Refuse, before anything is read or written, option values the loader would refuse (control
    characters, direction overrides, noncharacters, bytes that are not UTF-8), naming the
    option: the file must stay valid, and the value must read back as given."""
    for option, value in values.items():
        if not isinstance(value, str):
            continue
        if any("\udc80" <= c <= "\udcff" for c in value):
            raise ScorecardError(
                f"{option}: the value is not valid UTF-8 text; nothing was written"
            )
        found = text_problems(value)
        if found:
            raise ScorecardError(f"{option}: {printable(found[0])}; nothing was written")
        if value and not value.strip():
            raise ScorecardError(
                f"{option}: the value is only spaces or line breaks; give some text, or leave "
                "the option out; nothing was written"
            )


# --------------------------------------------------------------------------- scalars


def scalar(value: str) -> str:
    """One line of YAML that our loader reads back as exactly ``value``: plain when that is
    safe, else double-quoted (a JSON string is a valid YAML double-quoted scalar)."""
    if value and value not in NULLS and "\n" not in value and value == value.strip():
        try:  # plain only if every YAML reader (and an editor's schema check) sees this text
            same = yaml.load(f"k: {value}\n", Loader=_Loader) == {"k": value}
        except yaml.YAMLError:
            same = False
        if (same or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and "#" not in value:
            return value
    return quoted(value)


@dataclass(frozen=True)
class Quotes:
    """How the surrounding text quotes keys and values ('' plain, '"' or "'"), so that new
    lines look like their neighbours."""

    key: str = ""
    value: str = ""

    def k(self, key: str) -> str:
        return f"{self.key}{key}{self.key}"

    def v(self, text: str) -> str:
        if self.value == '"' or (self.value == "'" and ("\n" in text or _BREAKS.search(text))):
            return quoted(text)
        if self.value == "'":
            return "'" + text.replace("'", "''") + "'"
        return scalar(text)


PLAIN = Quotes()


def flow(value: Any, q: Quotes = PLAIN) -> str:
    """A value as one line of flow YAML."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{q.k(k)}: {flow(v, q)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v, q) for v in value) + "]"
    return q.v(str(value))


def block(
    value: dict[str, Any], indent: int, first: str = "", q: Quotes = PLAIN, offset: int = 2
) -> list[str]:
    """A mapping as block YAML lines (no line endings). ``first`` prefixes the first line
    (``"- "`` for a list item; the other lines are indented to match); ``offset`` is how far
    a list's dashes are indented from its key."""
    lines: list[str] = []
    pad = " " * indent
    for key, val in value.items():
        lead = (pad[: -len(first)] + first) if first and not lines else pad
        if isinstance(val, dict) and val:
            lines.append(f"{lead}{q.k(key)}:")
            lines += block(val, indent + 2, q=q, offset=offset)
        elif isinstance(val, list) and val:
            lines.append(f"{lead}{q.k(key)}:")
            for item in val:
                if isinstance(item, dict):
                    lines += block(item, indent + offset + 2, "- ", q, offset)
                else:
                    lines.append(f"{pad}{' ' * offset}- {q.v(str(item))}")
        elif isinstance(val, str) and literal(val):
            lines.append(f"{lead}{q.k(key)}: |")
            lines += [f"{pad}  {line}".rstrip() for line in val.rstrip("\n").split("\n")]
        else:
            lines.append(f"{lead}{q.k(key)}: {flow(val, q)}")
    return lines


def block_value(value: Any) -> Any:
    """What our loader reads back from ``block(value)``: literal blocks end with one newline."""
    if isinstance(value, dict):
        return {k: block_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [block_value(v) for v in value]
    if isinstance(value, str) and literal(value):
        return value.rstrip("\n") + "\n"
    return value


def literal(value: str) -> bool:
    """Whether a text is written as a literal block (``|``): it has several lines, and the block
    reads back as the text with one final newline. Else it is written double-quoted: a first
    line starting with a space (the block's indentation would be misread), a line ending with a
    space or a tab (``block`` strips those), a character YAML reads as a line break."""
    if "\n" not in value.rstrip("\n") or _BREAKS.search(value):
        return False
    lines = value.rstrip("\n").split("\n")
    first = next((line for line in lines if line), "")
    return not first.startswith((" ", "\t")) and all(line == line.rstrip(" \t") for line in lines)


# --------------------------------------------------------------------------- the text


class YamlText:
    """A YAML file's text with the nodes of its single document, for precise edits."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.raw = raw
        decoded = raw.decode("utf-8")
        self.bom = decoded.startswith(BOM)
        self.text = decoded[1:] if self.bom else decoded
        self.nl = "\r\n" if "\r\n" in self.text else "\n"
        self.root = yaml.compose(self.text, Loader=_Loader)

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")

    # ---- navigation

    @staticmethod
    def entry(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        for k, v in mapping.value:
            if k.value == key:
                return k, v
        return None

    def items(self, key: str) -> yaml.SequenceNode | None:
        found = self.entry(self.root, key) if isinstance(self.root, yaml.MappingNode) else None
        if found and isinstance(found[1], yaml.SequenceNode):
            return found[1]
        return None

    @staticmethod
    def quotes(node: yaml.Node | None) -> Quotes:
        """The quoting of a mapping's first key and of its first one-line text value."""
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return PLAIN
        key = node.value[0][0].style or ""
        stack: list[yaml.Node] = [v for _, v in node.value]
        while stack:
            current = stack.pop(0)
            if isinstance(current, yaml.ScalarNode) and current.style not in ("|", ">"):
                return Quotes(key, current.style or "")
            if isinstance(current, yaml.MappingNode):
                stack = [v for _, v in current.value] + stack
            elif isinstance(current, yaml.SequenceNode):
                stack = list(current.value) + stack
        return Quotes(key, "")

    # ---- offsets

    def end(self, node: yaml.Node) -> int:
        """Where the node's own text ends: block collections and block scalars otherwise
        reach over trailing blank lines and comments."""
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                span = self.text[node.start_mark.index : node.end_mark.index]
                return node.start_mark.index + len(span.rstrip())
            return node.end_mark.index
        if getattr(node, "flow_style", False) or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self.end(last[1] if isinstance(last, tuple) else last)

    def line_start(self, i: int) -> int:
        return self.text.rfind("\n", 0, i) + 1

    def line_after(self, i: int) -> int:
        """The start of the line after the one holding offset ``i``."""
        j = self.text.find("\n", i)
        return len(self.text) if j < 0 else j + 1

    def after_colon(self, key: yaml.Node) -> int:
        """The offset just after the colon that follows a mapping key."""
        return self.text.index(":", key.end_mark.index) + 1

    def blank_before(self, i: int) -> bool:
        return not self.text[self.line_start(i) : i].strip()

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)


@dataclass
class Edit:
    """A change to one file: the new text and the data it must parse to."""

    text: str
    expected: Any


def splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def insert_lines(doc: YamlText, at: int, lines: list[str]) -> str:
    """Insert whole lines at ``at`` (a line start, or the end of a file without a final
    newline)."""
    if at == len(doc.text) and doc.text and not doc.text.endswith("\n"):
        return doc.text + doc.nl + doc.lines(lines)[: -len(doc.nl)]
    return splice(doc.text, at, at, doc.lines(lines))


def append_item(
    doc: YamlText,
    parent: yaml.MappingNode,
    key: str,
    item: dict[str, Any],
    blank_line: bool = False,
) -> str:
    """Append ``item`` to the list under ``parent[key]`` (creating the key if missing)."""
    found = doc.entry(parent, key)
    last_item = (
        found[1].value[-1]
        if found and isinstance(found[1], yaml.SequenceNode) and found[1].value
        else None
    )
    like = last_item if isinstance(last_item, yaml.MappingNode) else parent
    q, offset = doc.quotes(like), _list_offset(doc, like)
    if found is None:  # no such key: add it at the end of the mapping
        if parent.flow_style:
            at = doc.end(parent.value[-1][1])
            return splice(doc.text, at, at, f", {q.k(key)}: [{flow(item, q)}]")
        col = parent.value[0][0].start_mark.column
        lines = [" " * col + f"{q.k(key)}:", *block(item, col + offset + 2, "- ", q, offset)]
        return insert_lines(doc, doc.line_after(doc.end(parent)), lines)
    knode, seq = found
    if not isinstance(seq, yaml.SequenceNode):
        raise not_a_list(doc, seq, key)
    if seq.flow_style:
        if seq.value:
            at = doc.end(seq.value[-1])
            return splice(doc.text, at, at, f", {flow(item, q)}")
        if parent.flow_style:
            return splice(doc.text, seq.start_mark.index, seq.end_mark.index, f"[{flow(item, q)}]")
        # `key: []` in a block mapping becomes a block list: `key:` then the item's lines
        colon = doc.after_colon(knode)
        rest = doc.line_after(seq.end_mark.index)
        tail = doc.text[seq.end_mark.index : rest]
        if not tail.endswith("\n"):
            tail += doc.nl
        lines = block(item, knode.start_mark.column + offset + 2, "- ", q, offset)
        return doc.text[:colon] + tail + doc.lines(lines) + doc.text[rest:]
    last = seq.value[-1]
    dash = seq.start_mark.column
    if isinstance(last, yaml.MappingNode) and last.flow_style:
        lines = [" " * dash + "- " + flow(item, q)]
    else:
        inner = last.start_mark.column if isinstance(last, yaml.MappingNode) else dash + 2
        lines = block(item, inner, "- ", q, offset)
        lines[0] = " " * dash + lines[0].lstrip(" ")
    if blank_line:
        lines.insert(0, "")
    return insert_lines(doc, doc.line_after(doc.end(seq)), lines)


def _list_offset(doc: YamlText, parent: yaml.MappingNode) -> int:
    """How far this file indents a block list under its key (0 or 2, from a sibling list)."""
    for k, v in parent.value:
        if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
            return max(0, v.start_mark.column - k.start_mark.column)
    return 2


def remove_item(doc: YamlText, parent: yaml.MappingNode, key: str, index: int) -> str:
    """Remove item ``index`` of the list under ``parent[key]``; an emptied block list becomes
    ``key: []``."""
    knode, seq = doc.entry(parent, key)  # type: ignore[misc]
    items = seq.value
    node = items[index]
    if getattr(seq, "flow_style", False):
        if index > 0:
            return splice(doc.text, doc.end(items[index - 1]), doc.end(node), "")
        if len(items) > 1:
            return splice(doc.text, node.start_mark.index, items[1].start_mark.index, "")
        return splice(doc.text, node.start_mark.index, doc.end(node), "")
    dash = doc.text.rfind("-", 0, node.start_mark.index)
    dash_line = doc.line_start(dash)
    if not doc.blank_before(dash):
        raise ScorecardError(
            f"{display(doc.path)}:{node.start_mark.line + 1}: this list item "
            "shares its line with other text; put it on a line of its own"
        )
    end = doc.line_after(doc.end(node))
    if end == len(doc.text) and not doc.text.endswith("\n") and dash_line > 0:
        dash_line -= 2 if doc.text[dash_line - 2 : dash_line] == "\r\n" else 1  # no final newline
    text = splice(doc.text, dash_line, end, "")
    if len(items) == 1:  # the list is now empty
        colon = doc.after_colon(knode)
        text = splice(text, colon, colon, " []")
    return text


def not_a_list(doc: YamlText, node: yaml.Node, key: str) -> ScorecardError:
    return ScorecardError(
        f"{display(doc.path)}:{node.start_mark.line + 1}:"
        f"{node.start_mark.column + 1}: '{key}' is not a list; fix it by hand"
    )


def set_fields(
    doc: YamlText, node: yaml.MappingNode, values: dict[str, str]
) -> list[tuple[int, int, str]]:
    """Text edits (start, end, new) that set ``values`` (one-line texts) on a mapping node:
    an existing key gets its value replaced (keeping its quoting), a new key is added after
    the mapping's last key, in the mapping's style (block or flow)."""
    q = doc.quotes(node)
    edits = []
    new: dict[str, str] = {}
    for key, value in values.items():
        found = doc.entry(node, key)
        if found:
            vnode = found[1]
            style = getattr(vnode, "style", None)
            same = Quotes(q.key, style if style in ('"', "'") else "")
            edits.append((vnode.start_mark.index, doc.end(vnode), same.v(value)))
        else:
            new[key] = value
    if not new:
        return edits
    if node.flow_style:
        at = doc.end(node.value[-1][1])
        edits.append((at, at, "".join(f", {q.k(k)}: {q.v(v)}" for k, v in new.items())))
    else:
        col = node.value[0][0].start_mark.column
        at = doc.line_after(doc.end(node))
        lines = [" " * col + f"{q.k(k)}: {q.v(v)}" for k, v in new.items()]
        if at == len(doc.text) and doc.text and not doc.text.endswith("\n"):
            edits.append((at, at, doc.nl + doc.lines(lines)[: -len(doc.nl)]))
        else:
            edits.append((at, at, doc.lines(lines)))
    return edits
