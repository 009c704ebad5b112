"""Property-based fuzzing (hypothesis) of the loader and of ``scorecard build``: no traceback,
ever; every failure is exit 1 with located ``file:line:col:`` messages and nothing written;
every success writes the outputs.

Deterministic for CI: ``derandomize=True`` draws the same examples on every run, and no example
database is kept.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import yaml
from click.testing import CliRunner
from hostile_helpers import PAGES, pages_issues, tag_counts
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scorecard.cli import cli
from scorecard.errors import Problem
from scorecard.load import Loaded, parse_bytes


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOCATED = re.compile(r"^\S*(demands|responses)\.yaml:\d+:\d+: ")
UNSAFE_IN_MESSAGE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Pieces that YAML (and people) trip over, for text that is almost YAML.
TOKENS = [
    "- ",
    ": ",
    "\n",
    "\r\n",
    "  ",
    "    ",
    "\t",
    "&a ",
    "*a",
    "!!str ",
    "!!python/name:os.system",
    "<<: ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "'",
    '"',
    "# ",
    "---\n",
    "...\n",
    "? ",
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "key",
    "id",
    "D1",
    "demands",
    "responses",
    "campaign",
    "2020-02-30",
    "yes",
    "no",
    "010",
    ".nan",
    "1e999",
    "\\e",
    "\\0",
    "\\ud800",
    "\u202e",
    "\x00",
    "\x07",
    "\x85",
    "\ufeff",
    "é",
    "D\uff11",
    "<script>",
    "~",
    "null",
]


def _check_loaded(loaded: Loaded) -> None:
    assert isinstance(loaded, Loaded)
    for problem in loaded.problems:
        assert isinstance(problem, Problem)
        assert problem.file == "f.yaml" and problem.line >= 1 and problem.column >= 1
        shown = str(problem)
        assert shown.startswith(f"f.yaml:{problem.line}:{problem.column}: ")
        assert not UNSAFE_IN_MESSAGE.search(shown), repr(shown)
    assert _plain(loaded.data), repr(loaded.data)[:200]


def _plain(node: Any) -> bool:
    """Only what the loader promises: mappings with text keys, lists, text and None."""
    if isinstance(node, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in node.items())
    if isinstance(node, list):
        return all(_plain(v) for v in node)
    return node is None or isinstance(node, str)


@fuzz(200)
@given(st.binary(max_size=2_000))
def test_loader_on_arbitrary_bytes(raw: bytes) -> None:
    _check_loaded(parse_bytes(raw, "f.yaml"))


@fuzz(200)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60))
def test_loader_on_yaml_ish_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    _check_loaded(parse_bytes(text.encode("utf-8", "surrogatepass"), "f.yaml"))


# ------------------------------------------------------------------ scorecard build

# Odd but valid text (it must render, escaped), and values that are wrong somewhere.
ODD = [
    "yes",
    "no",
    "~",
    "null",
    "010",
    "0x1F",
    "1e3",
    ".nan",
    "<script>alert(1)</script>",
    "D\uff11",
    "../x",
    "a: b",
    "- x",
    "#x",
    "&a",
    "*a",
    "!!python/name:os.system",
    "'",
    '"',
    "\\",
    "%x",
    "@x",
    "`x`",
    "[x](javascript:alert(1))",
    "![i](file:///etc/passwd)",
    "<img src=x onerror=alert(1)>",
    "x" * 300,
]
BAD = [
    "",
    " ",
    "\u202eevil",
    "\x1b[2J",
    "2020-02-30",
    "2020-13-01",
    "tomorrow",
    "Dl",
    "a/b",
    "-1",
    "1e999",
    "EN",
    "maybe",
]
ID = st.from_regex(r"[A-Za-z0-9]{1,6}(-[A-Za-z0-9]{1,3})?", fullmatch=True)
DATE = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
TEXT = st.one_of(
    st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), min_size=1, max_size=40
    ),
    st.sampled_from(ODD),
)
LOCALIZED = st.one_of(
    TEXT, st.dictionaries(st.sampled_from(["en", "ar", "fr"]), TEXT, min_size=1, max_size=2)
)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(BAD),
    DATE,
    TEXT,
    st.lists(st.sampled_from(BAD), max_size=3),
    st.dictionaries(st.sampled_from(["x", "id", "en"]), st.sampled_from(BAD), max_size=2),
)
SOURCE = st.fixed_dictionaries(
    {"title": TEXT, "url": st.just("https://example.org/a")},
    optional={"publisher": TEXT, "date": DATE},
)


@st.composite
def campaign_data(draw: st.DrawFn) -> tuple[dict, dict]:
    """A valid pair of files, with odd but valid text."""
    groups = draw(
        st.lists(
            st.fixed_dictionaries({"id": ID, "title": LOCALIZED}),
            max_size=3,
            unique_by=lambda g: g["id"],
        )
    )
    group_ids = [g["id"] for g in groups] or ["g1"]
    demands = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ID,
                    "title": LOCALIZED,
                    "text": LOCALIZED,
                    "group": st.sampled_from(group_ids),
                },
                optional={
                    "weight": st.floats(0, 5),
                    "met": LOCALIZED,
                    "due": DATE,
                    "status": st.fixed_dictionaries(
                        {"value": st.sampled_from(["met", "n/a"]), "reason": TEXT, "date": DATE}
                    ),
                },
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda d: d["id"],
        )
    )
    demand_ids = [d["id"] for d in demands]
    responses = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ID,
                    "date": DATE,
                    "kind": st.sampled_from(["statement", "letter", "meeting", "policy", "other"]),
                    "summary": LOCALIZED,
                    "sources": st.lists(SOURCE, min_size=1, max_size=2),
                    "addresses": st.lists(
                        st.fixed_dictionaries(
                            {
                                "demand": st.sampled_from(demand_ids),
                                "verdict": st.sampled_from(
                                    ["full", "partial", "promised", "none", "refused"]
                                ),
                            },
                            optional={"reason": TEXT},
                        ),
                        max_size=3,
                        unique_by=lambda a: a["demand"],
                    ),
                },
                optional={
                    "quote": st.fixed_dictionaries({"text": TEXT, "by": TEXT}),
                    "speaker": TEXT,
                    "note": LOCALIZED,
                },
            ),
            max_size=4,
            unique_by=lambda r: r["id"],
        )
    )
    campaign = draw(
        st.fixed_dictionaries(
            {"title": LOCALIZED, "target": TEXT},
            optional={
                "lang": st.sampled_from(["en", "ar", "no", "fr"]),
                "launched": DATE,
                "organizers": st.lists(TEXT, max_size=2),
                "description": LOCALIZED,
            },
        )
    )
    top = {"campaign": campaign, "groups": groups, "demands": demands}
    if not groups:
        del top["groups"]
        for d in demands:
            d.pop("group", None)
    return top, {"responses": responses}


@functools.cache
def _baseline() -> dict[str, dict[str, int]]:
    """The <script>/<style> count of each clean page (the mini campaign's)."""
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(
            cli, ["build", str(FIXTURES / "mini"), "--out", tmp, "--format", "html"]
        )
        assert result.exit_code == 0, result.output
        return {name: tag_counts((Path(tmp) / name).read_text(encoding="utf-8")) for name in PAGES}


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _paths(v, (*path, i))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """Plausible files with 0-3 random mutations (wrong types, missing and unknown keys), then
    perhaps a change to the text itself (a line dropped, doubled or tab-indented)."""
    data = list(draw(campaign_data()))
    for _ in range(draw(st.integers(0, 3))):
        which = draw(st.integers(0, 1))
        paths = _paths(data[which])[1:]
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent = data[which]
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JUNK)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "verdcit", "<<", "id "]))] = draw(JUNK)
    texts = [yaml.safe_dump(d, allow_unicode=True, sort_keys=False) for d in data]
    if draw(st.integers(0, 3)) == 0:
        which = draw(st.integers(0, 1))
        lines = texts[which].split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "double", "tab", "junk"]))
        if edit == "drop":
            del lines[i]
        elif edit == "double":
            lines.insert(i, lines[i])
        elif edit == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
        else:
            lines.insert(i, "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=5))))
        texts[which] = "\n".join(lines)
    return texts[0], texts[1]


@fuzz(50)
@given(mutated())
def test_build_on_generated_yaml(files: tuple[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "demands.yaml").write_text(files[0], encoding="utf-8")
        (project / "responses.yaml").write_text(files[1], encoding="utf-8")
        result = CliRunner().invoke(cli, ["build", str(project), "--format", "html,json"])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback: the test fails with it
        out = project / "output"
        event(f"exit {result.exit_code}")
        if result.exit_code == 0:
            assert sorted(
                p.name
                for p in out.iterdir()
                if not (  # the badges per demand aside
                    p.name.startswith("badge.") and p.name != "badge.svg"
                )
            ) == ["badge.svg", "evidence.html", "feed.xml", "scorecard.html", "scorecard.json"]
            assert pages_issues(out, _baseline()) == []
            json.loads(
                (out / "scorecard.json").read_text(encoding="utf-8"),
                parse_constant=lambda c: pytest.fail(f"{c} in scorecard.json"),
            )
            return
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert lines[-1].endswith("nothing was written."), result.stderr
        assert lines[:-1], "no problem was listed"
        for line in lines[:-1]:
            assert LOCATED.match(line), f"not located: {line!r}"
        assert not out.exists(), "a failed build wrote something"


# ------------------------------------------------------------------ the editing commands

# Pieces of text that YAML, the loader or the edit's own writer could trip over.
EDIT_PIECES = [
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "  ",
    " ",
    "\t",
    "- id: x",
    "key: value",
    "---",
    "...",
    "# c",
    "'",
    '"',
    "\\",
    "|",
    ">",
    "&a",
    "*a",
    "!!str",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "\x1b",
    "\x00",
    "\u202e",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\udcff",
    "\ufeff",
    "\U0010ffff",
    "é",
    "yes",
    "null",
    "~",
    "2020-01-01",
]
EDIT_TEXT = st.lists(st.one_of(st.sampled_from(EDIT_PIECES), st.text(max_size=6)), max_size=8).map(
    "".join
)


def _read(path: Path) -> Any:
    loaded = parse_bytes(path.read_bytes(), path.name)
    assert loaded.problems == [], [str(p) for p in loaded.problems]
    return loaded.data


def _edit(command: list[str], file: str, change: Any) -> str:
    """Run an editing command on a copy of the mini campaign: exit 0 with the file still valid
    and equal to the old data with ``change`` applied (nothing else differs, and the old lines
    are all still there), or exit 1 with a message and no byte changed. Never a traceback."""
    from scorecard.validate import load_project

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("demands.yaml", "responses.yaml"):
            (project / name).write_bytes((FIXTURES / "mini" / name).read_bytes())
        path = project / file
        if not path.exists():  # assessments.yaml, with one ruling already
            path.write_text(
                "assessments:\n  - id: a0\n    date: 2020-06-02\n    by: Group A\n"
                "    rulings:\n      - demand: D2\n        status: not-addressed\n"
                "        reason: Nothing yet.\n",
                encoding="utf-8",
            )
        old_bytes, old = path.read_bytes(), _read(path)
        result = CliRunner().invoke(
            cli,
            [*command, "-C", str(project)]
            if command[0] != "add-response"
            else [command[0], str(project), *command[1:]],
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback: the test fails with it
        assert "Traceback" not in result.output
        assert "this is a bug" not in result.output, result.output
        if result.exit_code != 0:
            assert result.exit_code == 1, result.output
            assert path.read_bytes() == old_bytes
            assert not UNSAFE_IN_MESSAGE.search(result.stderr.rstrip("\n")), repr(result.stderr)
            return "refused"
        new = _read(path)
        assert new == change(old)
        old_lines = old_bytes.decode().splitlines()
        kept = difflib.SequenceMatcher(
            None, old_lines, path.read_bytes().decode().splitlines(), autojunk=False
        )
        assert all(op in ("equal", "insert") for op, *_ in kept.get_opcodes()), "a line changed"
        load_project(project)  # the campaign is still valid
        return "stored"


def _stored(value: str) -> str:
    """How a value reads back: as given, but a text written as a literal block ends with one
    newline (see scorecard.edit.literal)."""
    from scorecard.edit.yamltext import block_value

    return block_value(value)


@fuzz(150)
@given(EDIT_TEXT)
def test_link_stores_any_reason_or_refuses_it(reason: str) -> None:
    def change(data: dict) -> dict:
        data["responses"][0]["addresses"].append(
            {"demand": "D1", "verdict": "full", "reason": _stored(reason)}
        )
        return data

    event(
        _edit(
            ["link", "r1", "D1", "--verdict", "full", "--reason", reason], "responses.yaml", change
        )
    )


@fuzz(150)
@given(EDIT_TEXT)
def test_set_status_stores_any_reason_or_refuses_it(reason: str) -> None:
    def change(data: dict) -> dict:
        data["assessments"].append(
            {
                "id": "2020-01-01-d1-met",
                "date": "2020-01-01",
                "by": "Group A, Group B",
                "rulings": [{"demand": "D1", "status": "met", "reason": _stored(reason)}],
            }
        )
        return data

    hypothesis.assume(reason)  # an empty --reason is a usage error (exit 2)
    event(
        _edit(
            ["set-status", "D1", "met", "--reason", reason, "--date", "2020-01-01"],
            "assessments.yaml",
            change,
        )
    )


@fuzz(200)
@given(
    st.sampled_from(
        [
            "summary",
            "speaker",
            "source-title",
            "source-publisher",
            "note",
            "quote",
            "date-note",
            "link",
        ]
    ),
    EDIT_TEXT,
)
def test_add_response_stores_any_text_or_refuses_it(option: str, value: str) -> None:
    """One option gets the hostile text; the others are plain."""
    given_ = {"summary": "Said a thing.", "source-title": "Post", option: value}

    def change(data: dict) -> dict:
        link = {"demand": "D1", "verdict": "full"}
        if given_.get("link", "").strip():
            link["reason"] = _stored(given_["link"].strip())
        item = {
            "id": "r9",
            "date": "2020-01-01",
            "kind": "other",
            "summary": _stored(given_["summary"]),
            "sources": [{"title": _stored(given_["source-title"]), "url": "https://example.org/x"}],
            "addresses": [link],
        }
        if given_.get("source-publisher"):
            item["sources"][0]["publisher"] = _stored(given_["source-publisher"])
        for key in ("speaker", "note", "date-note"):
            if given_.get(key):
                item[key.replace("-", "_")] = _stored(given_[key])
        if given_.get("quote"):
            item["quote"] = {"text": _stored(given_["quote"]), "by": "CEO"}
        data["responses"].append(item)
        return data

    hypothesis.assume(given_["summary"] and given_["source-title"])  # else a usage error
    args = [
        "add-response",
        "--id",
        "r9",
        "--date",
        "2020-01-01",
        "--kind",
        "other",
        "--source-url",
        "https://example.org/x",
        "--quote-by",
        "CEO",
        "--link",
        f"D1:full:{given_.pop('link', '')}",
    ]
    for key, text in given_.items():
        args += [f"--{key}", text]
    if option == "link":
        given_["link"] = value
    event(_edit(args, "responses.yaml", change))


# ------------------------------------------------------------------ XML outputs

XML_PIECES = [
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\U0001fffe",
    "\U0010ffff",
    "\x00",
    "\x08",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\ud800",
    "\t",
    "\n",
    "\r",
    "\u2028",
    "]]>",
    "<![CDATA[",
    "<?xml",
    "&amp;",
    "&#0;",
    "&#xFFFE;",
    "<",
    ">",
    "&",
    "'",
    '"',
    "-->",
    "\ufeff",
]


def _escaped(text: str) -> str:
    """A YAML double-quoted scalar that writes every character but plain ASCII as an escape, so
    that any code point can reach the loader (which then accepts it or not)."""
    return (
        '"'
        + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
        + '"'
    )


def _xml_parts(folder: Path) -> dict[str, str]:
    """badge.svg, feed.xml and every <svg> element of the pages."""
    parts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.svg")}
    parts["feed.xml"] = (folder / "feed.xml").read_text(encoding="utf-8")
    for page in folder.glob("*.html"):
        for i, svg in enumerate(
            re.findall(r"<svg\b.*?</svg>", page.read_text(encoding="utf-8"), flags=re.S)
        ):
            parts[f"{page.name} svg {i}"] = svg
    return parts


@fuzz(100)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(XML_PIECES),
            st.text(max_size=5),
            st.text(st.characters(codec="utf-8"), max_size=5),
        ),
        min_size=1,
        max_size=6,
    ).map("".join)
)
def test_xml_outputs_are_well_formed_for_any_text_the_loader_accepts(text: str) -> None:
    import xml.dom.minidom

    demands = (FIXTURES / "mini" / "demands.yaml").read_text(encoding="utf-8")
    responses = (FIXTURES / "mini" / "responses.yaml").read_text(encoding="utf-8")
    value = _escaped(text)
    demands = (
        demands.replace("title: Mini campaign", f"title: {value}")
        .replace("target: ExampleCorp", f"target: {value}")
        .replace("[Group A, Group B]", f"[{value}]")
        .replace("title: Remove hate groups", f"title: {value}")
    )
    responses = responses.replace(
        "summary: Removed **some** groups. See [the post](https://example.org/post).",
        f"summary: {value}",
    )
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "demands.yaml").write_text(demands, encoding="utf-8")
        (project / "responses.yaml").write_text(responses, encoding="utf-8")
        result = CliRunner().invoke(cli, ["build", str(project), "--format", "html"])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        event(f"exit {result.exit_code}")
        if result.exit_code != 0:
            assert result.exit_code == 1, result.output
            return
        parts = _xml_parts(project / "output")
        assert {"badge.svg", "feed.xml"} <= parts.keys() and len(parts) > 2
        for name, part in parts.items():
            try:
                xml.dom.minidom.parseString(part.encode("utf-8"))
            except Exception as exc:  # noqa: BLE001 - expat's errors have no common class
                pytest.fail(f"{name} is not well-formed XML ({exc}) for {text!r}")


# ------------------------------------------------------------------ Markdown through the PDF

MD_PIECES = [
    "*",
    "**",
    "_",
    "__",
    "a*b*",
    "[",
    "]",
    "[a](https://example.org/a)",
    "![i](x.png)",
    "`",
    "> ",
    "- ",
    "  - ",
    "1. ",
    "\n",
    "\n\n",
    "  \n",
    "\\\n",
    "\\",
    "# ",
    "<https://example.org>",
    "word ",
    "averylongwordwithoutanyspace",
    "    code\n",
    "&amp;",
    "---\n",
    "| a | b |\n",
    "\u0645\u0631\u062d\u0628\u0627 ",
]
PDF_SECONDS = 30  # the budget for one build, PDF included


STRUCTURES = {  # n -> a Markdown structure of size n
    "nested emphasis": lambda n: "*" * n + "a" + "*" * n,
    "alternating emphasis": lambda n: "a*b*" * n,
    "spaced emphasis": lambda n: "*a* " * n,
    "nested quotes": lambda n: "> " * n + "a",
    "nested lists": lambda n: "".join("  " * i + "- a\n" for i in range(min(n, 300))),
    "links": lambda n: "[a](https://example.org) " * n,
    "brackets": lambda n: "[" * n,
    "code spans": lambda n: "`a` " * n,
    "hard breaks": lambda n: "a  \n" * n,
}


@st.composite
def markdown_text(draw: st.DrawFn) -> str:
    """Markdown structures, some of them nested or repeated thousands of times, with pieces of
    Markdown between them."""
    parts = draw(
        st.lists(
            st.one_of(
                st.tuples(st.sampled_from(sorted(STRUCTURES)), st.integers(1, 5_000)).map(
                    lambda p: STRUCTURES[p[0]](p[1])
                ),
                st.tuples(st.sampled_from(MD_PIECES), st.integers(1, 50)).map(
                    lambda p: p[0] * p[1]
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return "".join(parts)[:20_000]


@fuzz(12)
@given(markdown_text())
def test_markdown_through_the_pdf_within_its_time_budget(summary: str) -> None:
    import time

    responses = (
        (FIXTURES / "mini" / "responses.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "summary: Removed **some** groups. See [the post](https://example.org/post).",
            f"summary: {json.dumps(summary)}",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "demands.yaml").write_bytes((FIXTURES / "mini" / "demands.yaml").read_bytes())
        (project / "responses.yaml").write_text(responses, encoding="utf-8")
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["build", str(project), "--format", "html,pdf"])
        took = time.monotonic() - start
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback (a RecursionError in WeasyPrint, say)
        assert took < PDF_SECONDS, f"{took:.0f} s for {summary[:200]!r}"
        event(f"exit {result.exit_code}")
        if result.exit_code == 0:
            assert (project / "output" / "scorecard.pdf").read_bytes().startswith(b"%PDF")
            return
        assert result.exit_code == 1, result.output
        assert LOCATED.match(result.stderr), result.stderr
