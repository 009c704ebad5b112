"""Edit the campaign files from the command line without losing a byte the edit is not about.

A YAML library that loads and dumps a file (even ruamel.yaml's round-trip mode) may re-indent a
flow mapping, re-wrap a long line, move a comment or drop a blank line. So edits here are text
edits: PyYAML's composer gives the exact start and end offset of every node of the file, the edit
replaces, inserts or removes only the characters of the nodes concerned, and everything else
(comments, key order, quoting, blank lines, CRLF line endings, a byte order mark) stays as it was.

Every edit is checked three ways before the file is replaced: the new text must parse to exactly
the data the edit meant (else it is a bug, raised as AssertionError), the whole project must
validate (else DataError, nothing written), and the file on disk must still hold the bytes that
were read (else ScorecardError: someone saved it meanwhile). The write itself is atomic: a
temporary file in the same folder, flushed, then ``os.replace``.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, ScorecardError, printable
from .load import NULLS, parse_bytes, text_problems
from .validate import DEMANDS, RESPONSES, _display, load_project, validate

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
            raise ScorecardError(f"{option}: the value is not valid UTF-8 text; nothing was "
                                 "written")
        found = text_problems(value)
        if found:
            raise ScorecardError(f"{option}: {printable(found[0])}; nothing was written")


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


def block(value: dict[str, Any], indent: int, first: str = "", q: Quotes = PLAIN,
          offset: int = 2) -> list[str]:
    """A mapping as block YAML lines (no line endings). ``first`` prefixes the first line
    (``"- "`` for a list item; the other lines are indented to match); ``offset`` is how far
    a list's dashes are indented from its key."""
    lines: list[str] = []
    pad = " " * indent
    for key, val in value.items():
        lead = (pad[:-len(first)] + first) if first and not lines else pad
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
    return not first.startswith((" ", "\t")) and all(
        line == line.rstrip(" \t") for line in lines)


# --------------------------------------------------------------------------- the text


class Text:
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
                span = self.text[node.start_mark.index:node.end_mark.index]
                return node.start_mark.index + len(span.rstrip())
            return node.end_mark.index
        if node.flow_style or not node.value:
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
        return not self.text[self.line_start(i):i].strip()

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)


@dataclass
class Edit:
    """A change to one file: the new text and the data it must parse to."""

    text: str
    expected: Any


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _insert_lines(doc: Text, at: int, lines: list[str]) -> str:
    """Insert whole lines at ``at`` (a line start, or the end of a file without a final
    newline)."""
    if at == len(doc.text) and doc.text and not doc.text.endswith("\n"):
        return doc.text + doc.nl + doc.lines(lines)[: -len(doc.nl)]
    return _splice(doc.text, at, at, doc.lines(lines))


def append_item(doc: Text, parent: yaml.MappingNode, key: str, item: dict[str, Any],
                blank_line: bool = False) -> str:
    """Append ``item`` to the list under ``parent[key]`` (creating the key if missing)."""
    found = doc.entry(parent, key)
    last_item = found[1].value[-1] if found and isinstance(found[1], yaml.SequenceNode) \
        and found[1].value else None
    like = last_item if isinstance(last_item, yaml.MappingNode) else parent
    q, offset = doc.quotes(like), _list_offset(doc, like)
    if found is None:  # no such key: add it at the end of the mapping
        if parent.flow_style:
            at = doc.end(parent.value[-1][1])
            return _splice(doc.text, at, at, f", {q.k(key)}: [{flow(item, q)}]")
        col = parent.value[0][0].start_mark.column
        lines = [" " * col + f"{q.k(key)}:",
                 *block(item, col + offset + 2, "- ", q, offset)]
        return _insert_lines(doc, doc.line_after(doc.end(parent)), lines)
    knode, seq = found
    if not isinstance(seq, yaml.SequenceNode):
        raise _not_a_list(doc, seq, key)
    if seq.flow_style:
        if seq.value:
            at = doc.end(seq.value[-1])
            return _splice(doc.text, at, at, f", {flow(item, q)}")
        if parent.flow_style:
            return _splice(doc.text, seq.start_mark.index, seq.end_mark.index,
                           f"[{flow(item, q)}]")
        # `key: []` in a block mapping becomes a block list: `key:` then the item's lines
        colon = doc.after_colon(knode)
        rest = doc.line_after(seq.end_mark.index)
        tail = doc.text[seq.end_mark.index:rest]
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
    return _insert_lines(doc, doc.line_after(doc.end(seq)), lines)


def _list_offset(doc: Text, parent: yaml.MappingNode) -> int:
    """How far this file indents a block list under its key (0 or 2, from a sibling list)."""
    for k, v in parent.value:
        if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
            return max(0, v.start_mark.column - k.start_mark.column)
    return 2


def remove_item(doc: Text, parent: yaml.MappingNode, key: str, index: int) -> str:
    """Remove item ``index`` of the list under ``parent[key]``; an emptied block list becomes
    ``key: []``."""
    knode, seq = doc.entry(parent, key)  # type: ignore[misc]
    items = seq.value
    node = items[index]
    if seq.flow_style:
        if index > 0:
            return _splice(doc.text, doc.end(items[index - 1]), doc.end(node), "")
        if len(items) > 1:
            return _splice(doc.text, node.start_mark.index, items[1].start_mark.index, "")
        return _splice(doc.text, node.start_mark.index, doc.end(node), "")
    dash = doc.text.rfind("-", 0, node.start_mark.index)
    dash_line = doc.line_start(dash)
    if not doc.blank_before(dash):
        raise ScorecardError(f"{_display(doc.path)}:{node.start_mark.line + 1}: this list item "
                             "shares its line with other text; put it on a line of its own")
    end = doc.line_after(doc.end(node))
    if end == len(doc.text) and not doc.text.endswith("\n") and dash_line > 0:
        dash_line -= 2 if doc.text[dash_line - 2:dash_line] == "\r\n" else 1  # no final newline
    text = _splice(doc.text, dash_line, end, "")
    if len(items) == 1:  # the list is now empty
        colon = doc.after_colon(knode)
        text = _splice(text, colon, colon, " []")
    return text


def _not_a_list(doc: Text, node: yaml.Node, key: str) -> ScorecardError:
    return ScorecardError(f"{_display(doc.path)}:{node.start_mark.line + 1}:"
                          f"{node.start_mark.column + 1}: '{key}' is not a list; fix it by hand")


# --------------------------------------------------------------------------- the project


@dataclass
class Campaign:
    root: Path
    demands: Text
    responses: Text

    @classmethod
    def open(cls, root: Path) -> Campaign:
        """Read both files once; they must be valid before we edit them. The bytes read here
        are the ones the edit starts from and the ones the file must still hold when it is
        replaced."""
        raw = {}
        for name in (DEMANDS, RESPONSES):
            try:
                raw[name] = (root / name).read_bytes()
            except OSError:
                load_project(root)  # reports the missing or unreadable file, located
                raise
        loaded = [parse_bytes(raw[name], _display(root / name)) for name in (DEMANDS, RESPONSES)]
        project, problems = validate(*loaded, root=root)
        if project is None:
            raise DataError("the campaign data is not valid; fix it before editing",
                            [p for p in problems if p.severity == "error"])
        return cls(root, Text(root / DEMANDS, raw[DEMANDS]), Text(root / RESPONSES,
                                                                  raw[RESPONSES]))

    def data(self, doc: Text) -> Any:
        return parse_bytes(doc.raw, _display(doc.path)).data

    def response(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.responses.items("responses")
        for i, item in enumerate(seq.value if seq else []):
            found = self.responses.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = [i for i in _ids(self.data(self.responses), "responses")]
        raise ScorecardError(f"'{printable(ident, 200)}' is not a response in "
                             f"{_display(self.responses.path)}{printable(_hint(ident, ids))}")

    def demand(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.demands.items("demands")
        for i, item in enumerate(seq.value if seq else []):
            found = self.demands.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = _ids(self.data(self.demands), "demands")
        raise ScorecardError(f"'{printable(ident, 200)}' is not a demand in "
                             f"{_display(self.demands.path)}{printable(_hint(ident, ids))}")

    def commit(self, doc: Text, edit: Edit) -> Path:
        """Check the edit and replace the file atomically; returns the path written."""
        new = doc.encode(edit.text)
        display = _display(doc.path)
        loaded = parse_bytes(new, display)
        if loaded.problems or loaded.data != edit.expected:  # pragma: no cover - a bug
            raise ScorecardError(f"{display}: this edit cannot be written so that the file reads "
                                 "back exactly as meant (this is a bug in scorecard: please "
                                 "report it with the command you ran); nothing was written")
        other = self.responses if doc is self.demands else self.demands
        pair = [loaded, parse_bytes(other.raw, _display(other.path))]
        if doc is self.responses:
            pair.reverse()
        _, problems = validate(*pair, root=self.root)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError("the edit would make the campaign data invalid", errors)
        atomic_replace(doc.path, new, doc.raw)
        return doc.path


def _ids(data: Any, key: str) -> list[str]:
    items = data.get(key) if isinstance(data, dict) else None
    return [i["id"] for i in items or [] if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _hint(value: str, options: list[str]) -> str:
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return f"; did you mean '{guess[0]}'?" if guess else "; see the ids with 'scorecard status'"


def atomic_replace(path: Path, new: bytes, old: bytes) -> None:
    """Replace ``path`` with ``new`` unless it no longer holds ``old``."""
    def unchanged() -> bool:
        try:
            current = path.read_bytes()
        except OSError:
            return False
        return hashlib.sha256(current).digest() == hashlib.sha256(old).digest()

    if not unchanged():
        raise ScorecardError(f"{_display(path)} was changed by someone else while this edit was "
                             "being made; nothing was written: run the command again")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        if not unchanged():
            raise ScorecardError(f"{_display(path)} was changed by someone else while this edit "
                                 "was being made; nothing was written: run the command again")
        os.replace(tmp, path)
    except OSError as exc:
        raise ScorecardError(f"{_display(path)}: cannot write ({exc.strerror}); nothing was "
                             "changed") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- the edits


def link(root: Path, response: str, demand: str, verdict: str,
         reason: str | None = None) -> str:
    """Add a link from a response to a demand, or change its verdict (and reason)."""
    check_values({"RESPONSE": response, "DEMAND": demand, "--reason": reason})
    camp = Campaign.open(root)
    doc = camp.responses
    camp.demand(demand)
    i, node = camp.response(response)
    expected = copy.deepcopy(camp.data(doc))
    entry = expected["responses"][i]
    links = entry.setdefault("addresses", [])
    if links is None:
        links = entry["addresses"] = []
    found = doc.entry(node, "addresses")
    seq = found[1] if found else None
    for j, existing in enumerate(links):
        if existing.get("demand") != demand:
            continue
        if existing.get("verdict") == verdict and reason in (None, existing.get("reason")):
            return f"{response} -> {demand}: already linked with verdict {verdict}; nothing changed"
        item = seq.value[j]
        text = doc.text
        edits: list[tuple[int, int, str]] = []
        vnode = doc.entry(item, "verdict")
        if vnode is None:
            raise _not_a_list(doc, item, "verdict")  # pragma: no cover - validated before
        same = Quotes(value=vnode[1].style or "")  # the verdict keeps its own quoting
        edits.append((vnode[1].start_mark.index, vnode[1].end_mark.index, same.v(verdict)))
        q = doc.quotes(item)
        existing["verdict"] = verdict
        if reason is not None:
            rnode = doc.entry(item, "reason")
            existing["reason"] = reason
            if rnode:
                edits.append((rnode[0].end_mark.index, doc.end(rnode[1]), f": {q.v(reason)}"))
            elif item.flow_style:
                at = doc.end(item.value[-1][1])
                edits.append((at, at, f", {q.k('reason')}: {q.v(reason)}"))
            else:
                at = doc.line_after(doc.end(item))
                col = item.value[0][0].start_mark.column
                edits.append((at, at, doc.lines([" " * col + f"{q.k('reason')}: {q.v(reason)}"])))
        for start, end, new in sorted(edits, reverse=True):
            text = _splice(text, start, end, new)
        camp.commit(doc, Edit(text, expected))
        return f"{response} -> {demand}: verdict changed to {verdict}"
    new = {"demand": demand, "verdict": verdict}
    if reason is not None:
        new["reason"] = reason
    links.append(block_value(new))
    camp.commit(doc, Edit(append_item(doc, node, "addresses", new), expected))
    return f"{response} -> {demand}: linked, verdict {verdict}"


def unlink(root: Path, response: str, demand: str) -> str:
    camp = Campaign.open(root)
    doc = camp.responses
    i, node = camp.response(response)
    expected = copy.deepcopy(camp.data(doc))
    links = expected["responses"][i].get("addresses") or []
    for j, existing in enumerate(links):
        if existing.get("demand") == demand:
            del links[j]
            camp.commit(doc, Edit(remove_item(doc, node, "addresses", j), expected))
            return f"{response} -> {demand}: unlinked"
    raise ScorecardError(f"'{response}' does not address '{demand}'; nothing to unlink")


def set_status(root: Path, demand: str, status: str | None, reason: str | None = None,
               date: dt.date | None = None) -> str:
    """Set a demand's status by hand, or (status None) clear it."""
    check_values({"DEMAND": demand, "--reason": reason})
    camp = Campaign.open(root)
    doc = camp.demands
    i, node = camp.demand(demand)
    expected = copy.deepcopy(camp.data(doc))
    entry = expected["demands"][i]
    found = doc.entry(node, "status")
    q = doc.quotes(node)
    if status is None:
        if not found:
            raise ScorecardError(f"'{demand}' has no status set by hand; nothing to clear")
        del entry["status"]
        knode, vnode = found
        if node.flow_style:
            keys = [k for k, _ in node.value]
            at = keys.index(knode)
            start = doc.end(node.value[at - 1][1]) if at else knode.start_mark.index
            end = doc.end(vnode) if at else node.value[1][0].start_mark.index
            text = _splice(doc.text, start, end, "")
        else:
            if not doc.blank_before(knode.start_mark.index):
                raise ScorecardError(f"{_display(doc.path)}:{knode.start_mark.line + 1}: "
                                     "'status' is the first key of the demand; move it below "
                                     "'id' and run the command again")
            text = _splice(doc.text, doc.line_start(knode.start_mark.index),
                           doc.line_after(doc.end(vnode)), "")
        camp.commit(doc, Edit(text, expected))
        return f"{demand}: status set by hand cleared"
    value = {"value": status, "reason": reason or "", "date": (date or dt.date.today())
             .isoformat()}
    entry["status"] = value
    if found:
        knode, vnode = found
        if isinstance(vnode, yaml.MappingNode) and not vnode.flow_style:
            col = vnode.value[0][0].start_mark.column
            new = ":" + doc.nl + doc.lines(block(value, col, q=q))[: -len(doc.nl)]
            entry["status"] = block_value(value)
        else:
            new = f": {flow(value, q)}"
        text = _splice(doc.text, knode.end_mark.index, doc.end(vnode), new)
    elif node.flow_style:
        at = doc.end(node.value[-1][1])
        text = _splice(doc.text, at, at, f", {q.k('status')}: {flow(value, q)}")
    else:
        col = node.value[0][0].start_mark.column
        lines = [" " * col + f"{q.k('status')}:", *block(value, col + 2, q=q)]
        entry["status"] = block_value(value)
        text = _insert_lines(doc, doc.line_after(doc.end(node)), lines)
    camp.commit(doc, Edit(text, expected))
    return f"{demand}: status set by hand to {status} from {value['date']}"


def slug(text: str, limit: int = 5) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:limit]) or "response"


def add_response(root: Path, fields: dict[str, Any]) -> str:
    """Append a response. ``fields``: date (a date), kind, summary, source_title, source_url;
    optional: id, speaker, date_note, quote, quote_by, note, source_publisher, source_date,
    source_lang, addresses (a list of (demand, verdict, reason or None))."""
    check_values({"--link" if key == "addresses" else f"--{key.replace('_', '-')}": value
                  for key, value in fields.items()})
    for _, _, reason in fields.get("addresses") or []:
        check_values({"--link": reason})
    camp = Campaign.open(root)
    doc = camp.responses
    data = camp.data(doc)
    date = fields["date"]
    ident = fields.get("id") or f"{date.isoformat()}-{slug(fields['summary'])}"
    taken = set(_ids(data, "responses"))
    base, n = ident, 2
    while not fields.get("id") and ident in taken:
        ident, n = f"{base}-{n}", n + 1
    item: dict[str, Any] = {"id": ident, "date": date.isoformat()}
    if fields.get("date_note"):
        item["date_note"] = fields["date_note"]
    item["kind"] = fields["kind"]
    if fields.get("speaker"):
        item["speaker"] = fields["speaker"]
    item["summary"] = fields["summary"]
    if fields.get("quote"):
        item["quote"] = {"text": fields["quote"], "by": fields.get("quote_by") or ""}
    if fields.get("note"):
        item["note"] = fields["note"]
    source = {"title": fields["source_title"], "url": fields["source_url"]}
    for key in ("publisher", "date", "lang"):
        value = fields.get(f"source_{key}")
        if value:
            source[key] = value.isoformat() if hasattr(value, "isoformat") else value
    item["sources"] = [source]
    item["addresses"] = [
        {"demand": d, "verdict": v, **({"reason": r} if r else {})}
        for d, v, r in fields.get("addresses") or []]
    for link_ in item["addresses"]:
        camp.demand(link_["demand"])
    written = dict(item)
    expected = copy.deepcopy(data) if isinstance(data, dict) else {}
    seq = doc.items("responses")
    found = doc.entry(doc.root, "responses") if isinstance(doc.root, yaml.MappingNode) else None
    if found is None or found[1].tag.endswith(":null") or (
            isinstance(found[1], yaml.ScalarNode) and found[1].value in NULLS):
        raise ScorecardError(f"{_display(doc.path)}: holds no 'responses:' list; add the line "
                             "'responses: []' and run the command again")
    if expected.get("responses") is None:
        expected["responses"] = []
    expected["responses"].append(block_value(item))
    separated = bool(seq and len(seq.value) > 1 and _blank_between(doc, seq))
    text = append_item(doc, doc.root, "responses", written, blank_line=separated)
    camp.commit(doc, Edit(text, expected))
    return ident


def _blank_between(doc: Text, seq: yaml.SequenceNode) -> bool:
    last, prev = seq.value[-1], seq.value[-2]
    gap = doc.text[doc.line_after(doc.end(prev)):doc.line_start(last.start_mark.index)]
    return any(not line.strip() for line in gap.split("\n")[:-1]) if gap else False
