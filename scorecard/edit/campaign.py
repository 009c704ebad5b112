"""The edits of a campaign from the command line: add a response, link or unlink it, set a status
by hand. Each says what to change; edit/yamltext.py changes only those characters of the file.

Every edit is checked three ways before the file is replaced: the new text must parse to exactly
the data the edit meant (else it is a bug, raised as AssertionError), the whole project must
validate (else DataError, nothing written), and the file on disk must still hold the bytes that
were read (else ScorecardError: someone saved it meanwhile). The write itself is atomic
(write.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, ScorecardError, display, printable
from ..load import NULLS, parse_bytes
from ..model import slug
from ..validate import ASSESSMENTS, DEMANDS, RESPONSES, load_project, validate
from ..write import replace_file
from .yamltext import (
    Edit,
    Quotes,
    YamlText,
    append_item,
    block_value,
    check_values,
    not_a_list,
    remove_item,
    splice,
)

# --------------------------------------------------------------------------- the project


@dataclass
class CampaignFiles:
    root: Path
    demands: YamlText
    responses: YamlText
    assessments: YamlText | None = None  # None: the campaign has no assessments.yaml yet

    @classmethod
    def open(cls, root: Path) -> CampaignFiles:
        """Read the files once; they must be valid before we edit them. The bytes read here
        are the ones the edit starts from and the ones the file must still hold when it is
        replaced."""
        raw = {}
        for name in (DEMANDS, RESPONSES, ASSESSMENTS):
            try:
                raw[name] = (root / name).read_bytes()
            except FileNotFoundError:
                if name == ASSESSMENTS:
                    continue
                load_project(root)  # reports the missing or unreadable file, located
                raise
            except OSError:
                load_project(root)
                raise
        loaded = {name: parse_bytes(data, display(root / name)) for name, data in raw.items()}
        project, problems = validate(
            loaded[DEMANDS], loaded[RESPONSES], root=root, assessments=loaded.get(ASSESSMENTS)
        )
        if project is None:
            raise DataError(
                "the campaign data is not valid; fix it before editing",
                [p for p in problems if p.severity == "error"],
            )
        texts = {name: YamlText(root / name, data) for name, data in raw.items()}
        return cls(root, texts[DEMANDS], texts[RESPONSES], texts.get(ASSESSMENTS))

    def data(self, doc: YamlText) -> Any:
        return parse_bytes(doc.raw, display(doc.path)).data

    def response(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.responses.items("responses")
        for i, item in enumerate(seq.value if seq else []):
            found = self.responses.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = [i for i in _ids(self.data(self.responses), "responses")]
        raise ScorecardError(
            f"'{printable(ident, 200)}' is not a response in "
            f"{display(self.responses.path)}{printable(_hint(ident, ids))}"
        )

    def demand(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.demands.items("demands")
        for i, item in enumerate(seq.value if seq else []):
            found = self.demands.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = _ids(self.data(self.demands), "demands")
        raise ScorecardError(
            f"'{printable(ident, 200)}' is not a demand in "
            f"{display(self.demands.path)}{printable(_hint(ident, ids))}"
        )

    def commit(self, doc: YamlText, edit: Edit) -> Path:
        """Check the edit and replace the file atomically; returns the path written."""
        new = doc.encode(edit.text)
        shown = display(doc.path)
        loaded = parse_bytes(new, shown)
        if loaded.problems or loaded.data != edit.expected:  # pragma: no cover - a bug
            raise ScorecardError(
                f"{shown}: this edit cannot be written so that the file reads "
                "back exactly as meant (this is a bug in scorecard: please "
                "report it with the command you ran); nothing was written"
            )
        files = {
            f.path.name: (loaded if f is doc else parse_bytes(f.raw, display(f.path)))
            for f in (self.demands, self.responses, self.assessments)
            if f is not None
        }
        files.setdefault(doc.path.name, loaded)
        _, problems = validate(
            files[DEMANDS], files[RESPONSES], root=self.root, assessments=files.get(ASSESSMENTS)
        )
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError("the edit would make the campaign data invalid", errors)
        if any(doc is f for f in (self.demands, self.responses, self.assessments)):
            replace_file(doc.path, new, expect=doc.raw)
        elif doc.path.exists():  # a new file, and someone made one meanwhile
            raise ScorecardError(
                f"{display(doc.path)} was made by someone else while this edit "
                "was being made; nothing was written: run the command again"
            )
        else:
            replace_file(doc.path, new)
        return doc.path


def _ids(data: Any, key: str) -> list[str]:
    items = data.get(key) if isinstance(data, dict) else None
    return [i["id"] for i in items or [] if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _hint(value: str, options: list[str]) -> str:
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return f"; did you mean '{guess[0]}'?" if guess else "; see the ids with 'scorecard status'"


# --------------------------------------------------------------------------- the edits


def link(root: Path, response: str, demand: str, verdict: str, reason: str | None = None) -> str:
    """Add a link from a response to a demand, or change its verdict (and reason)."""
    check_values({"RESPONSE": response, "DEMAND": demand, "--reason": reason})
    camp = CampaignFiles.open(root)
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
        assert isinstance(seq, yaml.SequenceNode)  # the data has this link: so has the text
        item = seq.value[j]
        text = doc.text
        edits: list[tuple[int, int, str]] = []
        vnode = doc.entry(item, "verdict")
        if vnode is None:
            raise not_a_list(doc, item, "verdict")  # pragma: no cover - validated before
        same = Quotes(value=getattr(vnode[1], "style", None) or "")  # keeps its own quoting
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
        for start, end, replacement in sorted(edits, reverse=True):
            text = splice(text, start, end, replacement)
        camp.commit(doc, Edit(text, expected))
        return f"{response} -> {demand}: verdict changed to {verdict}"
    new: dict[str, Any] = {"demand": demand, "verdict": verdict}
    if reason is not None:
        new["reason"] = reason
    links.append(block_value(new))
    camp.commit(doc, Edit(append_item(doc, node, "addresses", new), expected))
    return f"{response} -> {demand}: linked, verdict {verdict}"


def unlink(root: Path, response: str, demand: str) -> str:
    camp = CampaignFiles.open(root)
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


NEW_ASSESSMENTS = """\
# assessments.yaml: the campaign's own dated rulings on the demands (see docs/format.md).
# Each ruling sets a demand's status from its date on, until a later ruling or response.
assessments: []
"""


def set_status(
    root: Path,
    demand: str,
    status: str | None,
    reason: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    target: str | None = None,
) -> str:
    """Rule on a demand's status: append a dated ruling to assessments.yaml (made when
    missing), so that the history of statuses set by hand is kept. ``status`` None clears the
    older form, a ``status:`` written on the demand in demands.yaml."""
    check_values({"DEMAND": demand, "--reason": reason, "--by": by, "--target": target})
    if status is None:
        return _clear_status(root, demand)
    camp = CampaignFiles.open(root)
    i, _ = camp.demand(demand)  # it exists, or a located "did you mean"
    day = (date or dt.date.today()).isoformat()
    demands = camp.data(camp.demands)
    organizers = demands["campaign"].get("organizers") or []
    who = by or (", ".join(organizers) if organizers else "the campaign")
    # A status written on the demand itself would override every ruling: it becomes the first
    # ruling of its own date, so that its history is kept, and leaves demands.yaml.
    older = demands["demands"][i].get("status")
    rulings = (
        [
            (
                {"date": str(older["date"]), "by": "set by hand in demands.yaml"},
                {
                    "demand": demand,
                    "status": str(older["value"]),
                    "reason": older.get("reason") or "",
                },
            )
        ]
        if isinstance(older, dict)
        else []
    )
    rulings.append(
        (
            {"date": day, "by": who},
            {"demand": demand, "status": str(status), "reason": reason or ""},
        )
    )
    doc = camp.assessments or YamlText(root / ASSESSMENTS, NEW_ASSESSMENTS.encode())
    if not isinstance(doc.root, yaml.MappingNode) or doc.entry(doc.root, "assessments") is None:
        raise ScorecardError(
            f"{display(doc.path)}: holds no 'assessments:' list; add the line "
            "'assessments: []' and run the command again"
        )
    data = parse_bytes(doc.raw, display(doc.path)).data
    expected = copy.deepcopy(data) if isinstance(data, dict) else {}
    if expected.get("assessments") is None:
        expected["assessments"] = []
    taken = set(_ids(expected, "assessments"))
    made = []
    original = doc
    for head, ruling in rulings:
        words = (
            head["date"],
            slug(demand, fallback="demand"),
            slug(ruling["status"], fallback="status"),
        )
        base = ident = "-".join(words)
        n = 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        taken.add(ident)
        item: dict[str, Any] = {"id": ident, **head}
        if target:
            item["target"] = target
        item["rulings"] = [ruling]
        seq = doc.items("assessments")
        separated = bool(seq and len(seq.value) > 1 and _blank_between(doc, seq))
        expected["assessments"].append(block_value(item))
        assert isinstance(doc.root, yaml.MappingNode)  # checked above
        text = append_item(doc, doc.root, "assessments", item, blank_line=separated)
        doc = YamlText(doc.path, doc.encode(text))
        made.append(ident)
    camp.commit(original, Edit(doc.text, expected))
    if isinstance(older, dict):
        _clear_status(root, demand)
        return (
            f"{demand}: ruled {status} from {day} ({made[-1]} in {ASSESSMENTS}); its status "
            f"set by hand in {DEMANDS} is now the ruling {made[0]}"
        )
    return f"{demand}: ruled {status} from {day} ({made[-1]} in {ASSESSMENTS})"


def _clear_status(root: Path, demand: str) -> str:
    """Remove the ``status:`` written on a demand (the older way to set a status by hand)."""
    camp = CampaignFiles.open(root)
    doc = camp.demands
    i, node = camp.demand(demand)
    expected = copy.deepcopy(camp.data(doc))
    entry = expected["demands"][i]
    found = doc.entry(node, "status")
    if not found:
        raise ScorecardError(f"'{demand}' has no status set by hand; nothing to clear")
    del entry["status"]
    knode, vnode = found
    if node.flow_style:
        keys = [k for k, _ in node.value]
        at = keys.index(knode)
        start = doc.end(node.value[at - 1][1]) if at else knode.start_mark.index
        end = doc.end(vnode) if at else node.value[1][0].start_mark.index
        text = splice(doc.text, start, end, "")
    else:
        if not doc.blank_before(knode.start_mark.index):
            raise ScorecardError(
                f"{display(doc.path)}:{knode.start_mark.line + 1}: "
                "'status' is the first key of the demand; move it below "
                "'id' and run the command again"
            )
        text = splice(
            doc.text, doc.line_start(knode.start_mark.index), doc.line_after(doc.end(vnode)), ""
        )
    camp.commit(doc, Edit(text, expected))
    return f"{demand}: status set by hand cleared"


def add_response(root: Path, fields: dict[str, Any]) -> str:
    """Append a response. ``fields``: date (a date), kind, summary, source_title, source_url;
    optional: id, speaker, title, date_note, quote, quote_by, note, source_publisher, source_date,
    source_lang, addresses (a list of (demand, verdict, reason or None))."""
    check_values(
        {
            "--link" if key == "addresses" else f"--{key.replace('_', '-')}": value
            for key, value in fields.items()
        }
    )
    for _, _, reason in fields.get("addresses") or []:
        check_values({"--link": reason})
    camp = CampaignFiles.open(root)
    doc = camp.responses
    data = camp.data(doc)
    date = fields["date"]
    words = slug(fields["summary"], words=5, fallback="response")
    ident = fields.get("id") or f"{date.isoformat()}-{words}"
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
    if fields.get("title"):
        item["title"] = fields["title"]
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
        for d, v, r in fields.get("addresses") or []
    ]
    for link_ in item["addresses"]:
        camp.demand(link_["demand"])
    written = dict(item)
    expected = copy.deepcopy(data) if isinstance(data, dict) else {}
    seq = doc.items("responses")
    found = doc.entry(doc.root, "responses") if isinstance(doc.root, yaml.MappingNode) else None
    if (
        found is None
        or found[1].tag.endswith(":null")
        or (isinstance(found[1], yaml.ScalarNode) and found[1].value in NULLS)
    ):
        raise ScorecardError(
            f"{display(doc.path)}: holds no 'responses:' list; add the line "
            "'responses: []' and run the command again"
        )
    if expected.get("responses") is None:
        expected["responses"] = []
    expected["responses"].append(block_value(item))
    separated = bool(seq and len(seq.value) > 1 and _blank_between(doc, seq))
    assert isinstance(doc.root, yaml.MappingNode)  # checked above
    text = append_item(doc, doc.root, "responses", written, blank_line=separated)
    camp.commit(doc, Edit(text, expected))
    return ident


def _blank_between(doc: YamlText, seq: yaml.SequenceNode) -> bool:
    last, prev = seq.value[-1], seq.value[-2]
    gap = doc.text[doc.line_after(doc.end(prev)) : doc.line_start(last.start_mark.index)]
    return any(not line.strip() for line in gap.split("\n")[:-1]) if gap else False
