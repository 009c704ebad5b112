"""Stage 1, load: read a YAML file into plain data (dicts, lists, strings) with the line and
column of every value, refusing the YAML features that surprise people.

Every scalar is kept as the text the person typed (``no`` stays ``"no"``, ``010`` stays
``"010"``); the model converts the fields that want numbers, dates or booleans. Plain ``~``,
``null`` and an empty value become ``None``.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem

# PyYAML and its parser, imported by the first parse (_import_yaml): a build that finds the
# campaign in the cache never parses YAML, and saves the import (~15 ms).
yaml: Any = None
_Loader: Any = None


def _import_yaml() -> None:
    global yaml, _Loader
    if yaml is not None:
        return
    import yaml as module

    try:  # libyaml's parser is ~10x faster; PyYAML's pure-Python one gives the same events.
        from yaml import CSafeLoader as loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as loader  # type: ignore[assignment]
    yaml, _Loader = module, loader


MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 40
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# Characters that reorder text invisibly (the "Trojan Source" family). Arabic text needs none of
# them: the page sets direction itself. U+200E/U+200F (LRM/RLM) stay allowed.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# Control characters a quoted escape ("\0", "\e", "\x1b") can put in a value: invisible, invalid
# in HTML and able to rewrite a terminal. Tab, newline and carriage return stay allowed.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Code points XML 1.0 cannot carry at all (badge.svg, feed.xml and the SVG charts are XML), which
# a quoted escape ("\uFFFE") can put in a value: the noncharacters U+FDD0-U+FDEF and U+xFFFE,
# U+xFFFF of every plane, and lone surrogates.
NONCHARACTERS = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
# Any character that text_problems() refuses, in one class.
REFUSED = re.compile(
    f"[{CONTROL_CHARS.pattern[1:-1]}{''.join(sorted(BIDI_CONTROLS))}{NONCHARACTERS.pattern[1:-1]}]"
)
PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
MAX_PROBLEMS = 100  # per file: past this, the rest is noise (and an alias bomb is all noise)
TOO_DEEP = f"the data nests deeper than {MAX_DEPTH} levels; no campaign file needs that"

Path_ = tuple[str | int, ...]


class Positions(Mapping[Path_, tuple[int, int]]):
    """Line and column by path, as read back from the cache: in groups (one per list item of
    the top level, ``("responses", 5)``), each decoded when a path in it is first looked up.
    Only problems need positions, and decoding all 540,000 of 10,000 responses took 0.3 s."""

    def __init__(self, groups: dict[Path_, bytes]) -> None:
        self.groups = groups
        self.opened: dict[Path_, dict[Path_, tuple[int, int]]] = {}

    @staticmethod
    def pack(positions: Mapping[Path_, tuple[int, int]]) -> dict[Path_, bytes]:
        """The groups to store: plain data (marshal) for the cache."""
        groups: dict[Path_, dict[Path_, tuple[int, int]]] = {}
        for path, where in positions.items():
            groups.setdefault(path[:2], {})[path] = where
        return {key: marshal.dumps(group) for key, group in groups.items()}

    def _group(self, path: Path_) -> dict[Path_, tuple[int, int]]:
        key = path[:2]
        group = self.opened.get(key)
        if group is None:
            blob = self.groups.get(key)
            group = self.opened[key] = marshal.loads(blob) if blob is not None else {}
        return group

    def __getitem__(self, path: Path_) -> tuple[int, int]:
        return self._group(tuple(path))[tuple(path)]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and path in self._group(path)

    def __iter__(self) -> Iterator[Path_]:
        for key in self.groups:
            yield from self._group(key)

    def __len__(self) -> int:
        return sum(len(self._group(key)) for key in self.groups)


@dataclass
class Loaded:
    """A parsed file: its data and where each value (and each mapping key) sits in it."""

    file: str
    data: Any = None
    positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sha256: str | None = None  # of the bytes read: the provenance of every output

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The line and column of ``path``, or of its closest ancestor that has one."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.key_positions:
                return self.key_positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def problem(
        self, path: Path_, message: str, *, key: bool = False, severity: str = "error"
    ) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, format_path(path), message, severity)


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_file(path: Path, display: str | None = None, cache_dir: Path | None = None) -> Loaded:
    """Read and parse one YAML file. Problems are collected in ``Loaded.problems``; this never
    raises for bad content (only for an unreadable file, as ``OSError``)."""
    display = display or str(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return _fail(
            display,
            1,
            1,
            f"the file is {size / 1e6:.0f} MB, more than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB a campaign file may be; split it or "
            "remove what does not belong in it",
        )
    raw = path.read_bytes()
    if cache_dir is None:
        return parse_bytes(raw, display)
    from . import cache

    stored = cache.read(cache_dir, raw)
    if stored is not None:
        data, positions, key_positions, problems = stored
        return Loaded(
            display,
            data,
            Positions(positions),
            Positions(key_positions),
            [Problem(display, *p) for p in problems],
            hashlib.sha256(raw).hexdigest(),
        )
    loaded = parse_bytes(raw, display)
    positions, key_positions = _groups(loaded.positions), _groups(loaded.key_positions)
    cache.write(
        cache_dir,
        raw,
        (
            loaded.data,
            positions,
            key_positions,
            [(p.line, p.column, p.path, p.message, p.severity, p.more) for p in loaded.problems],
        ),
    )
    return loaded


def _groups(positions: Mapping[Path_, tuple[int, int]]) -> dict[Path_, bytes]:
    """The packed groups of a parse's positions (a failed read's are a plain dict)."""
    return positions.groups if isinstance(positions, Positions) else Positions.pack(positions)


def unlisted(file: str, line: int, col: int, more: int) -> Problem:
    """The line that ends a listing capped at MAX_PROBLEMS, at the first problem not listed."""
    return Problem(
        file,
        line,
        col,
        "",
        f"more than {MAX_PROBLEMS} problems in this file: the "
        f"first {MAX_PROBLEMS} (in line order) are listed, at least {more:,} more "
        f"{'is' if more == 1 else 'are'} not; fix these first, then check again",
        more=more,
    )


def _fail(display: str, line: int, col: int, message: str) -> Loaded:
    return Loaded(display, problems=[Problem(display, line, col, "", message)])


def parse_bytes(raw: bytes, display: str) -> Loaded:
    """Decode and parse; every refusal becomes a located Problem."""
    loaded = _parse(raw, display)
    loaded.sha256 = hashlib.sha256(raw).hexdigest()
    return loaded


def _parse(raw: bytes, display: str) -> Loaded:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4]:
        return _fail(
            display,
            1,
            1,
            "the file is saved as UTF-16 (or UTF-32); save it as UTF-8 "
            "(in most editors: Save As, Encoding: UTF-8)",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(
            display,
            line,
            col,
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
        )
    if not text.strip():
        return _fail(display, 1, 1, "the file is empty; see docs/format.md for what it holds")
    return _Builder(display, text).build()


class _Builder:
    """Turns PyYAML's event stream into plain data with positions."""

    def __init__(self, display: str, text: str) -> None:
        self.loaded = Loaded(display)
        self.text = text
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        # The positions of each item of a top-level list, packed (Positions.pack) as soon as the
        # item is read: the 540,000 of 10,000 responses, held all at once, were 130 MB.
        self.packed: dict[Path_, bytes] = {}
        self.packed_keys: dict[Path_, bytes] = {}
        # No character text_problems() refuses anywhere in the file: then only double-quoted
        # values (escapes) need checking, not each of 470,000 values and keys of 10,000 responses.
        self.clean = _clean(text)

    def problem(self, mark: Any, message: str, path: Path_ = ()) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if len(self.loaded.problems) >= MAX_PROBLEMS:  # reading stops: at least this one more
            self.loaded.problems.append(unlisted(self.loaded.file, line, col, 1))
            raise _TooDeep
        self.loaded.problems.append(
            Problem(self.loaded.file, line, col, format_path(path), message)
        )

    def build(self) -> Loaded:
        _import_yaml()
        events = yaml.parse(self.text, Loader=_Loader)
        try:
            self._stream(iter(events))
        except yaml.MarkedYAMLError as exc:
            self.loaded.problems.append(
                _tab_problem(self.loaded.file, self.text, exc)
                or _syntax_problem(self.loaded.file, exc)
            )
            self.loaded.data = None
        except yaml.YAMLError as exc:  # ReaderError: control characters and the like
            self.loaded.problems.append(_reader_problem(self.loaded.file, self.text, exc))
            self.loaded.data = None
        except _TooDeep:
            self.loaded.data = None
        self.loaded.positions = Positions({**self.packed, **Positions.pack(self.positions)})
        self.loaded.key_positions = Positions(
            {**self.packed_keys, **Positions.pack(self.key_positions)}
        )
        return self.loaded

    def _pack_item(self, item: Path_, start: tuple[int, int]) -> None:
        """Pack the positions of a top-level list's ``item`` (its group: every path in it
        starts with it), the last ones recorded since the sizes ``start``."""
        for table, size, packed in (
            (self.positions, start[0], self.packed),
            (self.key_positions, start[1], self.packed_keys),
        ):
            found = [table.popitem() for _ in range(len(table) - size)]
            if found:
                packed[item] = marshal.dumps(dict(reversed(found)))

    def _stream(self, events: Any) -> None:
        next(events)  # StreamStart
        docs = 0
        for event in events:
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                docs += 1
                if docs == 2:
                    self.problem(
                        event.start_mark,
                        "the file holds more than one YAML document "
                        "('---' separates them); keep one document per file",
                    )
                    return
                node_event = next(events)
                value = self._node(node_event, events, (), 0)
                if docs == 1:
                    self.loaded.data = value
                next(events)  # DocumentEnd

    def _node(self, event: Any, events: Any, path: Path_, depth: int) -> Any:
        mark = event.start_mark
        if depth > MAX_DEPTH:
            self.problem(mark, TOO_DEEP)
            raise _TooDeep
        self.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                mark,
                f"'*{event.anchor}' is an alias; aliases are not supported: "
                "write the value out in full",
                path,
            )
            return None
        if getattr(event, "anchor", None):
            self.problem(
                mark,
                f"'&{event.anchor}' is an anchor; anchors and aliases are not "
                "supported: remove it and write values out in full",
                path,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(mark, f"'{shown}' is a YAML tag; tags are not supported: remove it", path)
        if isinstance(event, yaml.ScalarEvent):
            value = event.value
            if not event.style and value in NULLS:
                return None
            self._check_text(value, mark, path, event.style)
            return value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for event in events:
                if isinstance(event, yaml.SequenceEndEvent):
                    return items
                start = len(self.positions), len(self.key_positions)
                items.append(self._node(event, events, (*path, len(items)), depth + 1))
                if len(path) == 1:  # an item of a top-level list (a demand, a response...)
                    self._pack_item((*path, len(items) - 1), start)
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for event in events:
                if isinstance(event, yaml.MappingEndEvent):
                    return mapping
                key_mark = event.start_mark
                if not isinstance(event, yaml.ScalarEvent):
                    self.problem(
                        key_mark, "a key must be a plain word, not a list or a mapping", path
                    )
                    self._node(event, events, (*path, "?"), depth + 1)
                    self._node(next(events), events, (*path, "?"), depth + 1)
                    continue
                key = event.value
                self._check_text(key, key_mark, path, event.style)
                if event.tag is not None:
                    self.problem(key_mark, "tags are not supported on keys: remove it", path)
                if key == "<<" and not event.style:
                    self.problem(
                        key_mark,
                        "'<<' merge keys are not supported: write the keys out in full",
                        path,
                    )
                    self._node(next(events), events, (*path, key), depth + 1)
                    continue  # reported once, not again as an unknown key
                kpath = (*path, key)
                if key in mapping:
                    first = self.key_positions[kpath][0]
                    self.problem(
                        key_mark,
                        f"'{key}' appears twice in the same mapping (first on "
                        f"line {first}); keep one of them",
                        kpath,
                    )
                    self._node(next(events), events, (*path, f"{key} (duplicate)"), depth + 1)
                    continue
                self.key_positions[kpath] = (key_mark.line + 1, key_mark.column + 1)
                mapping[key] = self._node(next(events), events, kpath, depth + 1)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def _check_text(self, value: str, mark: Any, path: Path_, style: str | None) -> None:
        if self.clean and style != '"':
            return  # only a double-quoted escape can make what the file's text does not hold
        for message in text_problems(value):
            self.problem(mark, message, path)


def _clean(text: str) -> bool:
    """Whether no character of ``text`` is one that text_problems() refuses. Printable ASCII
    is dropped first (as bytes: 10 ms for 12 MB, where a search of the whole text took 0.5 s)
    and only the rest is searched."""
    rest = text.encode().translate(None, PLAIN_ASCII)
    return not REFUSED.search(rest.decode())


def text_problems(value: str) -> list[str]:
    """Why the loader refuses this text (an empty list if it does not): control characters,
    invisible direction overrides, and code points XML cannot carry. The editing commands check
    their arguments with it too."""
    found = []
    control = CONTROL_CHARS.search(value)
    if control:
        found.append(
            f"the text holds a control character (U+{ord(control[0]):04X}, often "
            "written as an escape such as \\0 or \\e in double quotes) that no text "
            "needs; remove it"
        )
    bad = BIDI_CONTROLS.intersection(value)
    if bad:
        names = ", ".join(f"U+{ord(c):04X}" for c in sorted(bad))
        found.append(
            f"the text holds invisible direction-override characters ({names}) that "
            "can make it display differently from what it says; remove them (the page "
            "sets text direction itself)"
        )
    nonchar = NONCHARACTERS.search(value)
    if nonchar:
        found.append(
            f"the text holds U+{ord(nonchar[0]):04X}, which is not a character (a "
            "noncharacter or half of a surrogate pair, often written as an escape "
            "such as \\uFFFE in double quotes); no text needs it and XML files such "
            "as the feed and badge cannot hold it: remove it"
        )
    return found


class _TooDeep(RecursionError):
    """Stop reading: the data nests too deep, or holds too many problems to list."""


TABS = "indent with spaces, not tabs: replace the tab with spaces"


def _tab_problem(display: str, text: str, exc: Any) -> Problem | None:
    """A syntax error at a tab in a line's indentation: libyaml often reports it as "found
    character that cannot start any token", which reads as a quoting problem; it is a tab."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    lines = text.split("\n")
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" not in indent or mark.column > len(indent):
        return None
    col = indent.index("\t") + 1
    return Problem(
        display,
        mark.line + 1,
        col,
        "",
        f"YAML syntax error (a tab in the indentation of this line); {TABS}",
    )


def _syntax_problem(display: str, exc: Any) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "tab" in problem:
        hint = TABS
    elif "mapping values are not allowed" in problem:
        hint = (
            "a value holds ': ' (colon and space); put the whole value in quotes, "
            'e.g. title: "Facebook: a statement"'
        )
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = (
            "check the indentation of this line and the one above: items of a list or "
            "mapping line up exactly"
        )
    elif "found character that cannot start any token" in problem:
        hint = "put the value in quotes (values starting with @, ` or % must be quoted)"
    elif "found undefined alias" in problem or "found unknown" in problem:
        hint = "quote the value (a leading * or & means something special in YAML)"
    else:
        hint = "check quotes, colons and indentation on this line and the one above"
    if "nesting depth" in problem:  # libyaml's own limit, in newer builds
        return Problem(display, line, col, "", TOO_DEEP)
    what = f"{context}, {problem}" if context else problem
    return Problem(display, line, col, "", f"YAML syntax error ({what}); {hint}")


def _reader_problem(display: str, text: str, exc: Any) -> Problem:
    position = getattr(exc, "position", 0) or 0
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    char = getattr(exc, "character", None)
    code = ord(char) if isinstance(char, str) else char
    shown = f"U+{code:04X}" if isinstance(code, int) else "?"
    return Problem(
        display,
        line,
        col,
        "",
        f"the file holds a control character ({shown}) that "
        "YAML does not allow; delete it (it is often invisible: retype the line)",
    )


SOURCES_FOLDER = "sources"  # a campaign's copies of its source articles, cited by `seed:`
MAX_SOURCE_BYTES = 5 * 1024 * 1024


def source_files(root: Path, names: set[str]) -> dict[str, bytes]:
    """The campaign's copies of the source articles it cites (``seed: FILE``), read from
    ROOT/sources/FILE: only regular files of at most MAX_SOURCE_BYTES, never through a link
    and never from outside the folder, so a campaign received from someone else cannot make
    the outputs carry another file of this machine. A missing or refused file is left out."""
    folder = root / SOURCES_FOLDER
    try:
        if folder.is_symlink() or not folder.is_dir():
            return {}
    except OSError:
        return {}
    found = {}
    for name in sorted(names):
        if "/" in name or "\\" in name or name.startswith("."):
            continue  # the model allows none of these; a second guard
        try:
            fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SOURCE_BYTES:
                continue
            with os.fdopen(fd, "rb", closefd=False) as fh:
                found[name] = fh.read(MAX_SOURCE_BYTES + 1)[:MAX_SOURCE_BYTES]
        finally:
            os.close(fd)
    return found
