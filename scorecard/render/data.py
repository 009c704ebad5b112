"""The scorecard's data for researchers: scorecard.json, CSV files and a SQLite database.

Every function takes the documents made by document.py (one per target, primary first, each
carrying the top-level ``targets`` list) and returns ``{file name: bytes}`` for write.py's
atomic write. Nothing here reads files or the network.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any

import orjson

from ..i18n import localized

Docs = dict[str, dict[str, Any]]  # target id -> that target's document, primary first

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(doc: dict[str, Any]) -> str:
    """scorecard.json (and ``scorecard status --format json``)."""
    fast = _json(doc)
    return (
        fast.decode() if fast is not None else json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    )


def json_bytes(doc: dict[str, Any]) -> bytes:
    """scorecard.json as UTF-8: ``to_json(doc).encode()``."""
    fast = _json(doc)
    return fast if fast is not None else to_json(doc).encode()


def _json(doc: dict[str, Any]) -> bytes | None:
    """``doc`` as JSON indented by two spaces, UTF-8, with a final newline, written by orjson
    (Python's json module indents in Python: 0.8 s for 1,000 demands and 10,000 responses,
    against 0.06 s): the same bytes as ``json.dumps(doc, ensure_ascii=False, indent=2)``,
    except a float under 0.0001, written in its shortest form (1e-6, not 1e-06; the same
    number to any JSON reader). None for what orjson refuses (a lone surrogate, an integer
    past 64 bits): json.dumps writes those."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return None


def text(value: Any, doc: dict[str, Any]) -> str:
    """A text of the data in the campaign's language (the data files' language)."""
    lang = doc["campaign"].get("lang", "en")
    return localized(value, lang, lang)[0]


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading = + - @ gets a quote in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8


def _all_responses(docs: Docs) -> list[tuple[str, dict[str, Any]]]:
    return [(tid, r) for tid, doc in docs.items() for r in doc["responses"]]


def _all_assessments(docs: Docs) -> list[tuple[str, dict[str, Any]]]:
    return [(tid, a) for tid, doc in docs.items() for a in doc["assessments"]]


def csv_files(docs: Docs) -> dict[str, bytes]:
    """demands.csv (one row per demand, a status column per target), responses.csv (every
    target's responses), rulings.csv (every ruling of the assessments) and targets.csv (each
    target's score)."""
    main = next(iter(docs.values()))
    targets = main["targets"]
    head = ["demand", "group", "title", "made"]
    for t in targets:
        head += [f"{t['name']} status", f"{t['name']} responses"]
    rows = [head]
    for d in main["demands"]:
        row = [d["id"], d.get("group") or "", text(d["title"], main), d.get("made") or ""]
        for t in targets:
            row += [t["statuses"][d["id"]], len(t["evidence"][d["id"]])]
        rows.append(row)
    scores = [
        [
            "target",
            "name",
            "primary",
            "score_percent",
            "points",
            "max_points",
            "summary",
            "responses",
        ]
    ]
    for t in targets:
        s = t["score"]
        scores.append(
            [
                t["id"],
                t["name"],
                "yes" if t["primary"] else "no",
                s["percent"],
                s["points"],
                s["max_points"],
                s["summary"],
                t["responses"],
            ]
        )
    names = {t["id"]: t["name"] for t in targets}
    responses = [
        [
            "target",
            "id",
            "date",
            "date_note",
            "kind",
            "speaker",
            "summary",
            "verdicts",
            "sources",
            "claimed",
            "reviewed_by",
            "title",
        ]
    ]
    for tid, r in _all_responses(docs):
        verdicts = "; ".join(f"{a['demand']}: {a['verdict']}" for a in r["addresses"])
        sources = "\n".join(s.get("url") or s.get("seed") or s["title"] for s in r["sources"])
        claims = "; ".join(
            f"{a['demand']}: {a['claimed']}" for a in r["addresses"] if a.get("claimed")
        )
        reviewers = "; ".join(
            f"{a['demand']}: {a['reviewed_by']}" for a in r["addresses"] if a.get("reviewed_by")
        )
        responses.append(
            [
                names[tid],
                r["id"],
                r["date"],
                r.get("date_note") or "",
                r["kind"],
                r.get("speaker") or "",
                text(r["summary"], main).strip(),
                verdicts,
                sources,
                claims,
                reviewers,
                text(r["title"], main).strip() if r.get("title") else "",
            ]
        )
    rulings = [
        [
            "target",
            "assessment",
            "date",
            "by",
            "demand",
            "status",
            "reason",
            "verified",
            "reviewed_by",
            "sources",
        ]
    ]
    for tid, a in _all_assessments(docs):
        sources = "\n".join(s.get("url") or s.get("seed") or s["title"] for s in a["sources"])
        for ru in a["rulings"]:
            verified = {True: "yes", False: "no"}.get(ru.get("verified"), "")
            rulings.append(
                [
                    names[tid],
                    a["id"],
                    a["date"],
                    a["by"],
                    ru["demand"],
                    ru["status"],
                    text(ru["reason"], main),
                    verified,
                    ru.get("reviewed_by") or "",
                    sources,
                ]
            )
    return {
        "demands.csv": _csv(rows),
        "responses.csv": _csv(responses),
        "rulings.csv": _csv(rulings),
        "targets.csv": _csv(scores),
    }


SCHEMA = """
CREATE TABLE campaign (title TEXT, target TEXT, lang TEXT, launched TEXT, as_of TEXT,
    rule TEXT, generated_on TEXT, generator TEXT, document TEXT, reviewed TEXT,
    latest_response TEXT, latest_ruling TEXT);
CREATE TABLE targets (id TEXT PRIMARY KEY, name TEXT NOT NULL, is_primary INTEGER NOT NULL,
    url TEXT, score_percent REAL, score_points REAL, max_points REAL, summary TEXT,
    responses INTEGER, asked TEXT, asked_nothing INTEGER);
CREATE TABLE demands (id TEXT PRIMARY KEY, group_id TEXT, title TEXT, text TEXT, weight REAL,
    due TEXT, made TEXT);
CREATE TABLE target_status (target_id TEXT REFERENCES targets(id),
    demand_id TEXT REFERENCES demands(id), status TEXT, PRIMARY KEY (target_id, demand_id));
CREATE TABLE responses (id TEXT PRIMARY KEY, target_id TEXT REFERENCES targets(id),
    date TEXT, date_note TEXT, kind TEXT, speaker TEXT, summary TEXT, note TEXT, title TEXT);
CREATE TABLE links (response_id TEXT REFERENCES responses(id),
    demand_id TEXT REFERENCES demands(id), verdict TEXT, reason TEXT, claimed TEXT,
    reviewed_by TEXT);
CREATE TABLE assessments (id TEXT PRIMARY KEY, target_id TEXT REFERENCES targets(id),
    date TEXT, by_whom TEXT, summary TEXT, note TEXT);
CREATE TABLE rulings (assessment_id TEXT REFERENCES assessments(id),
    demand_id TEXT REFERENCES demands(id), status TEXT, reason TEXT, verified INTEGER,
    reviewed_by TEXT);
CREATE TABLE sources (response_id TEXT REFERENCES responses(id), title TEXT, url TEXT,
    seed TEXT, publisher TEXT, date TEXT, lang TEXT);
CREATE TABLE status_history (target_id TEXT REFERENCES targets(id),
    demand_id TEXT REFERENCES demands(id), date TEXT, from_status TEXT, to_status TEXT,
    responses TEXT, set_by_hand INTEGER);
"""


def sqlite_file(docs: Docs) -> dict[str, bytes]:
    """scorecard.sqlite: the same data as tables (see SCHEMA), for Datasette or any SQL client."""
    main = next(iter(docs.values()))
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        c = main["campaign"]
        db.execute(
            "INSERT INTO campaign VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                text(c["title"], main),
                c["target"],
                c.get("lang"),
                c.get("launched"),
                main["as_of"],
                main["rule"]["id"],
                main["generated_on"],
                main["generator"],
                json.dumps(main, ensure_ascii=False),
                main["reviewed"],
                main["latest_response"],
                main["latest_ruling"],
            ),
        )
        for t in main["targets"]:
            s = t["score"]
            db.execute(
                "INSERT INTO targets VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    t["id"],
                    t["name"],
                    int(t["primary"]),
                    t["url"],
                    s["percent"],
                    s["points"],
                    s["max_points"],
                    s["summary"],
                    t["responses"],
                    json.dumps(t["asked"]) if t["asked"] else None,
                    int(t["asked_nothing"]),
                ),
            )
            db.executemany(
                "INSERT INTO target_status VALUES (?,?,?)",
                [(t["id"], d, st) for d, st in t["statuses"].items()],
            )
            db.executemany(
                "INSERT INTO status_history VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        t["id"],
                        ch["demand"],
                        ch["date"],
                        ch["from"],
                        ch["to"],
                        " ".join(ch["responses"]),
                        int(ch["set_by_hand"]),
                    )
                    for ch in t["changes"]
                ],
            )
        db.executemany(
            "INSERT INTO demands VALUES (?,?,?,?,?,?,?)",
            [
                (
                    d["id"],
                    d.get("group"),
                    text(d["title"], main),
                    text(d["text"], main),
                    d["weight"],
                    d.get("due"),
                    d.get("made"),
                )
                for d in main["demands"]
            ],
        )
        for tid, a in _all_assessments(docs):
            db.execute(
                "INSERT INTO assessments VALUES (?,?,?,?,?,?)",
                (
                    a["id"],
                    tid,
                    a["date"],
                    a["by"],
                    text(a["summary"], main).strip() if a.get("summary") else None,
                    text(a["note"], main).strip() if a.get("note") else None,
                ),
            )
            db.executemany(
                "INSERT INTO rulings VALUES (?,?,?,?,?,?)",
                [
                    (
                        a["id"],
                        ru["demand"],
                        ru["status"],
                        text(ru["reason"], main),
                        None if ru.get("verified") is None else int(ru["verified"]),
                        ru.get("reviewed_by"),
                    )
                    for ru in a["rulings"]
                ],
            )
        for tid, r in _all_responses(docs):
            db.execute(
                "INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    r["id"],
                    tid,
                    r["date"],
                    r.get("date_note"),
                    r["kind"],
                    r.get("speaker"),
                    text(r["summary"], main).strip(),
                    text(r["note"], main).strip() if r.get("note") else None,
                    text(r["title"], main).strip() if r.get("title") else None,
                ),
            )
            db.executemany(
                "INSERT INTO links VALUES (?,?,?,?,?,?)",
                [
                    (
                        r["id"],
                        a["demand"],
                        a["verdict"],
                        text(a["reason"], main) if a.get("reason") else None,
                        a.get("claimed"),
                        a.get("reviewed_by"),
                    )
                    for a in r["addresses"]
                ],
            )
            db.executemany(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        r["id"],
                        s["title"],
                        s.get("url"),
                        s.get("seed"),
                        s.get("publisher"),
                        s.get("date"),
                        s.get("lang"),
                    )
                    for s in r["sources"]
                ],
            )
        db.commit()
        return {"scorecard.sqlite": db.serialize()}
    finally:
        db.close()
