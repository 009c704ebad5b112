"""The loader: values stay as typed, and each YAML feature that surprises people is refused with
its line and column."""

from __future__ import annotations

import pytest

from scorecard.load import parse_bytes


def problems(src: bytes) -> list[str]:
    return [str(p) for p in parse_bytes(src, "f.yaml").problems]


def test_scalars_stay_text_and_null_is_none() -> None:
    loaded = parse_bytes(
        b"a: no\nb: off\nc: 010\nd: 1e3\ne: ~\nf:\ng: 'null'\nh: 2020-07-07\n", "f.yaml"
    )
    assert loaded.problems == []
    assert loaded.data == {
        "a": "no",
        "b": "off",
        "c": "010",
        "d": "1e3",
        "e": None,
        "f": None,
        "g": "null",
        "h": "2020-07-07",
    }


def test_positions_of_values_and_keys() -> None:
    loaded = parse_bytes(b"top:\n  items:\n    - id: x\n      n: 1\n", "f.yaml")
    assert loaded.positions[("top", "items", 0, "n")] == (4, 10)
    assert loaded.key_positions[("top", "items", 0, "n")] == (4, 7)
    assert loaded.where(("top", "items", 0, "missing")) == (3, 7)


def test_bom_and_crlf_are_fine() -> None:
    loaded = parse_bytes(b"\xef\xbb\xbfa: 1\r\nb: two words\r\n", "f.yaml")
    assert loaded.problems == [] and loaded.data == {"a": "1", "b": "two words"}


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (
            b"a: 1\nb: 2\na: 3\n",
            "f.yaml:3:1: a: 'a' appears twice in the same mapping (first on line 1)",
        ),
        (b"x:\n  y: 1\n  y: 2\n", "f.yaml:3:3: x.y: 'y' appears twice"),
        (b"a: &anchor 1\n", "f.yaml:1:4: a: '&anchor' is an anchor"),
        (b"a: 1\nb: *a\n", "f.yaml:2:4: b: '*a' is an alias"),
        (
            b"a: !!python/object:os.system x\n",
            "f.yaml:1:4: a: '!!python/object:os.system' is a YAML tag",
        ),
        (b"a: !custom x\n", "f.yaml:1:4: a: '!custom' is a YAML tag"),
        (b"base: {x: 1}\n<<: {y: 2}\n", "f.yaml:2:1: '<<' merge keys are not supported"),
        (b"a: 1\n---\nb: 2\n", "f.yaml:2:1: the file holds more than one YAML document"),
        (b"a:\n\tb: 1\n", "f.yaml:2:1: YAML syntax error"),
        (b"a: b: c\n", "f.yaml:1:5: YAML syntax error"),
        (b"a: \x07\n", "f.yaml:1:4: the file holds a control character (U+0007)"),
        (b"a: x\xff\n", "f.yaml:1:5: byte 0xff is not UTF-8 text"),
        (b"\xff\xfea\x00:\x00 \x001\x00", "f.yaml:1:1: the file is saved as UTF-16"),
        (b"", "f.yaml:1:1: the file is empty"),
        (b"   \n\n", "f.yaml:1:1: the file is empty"),
        (b'a: "\xe2\x80\xaeevil"\n', "f.yaml:1:4: a: the text holds invisible direction-override"),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "the data nests deeper than 40 levels"),
    ],
)
def test_refusals_are_located(src: bytes, expected: str) -> None:
    found = problems(src)
    assert any(expected in p for p in found), found


def test_deep_nesting_of_ten_thousand_levels_is_refused_quickly() -> None:
    found = problems(b"a: " + b"[" * 10_000 + b"]" * 10_000)
    assert len(found) == 1 and "deeper than 40" in found[0]


def test_all_structural_problems_are_reported_together() -> None:
    found = problems(b"a: &x 1\nb: *x\na: 2\n")
    assert len(found) == 3
