"""Lossless edits on generated files: many combinations of indentation, list styles, quoting,
comments, CRLF and BOM. link then unlink must give back the file byte for byte, and every edit
must change only what it is about."""

from __future__ import annotations

import difflib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.edit import campaign as edit
from scorecard.load import parse_bytes

DEMANDS = """\
campaign:
  title: Generated
  target: ExampleCorp
demands:
  - {id: D1, title: One, text: First.}
  - {id: D2, title: Two, text: Second.}
  - {id: D3, title: Three, text: Third.}
"""
VERDICTS = ["full", "partial", "promised", "none", "refused"]


def _q(value: str, style: str) -> str:
    return {"plain": value, "single": f"'{value}'", "double": f'"{value}"'}[style]


@st.composite
def responses_file(draw) -> tuple[str, list[set[str]]]:
    indent = draw(st.sampled_from([2, 4]))
    seq_in = draw(st.sampled_from([0, indent]))  # list items indented under their key, or not
    quote = draw(st.sampled_from(["plain", "single", "double"]))
    comments = draw(st.booleans())
    blank = draw(st.booleans())
    lines = ["# generated" if comments else "", "responses:"]
    links: list[set[str]] = []
    for i in range(draw(st.integers(1, 3))):
        base = " " * seq_in
        body = base + "  "
        c = "   # note" if comments else ""
        lines += [
            f"{base}- id: {_q(f'r{i}', quote)}{c}",
            f"{body}date: 2020-07-0{i + 1}",
            f"{body}kind: {_q('policy', quote)}",
            f"{body}summary: {_q('Did it.', quote)}",
        ]
        if comments:
            lines.append(f"{body}# about the sources")
        lines += [f"{body}sources:", f"{body}{' ' * seq_in}- {{title: T, url: 'https://e.org'}}"]
        chosen = draw(st.lists(st.sampled_from(["D1", "D2", "D3"]), unique=True, max_size=2))
        links.append(set(chosen))
        style = draw(st.sampled_from(["block", "flow-items", "flow-list"]))
        if not chosen:
            lines.append(f"{body}addresses: []{c}")
        elif style == "flow-list":
            items = ", ".join(f"{{demand: {d}, verdict: {_q('none', quote)}}}" for d in chosen)
            lines.append(f"{body}addresses: [{items}]{c}")
        else:
            lines.append(f"{body}addresses:{c}")
            for d in chosen:
                dash = f"{body}{' ' * seq_in}- "
                if style == "flow-items":
                    lines.append(f"{dash}{{demand: {d}, verdict: none}}")
                else:
                    lines += [
                        f"{dash}demand: {d}{c}",
                        f"{' ' * len(dash)}verdict: {_q('partial', quote)}",
                    ]
        if blank:
            lines.append("")
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, links


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(responses_file(), st.data())
def test_link_unlink_round_trip_on_generated_files(tmp_path: Path, generated, data) -> None:
    text, links = generated
    root = tmp_path / f"p{abs(hash(text))}"
    root.mkdir(exist_ok=True)
    (root / "demands.yaml").write_text(DEMANDS, encoding="utf-8")
    path = root / "responses.yaml"
    path.write_bytes(text.encode("utf-8"))
    original = path.read_bytes()
    assert parse_bytes(original, "r").problems == []
    i = data.draw(st.integers(0, len(links) - 1))
    free = sorted({"D1", "D2", "D3"} - links[i])
    if free:
        demand = data.draw(st.sampled_from(free))
        verdict = data.draw(st.sampled_from(VERDICTS))
        reason = data.draw(st.sampled_from([None, "Because: yes", "plain words", "it's #1"]))
        edit.link(root, f"r{i}", demand, verdict, reason)
        linked = path.read_bytes()
        new = parse_bytes(linked, "r").data["responses"][i]["addresses"]
        assert new[-1] == {
            "demand": demand,
            "verdict": verdict,
            **({"reason": reason} if reason else {}),
        }
        _only_one_place_changed(original, linked)
        edit.unlink(root, f"r{i}", demand)
        assert path.read_bytes() == original
    if links[i]:
        demand = sorted(links[i])[0]
        edit.link(root, f"r{i}", demand, "refused")
        changed = path.read_bytes()
        assert changed.count(b"\n") == original.count(b"\n")
        _only_one_place_changed(original, changed)
        before = parse_bytes(original, "r").data
        after = parse_bytes(changed, "r").data
        for j, link in enumerate(before["responses"][i]["addresses"]):
            if link["demand"] == demand:
                link["verdict"] = "refused"
                assert after == before, j
    path.write_bytes(original)
    edit.add_response(
        root,
        {
            "id": "new",
            "date": __import__("datetime").date(2021, 1, 1),
            "kind": "other",
            "summary": "Line one.\nLine two: yes",
            "source_title": "T",
            "source_url": "https://example.org/n",
            "addresses": [("D2", "partial", "half")],
        },
    )
    added = path.read_bytes()
    a, b = original.splitlines(keepends=True), added.splitlines(keepends=True)
    ops = [
        op
        for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    assert [op[0] for op in ops] == ["insert"]  # lines added after the last response, only
    trailing_blank = len(a) - len("".join(x.decode() for x in a).rstrip().splitlines())
    assert len(a) - trailing_blank <= ops[0][1] <= len(a)
    data = parse_bytes(added, "r").data["responses"]
    assert data[-1]["summary"] == "Line one.\nLine two: yes\n"
    assert data[-1]["addresses"] == [{"demand": "D2", "verdict": "partial", "reason": "half"}]
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def _only_one_place_changed(old: bytes, new: bytes) -> None:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = [
        op
        for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    assert len(ops) == 1, ops
    assert new.startswith(b"\xef\xbb\xbf") == old.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in new) == (b"\r\n" in old)
    if b"\r\n" in old:
        assert new.count(b"\n") == new.count(b"\r\n")


def test_link_into_an_unindented_empty_list(tmp_path: Path) -> None:
    # the new list copies the indentation of the file's other lists (here: none)
    root = tmp_path / "p"
    root.mkdir()
    (root / "demands.yaml").write_text(DEMANDS, encoding="utf-8")
    (root / "responses.yaml").write_text(
        "responses:\n- id: r0\n  date: 2020-07-01\n  kind: policy\n  summary: x\n"
        "  sources:\n  - {title: T, url: 'https://e.org'}\n  addresses: []\n",
        encoding="utf-8",
    )
    edit.link(root, "r0", "D1", "full")
    assert (
        (root / "responses.yaml")
        .read_text(encoding="utf-8")
        .endswith("  addresses:\n  - demand: D1\n    verdict: full\n")
    )
