"""The cache of parsed YAML: same result as a parse, never stale, and an entry that is corrupt
or forged is ignored, never trusted."""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path

import pytest

from scorecard import cache, load
from scorecard.render.html import Renderer

YAML = b"campaign:\n  title: T\n  target: X\ndemands:\n  - id: D1\n    title: A\n    text: no\n"


def loaded_equal(a: load.Loaded, b: load.Loaded) -> bool:
    return (a.file, a.data, a.positions, a.key_positions, a.problems) == (
        b.file,
        b.data,
        b.positions,
        b.key_positions,
        b.problems,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def write(tmp_path: Path, content: bytes, name: str = "demands.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yamlcache"))


def test_second_load_comes_from_the_cache_and_equals_a_parse(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, YAML)
    first = load.load_file(path, "d.yaml", folder)
    assert len(entries(folder)) == 1
    monkeypatch.setattr(load, "parse_bytes", lambda *a: pytest.fail("parsed again"))
    second = load.load_file(path, "d.yaml", folder)
    assert loaded_equal(first, second)
    assert second.data["demands"][0]["text"] == "no"
    assert second.where(("demands", 0, "text")) == (7, 11)


def test_problems_are_kept_and_named_after_the_file_shown(tmp_path: Path, folder: Path) -> None:
    path = write(tmp_path, b"a: 1\na: 2\n")
    load.load_file(path, "first.yaml", folder)
    again = load.load_file(path, "second.yaml", folder)
    assert [str(p) for p in again.problems] == [
        "second.yaml:2:1: a: 'a' appears twice in the same mapping (first on line 1); keep one of them"
    ]


def test_a_changed_file_is_parsed_again(tmp_path: Path, folder: Path) -> None:
    path = write(tmp_path, YAML)
    load.load_file(path, "d.yaml", folder)
    write(tmp_path, YAML.replace(b"text: no", b"text: yes"))
    assert load.load_file(path, "d.yaml", folder).data["demands"][0]["text"] == "yes"
    assert len(entries(folder)) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored(tmp_path: Path, folder: Path, damage: str) -> None:
    path = write(tmp_path, YAML)
    good = load.load_file(path, "d.yaml", folder)
    entry = entries(folder)[0]
    blob = entry.read_bytes()
    entry.write_bytes(
        {
            "truncate": blob[: len(blob) // 2],
            "flip": blob[:-3] + bytes([blob[-3] ^ 0xFF]) + blob[-2:],
            "garbage": b"\x00\xff" * 100,
            "empty": b"",
        }[damage]
    )
    assert loaded_equal(load.load_file(path, "d.yaml", folder), good)


def test_a_forged_entry_is_not_trusted(tmp_path: Path, folder: Path) -> None:
    """Someone who can write the entry but does not hold the key cannot change the result."""
    path = write(tmp_path, YAML)
    good = load.load_file(path, "d.yaml", folder)
    entry = entries(folder)[0]
    forged = marshal.dumps(({"campaign": "forged"}, {}, {}, []))
    entry.write_bytes(cache.FORMAT + b"\x00" * 32 + forged)
    assert loaded_equal(load.load_file(path, "d.yaml", folder), good)


def test_the_key_is_private_and_a_lost_key_only_costs_a_parse(tmp_path: Path, folder: Path) -> None:
    path = write(tmp_path, YAML)
    good = load.load_file(path, "d.yaml", folder)
    key = folder / cache.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.write_bytes(b"k" * 32)  # a new key: every old entry fails the check
    assert loaded_equal(load.load_file(path, "d.yaml", folder), good)


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = write(tmp_path, YAML)
    assert load.load_file(path, "d.yaml", blocker / "cache").data["campaign"]["title"] == "T"


def test_old_entries_are_pruned(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(6):
        load.load_file(write(tmp_path, YAML + f"# {i}\n".encode()), "d.yaml", folder)
    assert len(entries(folder)) == 3


def test_rendered_markdown_of_another_version_is_dropped(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard.render.markdown import Store

    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    assert cache.default_dir() == folder
    cache.write_entry(folder, "0" * 64 + ".mdcache", {"*old*": "<p>old</p>"})  # an old version's
    os.utime(folder / ("0" * 64 + ".mdcache"), (1, 1))
    store = Store()
    store("*new*")
    store.save()
    assert [p.name for p in folder.glob("*.mdcache")] == [cache.markdown_entry_name()]
    assert Store().known == {"*new*": "<p><em>new</em></p>\n"}


def test_the_cache_lives_outside_the_project_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SCORECARD_CACHE", "")
    assert cache.default_dir() is None
    assert cache.template_cache() is None
    monkeypatch.delenv("SCORECARD_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_dir() == tmp_path / "xdg" / "scorecard"


def test_a_build_fills_the_cache_and_writes_nothing_else_in_the_project(
    runner, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard.cli import cli

    folder = tmp_path / "user-cache"
    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    before = sorted(p.name for p in mini.iterdir())
    for _ in range(2):  # cold, then warm: the same page
        result = runner.invoke(cli, ["build", str(mini), "--format", "html,json"])
        assert result.exit_code == 0, result.output
        page = (mini / "output" / "scorecard.html").read_bytes()
    assert sorted(p.name for p in mini.iterdir()) == sorted([*before, "output"])
    assert sorted(p.name for p in (mini / "output").iterdir()) == [
        "badge.D1.svg",
        "badge.D2.svg",
        "badge.D3.svg",
        "badge.D4.svg",  # per demand
        "badge.svg",
        "evidence.html",
        "feed.xml",
        "scorecard.html",
        "scorecard.json",
    ]
    assert len(entries(folder)) == 2
    assert list((folder / "templates").iterdir())
    assert page == (mini / "output" / "scorecard.html").read_bytes()


def test_compiled_templates_are_only_read_from_a_private_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "c"
    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    assert cache.template_cache() is not None
    assert stat.S_IMODE((folder / "templates").stat().st_mode) == 0o700
    (folder / "templates").chmod(0o777)
    assert cache.template_cache() is None
    assert Renderer().env.bytecode_cache is None


def test_old_entries_are_pruned_by_size(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_BYTES", 1)  # only the newest entry survives
    for i in range(3):
        load.load_file(write(tmp_path, YAML + f"# {i}\n".encode()), "d.yaml", folder)
    assert len(entries(folder)) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_markdown_html_is_reused_only_from_a_signed_entry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rendered Markdown is kept between builds; a forged entry cannot inject markup."""
    from scorecard.render import markdown

    folder = tmp_path / "c"
    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    first = Renderer()
    assert str(first.markdown("**x** <b>")) == "<p><strong>x</strong> &lt;b&gt;</p>\n"
    first.markdown.save()
    name = cache.markdown_entry_name()
    assert cache.read_entry(folder, name) == {"**x** <b>": "<p><strong>x</strong> &lt;b&gt;</p>\n"}

    monkeypatch.setattr(markdown, "markdown", lambda text: pytest.fail("rendered again"))
    assert str(Renderer().markdown("**x** <b>")) == "<p><strong>x</strong> &lt;b&gt;</p>\n"

    body = marshal.dumps({"**x** <b>": "<script>alert(1)</script>"})
    (folder / name).write_bytes(cache.FORMAT + b"\x00" * 32 + body)
    monkeypatch.undo()
    monkeypatch.setenv("SCORECARD_CACHE", str(folder))
    assert str(Renderer().markdown("**x** <b>")) == "<p><strong>x</strong> &lt;b&gt;</p>\n"


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A copy of the bundled example (it has warnings: responses that address no demand)."""
    import shutil

    root = tmp_path / "campaign"
    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "sources", root / "sources")
    for name in ("demands.yaml", "responses.yaml", "assessments.yaml"):
        shutil.copy(repo / name, root / name)
    return root


def validated_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.validcache"))


def test_a_validated_campaign_is_read_back_with_the_same_warnings(
    campaign: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard import validate

    fresh, warned = validate.load_project(campaign)
    assert warned  # the example's responses that address no demand
    assert validate.load_project(campaign, folder) == (fresh, warned)
    assert len(validated_entries(folder)) == 1
    monkeypatch.setattr(validate, "validate", lambda *a, **k: pytest.fail("validated again"))
    project, again = validate.load_project(campaign, folder)
    assert project == fresh and project.inputs == fresh.inputs
    assert project.source_files == fresh.source_files and project.root == campaign
    assert [str(p) for p in again] == [str(p) for p in warned]
    assert project.model_dump(mode="json") == fresh.model_dump(mode="json")
    # each response as the documents write it, read back (given before any look), not dumped
    # again: the same data, in the same order
    stored = project.__dict__["response_data"]
    assert stored == {r.id: r.model_dump(mode="json") for r in fresh.responses}
    assert list(stored) == list(fresh.response_data) == [r.id for r in fresh.responses]
    with pytest.raises(validate.DataError) as strict:
        validate.load_project(campaign, folder, strict=True)
    assert [str(p) for p in strict.value.problems] == [str(p) for p in warned]


def test_a_changed_file_is_validated_again(campaign: Path, folder: Path) -> None:
    from scorecard import validate

    _, before = validate.load_project(campaign, folder)
    responses = campaign / "responses.yaml"
    # a change that moves every line: the warnings must name the new lines
    responses.write_text("# a new first line\n" + responses.read_text("utf-8"), "utf-8")
    project, after = validate.load_project(campaign, folder)
    assert (project, after) == validate.load_project(campaign)
    assert [p.line for p in after] == [p.line + 1 for p in before]
    (campaign / "assessments.yaml").unlink()  # a file gone is a different campaign too
    assert validate.load_project(campaign, folder) == validate.load_project(campaign)
    assert len(validated_entries(folder)) == 3


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_tampered_validated_entry_is_ignored(
    campaign: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    from scorecard import validate

    fresh = validate.load_project(campaign, folder)
    (entry,) = validated_entries(folder)
    blob = entry.read_bytes()
    # change a warning's message, keeping the entry well-formed marshal data
    forged = blob.replace(b"addresses no demand", b"addresses no-demand")
    assert forged != blob
    entry.write_bytes(forged if damage == "flip" else blob[: len(blob) // 2])
    calls = []
    real = validate.validate
    monkeypatch.setattr(validate, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert validate.load_project(campaign, folder) == fresh
    assert calls == [1]  # validated again, not trusted


def test_a_campaign_with_errors_is_not_kept(campaign: Path, folder: Path) -> None:
    from scorecard import validate

    demands = campaign / "demands.yaml"
    demands.write_text(demands.read_text(encoding="utf-8") + "\nbogus: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(validate.DataError, match="not valid"):
            validate.load_project(campaign, folder)
    assert validated_entries(folder) == []


def test_an_input_that_is_not_a_small_regular_file_is_not_read_for_the_cache(
    campaign: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validated cache reads the inputs only as validation would: a file over the size
    limit, or a FIFO (reading it would wait forever), is left to validation to refuse."""
    import os

    from scorecard import load as load_module
    from scorecard import validate

    monkeypatch.setattr(validate, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 10)
    with pytest.raises(validate.DataError, match="not valid"):
        validate.load_project(campaign, folder)
    monkeypatch.undo()
    (campaign / "responses.yaml").unlink()
    os.mkfifo(campaign / "responses.yaml")
    with pytest.raises(validate.DataError, match="not valid"):
        validate.load_project(campaign, folder)
    assert validated_entries(folder) == []
