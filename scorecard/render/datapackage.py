"""Data that researchers can load as it is: descriptions of the published data files.

- ``datapackage.json``, a Frictionless Data Package (Table Schema) describing demands.csv,
  responses.csv and targets.csv (publish.csv_files): each column's type and meaning, primary
  keys and foreign keys, so that ``frictionless validate datapackage.json`` checks the files and
  pandas, R or a spreadsheet tool read them with the right types.
- ``metadata.json``, Datasette's metadata for scorecard.sqlite (publish.sqlite_file): titles,
  descriptions, source and license of the database, its tables and their columns. Open it with
  ``datasette scorecard.sqlite --metadata metadata.json``.

Like publish.py, each function takes the documents of render.document and returns
``{file name: bytes}``; nothing here reads files or the network.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Kind, Status
from .data import text as _text

Docs = dict[str, dict[str, Any]]

STATUSES = [s.value for s in Status]
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # a day, a month or a year (see docs/format.md)
SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _name(title: str) -> str:
    """A Data Package name: lower-case letters, digits, '-', '.' and '_'."""
    return re.sub(r"[^a-z0-9._-]+", "-", title.lower()).strip("-._") or "scorecard"


def _license(campaign: dict[str, Any]) -> dict[str, str] | None:
    value = campaign.get("license")
    if not value:
        return None
    if SPDX.match(value):
        return {"name": value, "path": f"https://spdx.org/licenses/{value}.html"}
    return {"title": value}


def _field(name: str, kind: str, description: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "description": description, **more}


def _csv_resource(
    name: str,
    title: str,
    description: str,
    fields: list[dict[str, Any]],
    key: str | list[str],
    foreign: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": [key] if isinstance(key, str) else key,
        "missingValues": [""],
    }
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
            "header": True,
        },
        "schema": schema,
    }


def datapackage(docs: Docs) -> dict[str, bytes]:
    """datapackage.json for the CSV files (their columns as publish.csv_files writes them)."""
    main = next(iter(docs.values()))
    campaign = main["campaign"]
    title = _text(campaign["title"], main)
    targets = main["targets"]
    names = [t["name"] for t in targets]
    cell_note = (
        "Text cells that begin with = + - or @ are written with a ' in front, so that "
        "spreadsheets do not run them as formulas."
    )
    demand_fields = [
        _field(
            "demand", "string", "The demand's id.", constraints={"required": True, "unique": True}
        ),
        _field("group", "string", "The id of the demand's group (empty: none)."),
        _field("title", "string", "The demand's title."),
        _field(
            "made",
            "string",
            "When the demand was made (a day, a month or a year; empty: "
            "when the campaign was launched).",
            constraints={"pattern": DATE},
        ),
    ]
    for name in names:
        demand_fields += [
            _field(
                f"{name} status",
                "string",
                f"The demand's status for {name} as of {main['as_of']}.",
                constraints={"required": True, "enum": STATUSES},
            ),
            _field(
                f"{name} responses",
                "integer",
                f"How many of {name}'s responses address the demand.",
                constraints={"minimum": 0},
            ),
        ]
    response_fields = [
        _field(
            "target",
            "string",
            "The name of the target that responded (targets.csv name).",
            constraints={"required": True, "enum": names},
        ),
        _field(
            "id", "string", "The response's id.", constraints={"required": True, "unique": True}
        ),
        _field(
            "date",
            "string",
            "When the response was made: a day (YYYY-MM-DD), or a month "
            "or a year when only that is known.",
            constraints={"required": True, "pattern": DATE},
        ),
        _field("date_note", "string", "Why the date is uncertain (empty: it is not)."),
        _field(
            "kind",
            "string",
            "What kind of response it is.",
            constraints={"required": True, "enum": [k.value for k in Kind]},
        ),
        _field("speaker", "string", "Who spoke, or the channel."),
        _field("summary", "string", "What was said or done (Markdown)."),
        _field(
            "verdicts",
            "string",
            "The demands it addresses with their verdicts, as 'DEMAND: verdict' separated by '; '.",
        ),
        _field("sources", "string", "The sources' addresses (or titles), one per line."),
        _field(
            "claimed",
            "string",
            "The target's own word for its status on a demand, as "
            "'DEMAND: claim' separated by '; ' (never counted).",
        ),
        _field(
            "reviewed_by",
            "string",
            "Who reviewed each verdict, as 'DEMAND: name' separated by '; '.",
        ),
        _field("title", "string", "A few words naming the response (empty: none given)."),
    ]
    ruling_fields = [
        _field(
            "target",
            "string",
            "The name of the target assessed (targets.csv name).",
            constraints={"required": True, "enum": names},
        ),
        _field("assessment", "string", "The assessment's id.", constraints={"required": True}),
        _field(
            "date",
            "string",
            "When the assessment was made (a day, a month or a year).",
            constraints={"required": True, "pattern": DATE},
        ),
        _field("by", "string", "Who ruled.", constraints={"required": True}),
        _field(
            "demand",
            "string",
            "The demand ruled on (demands.csv demand).",
            constraints={"required": True},
        ),
        _field(
            "status",
            "string",
            "The status the ruling sets from its date on.",
            constraints={"required": True, "enum": STATUSES},
        ),
        _field("reason", "string", "Why."),
        _field(
            "verified",
            "boolean",
            "Whether the assessor could verify the target's claim (empty: not said).",
            trueValues=["yes"],
            falseValues=["no"],
        ),
        _field("reviewed_by", "string", "Who reviewed the ruling."),
        _field("sources", "string", "The assessment's sources, one per line."),
    ]
    target_fields = [
        _field(
            "target", "string", "The target's id.", constraints={"required": True, "unique": True}
        ),
        _field(
            "name", "string", "The target's name.", constraints={"required": True, "unique": True}
        ),
        _field(
            "primary",
            "boolean",
            "Whether this is the campaign's main target.",
            trueValues=["yes"],
            falseValues=["no"],
        ),
        _field("score_percent", "number", "Points as a percentage of the maximum."),
        _field("points", "number", "Points scored (by the campaign's scoring)."),
        _field("max_points", "number", "The most points that could be scored."),
        _field("summary", "string", "The score in words, e.g. '3 of 10 met, 2 partly'."),
        _field(
            "responses",
            "integer",
            "How many responses of this target are counted.",
            constraints={"minimum": 0},
        ),
    ]
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": _name(title),
        "title": title,
        "description": (
            f"Which demands of the campaign '{title}' {campaign['target']} met, as "
            f"of {main['as_of']}: one row per demand, response and target. " + cell_note
        ),
        "created": main["generated_on"],
        "version": main["as_of"],
        "keywords": ["accountability", "scorecard", "demands"],
        "contributors": [{"title": o, "role": "author"} for o in campaign.get("organizers") or []]
        + [{"title": p, "role": "publisher"} for p in [campaign.get("publisher")] if p],
        "sources": [
            {"title": s["title"], **({"path": s["url"]} if s.get("url") else {})}
            for s in campaign.get("sources") or []
        ],
        "resources": [
            _csv_resource(
                "demands",
                "Demands",
                "One row per demand, with each target's status "
                "and the number of its responses addressing it.",
                demand_fields,
                "demand",
            ),
            _csv_resource(
                "responses",
                "Responses",
                "One row per response of every target, "
                "dated and sourced, with its verdicts on the demands.",
                response_fields,
                "id",
                [{"fields": ["target"], "reference": {"resource": "targets", "fields": ["name"]}}],
            ),
            _csv_resource(
                "rulings",
                "Rulings",
                "One row per ruling of the assessor's dated "
                "assessments: the status it sets for a demand from its date on.",
                ruling_fields,
                ["assessment", "demand"],
                [
                    {
                        "fields": ["target"],
                        "reference": {"resource": "targets", "fields": ["name"]},
                    },
                    {
                        "fields": ["demand"],
                        "reference": {"resource": "demands", "fields": ["demand"]},
                    },
                ],
            ),
            _csv_resource(
                "targets", "Targets", "One row per target, with its score.", target_fields, "target"
            ),
        ],
        "scorecard": {
            "generator": main["generator"],
            "as_of": main["as_of"],
            "rule": main["rule"]["id"],
        },
    }
    if campaign.get("url"):
        package["homepage"] = campaign["url"]
    if (lic := _license(campaign)) is not None:
        package["licenses"] = [lic]
    if not package["contributors"]:
        del package["contributors"]
    if not package["sources"]:
        del package["sources"]
    return {"datapackage.json": _json(package)}


TABLES = {
    "campaign": (
        "Campaign",
        (
            "The campaign, one row: its title, target, language, the date the "
            "statuses are taken at (as_of), the rule that makes them, and the whole "
            "scorecard.json document."
        ),
        {
            "as_of": "The date the statuses are taken at.",
            "reviewed": "When the record was last reviewed (campaign.reviewed).",
            "latest_response": "The date of the latest response counted.",
            "latest_ruling": "The date of the latest ruling counted.",
            "rule": "latest: the latest verdict makes the status; best: the best one.",
            "document": "scorecard.json, the whole scorecard as JSON.",
        },
    ),
    "targets": (
        "Targets",
        "The organizations answering the demands, each with its score.",
        {
            "is_primary": "1 for the campaign's main target.",
            "score_percent": "Points as a percentage of the maximum.",
            "summary": "The score in words.",
            "asked": "What was put to the target (JSON: date, demands), if said.",
            "asked_nothing": "1 for a target compared but asked none of the demands.",
        },
    ),
    "demands": (
        "Demands",
        "What the campaign asks.",
        {
            "group_id": "The demand's group.",
            "weight": "How much the demand counts in the score.",
            "due": "The demand's deadline (YYYY-MM-DD), if any.",
            "made": "When the demand was made (a day, a month or a year), if said.",
        },
    ),
    "target_status": (
        "Statuses",
        "Each target's status on each demand.",
        {"status": ", ".join(STATUSES) + "."},
    ),
    "responses": (
        "Responses",
        "What the targets said and did, dated.",
        {
            "date_note": "Why the date is uncertain.",
            "kind": "statement, letter, meeting, ...",
            "summary": "What was said or done (Markdown).",
            "note": "Anything uncertain about the response.",
            "title": "A few words naming the response, if given.",
        },
    ),
    "links": (
        "Verdicts",
        "Which demands each response addresses, and the verdict on each.",
        {
            "verdict": "full, partial, promised, none or refused.",
            "reason": "Why this verdict.",
            "claimed": "The target's own word for its status (never counted).",
            "reviewed_by": "Who reviewed the verdict.",
        },
    ),
    "assessments": (
        "Assessments",
        "The assessor's own dated evaluations.",
        {"by_whom": "Who assessed.", "summary": "What the assessment says (Markdown)."},
    ),
    "rulings": (
        "Rulings",
        (
            "The status each assessment sets for a demand from its date on, "
            "until a later ruling or response."
        ),
        {
            "verified": "1: the assessor verified the target's claim; 0: could not.",
            "reviewed_by": "Who reviewed the ruling.",
        },
    ),
    "sources": (
        "Sources",
        "Where each response is documented.",
        {
            "url": "The source's web address.",
            "seed": "The file name of a source article of the project.",
        },
    ),
    "status_history": (
        "Status history",
        ("Every change of a demand's status, for each target, and the responses that made it."),
        {
            "responses": "The ids of the responses, separated by spaces.",
            "set_by_hand": "1 when the status was set by hand.",
        },
    ),
}


def datasette_metadata(docs: Docs) -> dict[str, bytes]:
    """metadata.json for Datasette: ``datasette scorecard.sqlite --metadata metadata.json``."""
    main = next(iter(docs.values()))
    campaign = main["campaign"]
    title = _text(campaign["title"], main)
    description = (
        f"Which demands of the campaign '{title}' {campaign['target']} met, as of {main['as_of']}."
    )
    if campaign.get("description"):
        description += " " + " ".join(_text(campaign["description"], main).split())
    meta: dict[str, Any] = {
        "title": title,
        "description": description,
        "source": ", ".join(campaign.get("organizers") or []) or title,
        "about": main["generator"],
    }
    if campaign.get("url"):
        meta["source_url"] = campaign["url"]
    lic = _license(campaign)
    if lic:
        meta["license"] = lic.get("name") or lic["title"]
        if lic.get("path"):
            meta["license_url"] = lic["path"]
    meta["databases"] = {
        "scorecard": {
            "title": title,
            "description": description,
            "tables": {
                name: {"title": t, "description": d, "columns": cols}
                for name, (t, d, cols) in TABLES.items()
            },
        }
    }
    return {"metadata.json": _json(meta)}
