"""Data researchers can load as it is: datapackage.json (a Frictionless Data Package) beside
the CSV files, checked with `frictionless validate`, and metadata.json beside scorecard.sqlite,
loaded by Datasette itself (its in-process client: no server, no network)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scorecard.build import build

ROOT = Path(__file__).resolve().parent.parent


def frictionless(package: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(package.name)],
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.stdout, run.stderr
    return json.loads(run.stdout)


def errors(report: dict) -> list[tuple[str, str | None]]:
    return [(e["type"], e.get("fieldName")) for t in report["tasks"] for e in t["errors"]]


@pytest.fixture
def built(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    text = (
        (mini / "demands.yaml")
        .read_text()
        .replace(
            "  lang: en\n", "  lang: en\n  license: CC-BY-4.0\n  url: https://example.org/mini/\n"
        )
    )
    (mini / "demands.yaml").write_text(text)
    build(mini, out, formats=("csv", "sqlite"))
    return out


def test_the_package_describes_the_csv_files_and_validates(built: Path) -> None:
    package = json.loads((built / "datapackage.json").read_text())
    assert [r["path"] for r in package["resources"]] == [
        "demands.csv",
        "responses.csv",
        "rulings.csv",
        "targets.csv",
    ]
    assert package["name"] == "mini-campaign" and package["title"] == "Mini campaign"
    assert package["licenses"] == [
        {"name": "CC-BY-4.0", "path": "https://spdx.org/licenses/CC-BY-4.0.html"}
    ]
    assert package["homepage"] == "https://example.org/mini/"
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["demands"]["primaryKey"] == ["demand"]
    assert schemas["responses"]["primaryKey"] == ["id"]
    assert schemas["targets"]["primaryKey"] == ["target"]
    assert schemas["responses"]["foreignKeys"] == [
        {"fields": ["target"], "reference": {"resource": "targets", "fields": ["name"]}}
    ]
    assert schemas["rulings"]["primaryKey"] == ["assessment", "demand"]
    dates = {f["name"]: f for f in schemas["responses"]["fields"]}["date"]
    assert dates["constraints"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"  # month dates too
    assert {f["name"]: f["type"] for f in schemas["targets"]["fields"]}["primary"] == "boolean"
    # every column of every file is described, in order
    for resource in package["resources"]:
        header = (built / resource["path"]).read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
    report = frictionless(built / "datapackage.json")
    assert report["valid"], errors(report)


def test_frictionless_catches_a_wrong_cell(built: Path) -> None:
    """The types and keys are checked, not just read: a bad status, a bad count, a duplicate
    id and an unknown target are each reported."""
    demands = (
        (built / "demands.csv")
        .read_bytes()
        .replace(
            b"D2,accountability,Independent audits,,not-addressed,1",
            b"D2,accountability,Independent audits,,bogus,many",
        )
    )
    (built / "demands.csv").write_bytes(demands)
    lines = (built / "responses.csv").read_bytes().split(b"\r\n")
    lines.append(lines[1])  # the same response twice
    lines.append(lines[1].replace(b"ExampleCorp", b"Nobody", 1))
    (built / "responses.csv").write_bytes(b"\r\n".join(lines))
    found = set(errors(frictionless(built / "datapackage.json")))
    assert ("constraint-error", "ExampleCorp status") in found
    assert ("type-error", "ExampleCorp responses") in found
    assert any(kind == "primary-key" for kind, _ in found)
    assert any(kind == "foreign-key" for kind, _ in found)


def test_several_targets(tmp_path: Path) -> None:
    from scorecard.init import init

    folder = tmp_path / "multi"
    init(folder, "Two targets", "Alpha")
    text = (folder / "demands.yaml").read_text()
    text += "targets:\n  - id: alpha\n    name: Alpha\n  - id: beta\n    name: Beta Inc\n"
    (folder / "demands.yaml").write_text(text)
    build(folder, tmp_path / "out", formats=("csv",))
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields[4:] == [
        "Alpha status",
        "Alpha responses",
        "Beta Inc status",
        "Beta Inc responses",
    ]
    report = frictionless(tmp_path / "out" / "datapackage.json")
    assert report["valid"], errors(report)


def test_datasette_metadata_matches_the_database(built: Path) -> None:
    meta = json.loads((built / "metadata.json").read_text())
    assert meta["title"] == "Mini campaign"
    assert meta["license"] == "CC-BY-4.0"
    assert meta["license_url"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert meta["source"] == "Group A, Group B"
    assert meta["source_url"] == "https://example.org/mini/"
    assert "ExampleCorp" in meta["description"]
    tables = meta["databases"]["scorecard"]["tables"]
    db = sqlite3.connect(built / "scorecard.sqlite")
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(tables) == names  # every table described, none invented
        for table, spec in tables.items():
            columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
            assert set(spec["columns"]) <= columns, table
            assert spec["title"] and spec["description"]
    finally:
        db.close()


def test_datasette_opens_it(built: Path) -> None:
    """What the README's command does: Datasette with the database and the metadata."""
    from datasette.app import Datasette

    async def pages() -> tuple:
        ds = Datasette(
            files=[str(built / "scorecard.sqlite")],
            metadata=json.loads((built / "metadata.json").read_text()),
        )
        home = await ds.client.get("/")
        table = await ds.client.get("/scorecard/demands")
        rows = await ds.client.get("/scorecard/target_status.json?_shape=array")
        return home, table, rows

    home, table, rows = asyncio.run(pages())
    assert home.status_code == 200 and "Mini campaign" in home.text
    assert "CC-BY-4.0" in home.text
    assert table.status_code == 200 and "What the campaign asks." in table.text
    assert {r["demand_id"] for r in rows.json()} == {"D1", "D2", "D3", "D4"}


def test_readme_shows_the_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "datasette scorecard.sqlite --metadata metadata.json" in readme
    assert "frictionless validate datapackage.json" in readme
