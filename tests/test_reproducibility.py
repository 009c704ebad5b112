"""Reproducible builds: two `scorecard build` processes with the same SOURCE_DATE_EPOCH give
byte-identical HTML, JSON and PDF (tagged PDF/A with attachments), whatever else differs
(folder, time zone, locale, hash seed): what lets `scorecard verify` compare PDFs byte for
byte."""

from __future__ import annotations

from pathlib import Path

from conftest import build_process, copy_example


def test_two_builds_give_identical_html_json_and_pdf(built_example, tmp_path: Path) -> None:
    first, _ = built_example
    (tmp_path / "elsewhere").mkdir()
    second = copy_example(tmp_path / "elsewhere" / "copy")
    done = build_process(
        second,  # the same formats: they are recorded in scorecard.json
        env={
            "TZ": "Asia/Tokyo",
            "LC_ALL": "C.UTF-8",
            "LANG": "fr_FR.UTF-8",
            "PYTHONHASHSEED": "12345",
        },
    )
    assert done.returncode == 0, done.stderr
    for name in ("scorecard.html", "scorecard.json", "scorecard.pdf"):
        a = (first / "output" / name).read_bytes()
        b = (second / "output" / name).read_bytes()
        assert len(a) > 10_000
        assert a == b, f"{name} differs between two builds"
    assert b"2023-11-14" in (second / "output" / "scorecard.html").read_bytes(), (
        "generated on comes from SOURCE_DATE_EPOCH"
    )


def test_another_epoch_changes_the_date(built_example, tmp_path: Path) -> None:
    """The comparison above can fail: a different SOURCE_DATE_EPOCH gives a different page."""
    first, _ = built_example
    other = copy_example(tmp_path / "other")
    done = build_process(other, "--format", "html", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert done.returncode == 0, done.stderr
    assert (other / "output" / "scorecard.html").read_bytes() != (
        first / "output" / "scorecard.html"
    ).read_bytes()
