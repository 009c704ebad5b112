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

from ..errors import DataError, ScorecardError, display
from ..load import NULLS, parse_bytes
from ..model import slug
from ..validate import DEMANDS, RESPONSES, load_project, validate
from ..write import replace_file
from .yamltext import (
    Edit,
    Quotes,
    YamlText,
    append_item,
    block,
    block_value,
    flow,
    insert_lines,
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

    @classmethod
    def open(cls, root: Path) -> CampaignFiles:
        """Read both files once; they must be valid before we edit them. The bytes read here
        are the ones the edit starts from and the ones the file must still hold when it is
        replaced."""
        raw = {}
        for name in (DEMANDS, RESPONSES):
            try:
                raw[name] = (root / name).read_bytes()
            except OSError:
                load_project(root)  # reports the missing or unreadable file, located
                raise
        loaded = [parse_bytes(raw[name], display(root / name)) for name in (DEMANDS, RESPONSES)]
        project, problems = validate(loaded[0], loaded[1], root=root)
        if project is None:
            raise DataError("the campaign data is not valid; fix it before editing",
                            [p for p in problems if p.severity == "error"])
        return cls(root, YamlText(root / DEMANDS, raw[DEMANDS]), YamlText(root / RESPONSES,
                                                                  raw[RESPONSES]))

    def data(self, doc: YamlText) -> Any:
        return parse_bytes(doc.raw, display(doc.path)).data

    def response(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.responses.items("responses")
        for i, item in enumerate(seq.value if seq else []):
            found = self.responses.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = [i for i in _ids(self.data(self.responses), "responses")]
        raise ScorecardError(f"'{ident}' is not a response in {display(self.responses.path)}"
                             f"{_hint(ident, ids)}")

    def demand(self, ident: str) -> tuple[int, yaml.MappingNode]:
        seq = self.demands.items("demands")
        for i, item in enumerate(seq.value if seq else []):
            found = self.demands.entry(item, "id")
            if found and found[1].value == ident:
                return i, item
        ids = _ids(self.data(self.demands), "demands")
        raise ScorecardError(f"'{ident}' is not a demand in {display(self.demands.path)}"
                             f"{_hint(ident, ids)}")

    def commit(self, doc: YamlText, edit: Edit) -> Path:
        """Check the edit and replace the file atomically; returns the path written."""
        new = doc.encode(edit.text)
        shown = display(doc.path)
        loaded = parse_bytes(new, shown)
        if loaded.problems or loaded.data != edit.expected:  # pragma: no cover - a bug
            raise AssertionError(f"the edit of {shown} did not give the data it meant: "
                                 f"{loaded.problems}")
        other = self.responses if doc is self.demands else self.demands
        pair = [loaded, parse_bytes(other.raw, display(other.path))]
        if doc is self.responses:
            pair.reverse()
        _, problems = validate(pair[0], pair[1], root=self.root)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError("the edit would make the campaign data invalid", errors)
        replace_file(doc.path, new, expect=doc.raw)
        return doc.path


def _ids(data: Any, key: str) -> list[str]:
    items = data.get(key) if isinstance(data, dict) else None
    return [i["id"] for i in items or [] if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _hint(value: str, options: list[str]) -> str:
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return f"; did you mean '{guess[0]}'?" if guess else "; see the ids with 'scorecard status'"


# --------------------------------------------------------------------------- the edits


def link(root: Path, response: str, demand: str, verdict: str,
         reason: str | None = None) -> str:
    """Add a link from a response to a demand, or change its verdict (and reason)."""
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
        item = seq.value[j]
        text = doc.text
        edits: list[tuple[int, int, str]] = []
        vnode = doc.entry(item, "verdict")
        if vnode is None:
            raise not_a_list(doc, item, "verdict")  # pragma: no cover - validated before
        same = Quotes(value=vnode[1].style or "")  # the verdict keeps its own quoting
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
        for start, end, new in sorted(edits, reverse=True):
            text = splice(text, start, end, new)
        camp.commit(doc, Edit(text, expected))
        return f"{response} -> {demand}: verdict changed to {verdict}"
    new = {"demand": demand, "verdict": verdict}
    if reason is not None:
        new["reason"] = reason
    links.append(new)
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


def set_status(root: Path, demand: str, status: str | None, reason: str | None = None,
               date: dt.date | None = None) -> str:
    """Set a demand's status by hand, or (status None) clear it."""
    camp = CampaignFiles.open(root)
    doc = camp.demands
    i, node = camp.demand(demand)
    expected = copy.deepcopy(camp.data(doc))
    entry = expected["demands"][i]
    found = doc.entry(node, "status")
    q = doc.quotes(node)
    if status is None:
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
                raise ScorecardError(f"{display(doc.path)}:{knode.start_mark.line + 1}: "
                                     "'status' is the first key of the demand; move it below "
                                     "'id' and run the command again")
            text = splice(doc.text, doc.line_start(knode.start_mark.index),
                           doc.line_after(doc.end(vnode)), "")
        camp.commit(doc, Edit(text, expected))
        return f"{demand}: status set by hand cleared"
    value = {"value": status, "reason": reason or "", "date": (date or dt.date.today())
             .isoformat()}
    entry["status"] = value
    if found:
        knode, vnode = found
        if isinstance(vnode, yaml.MappingNode) and not vnode.flow_style:
            col = vnode.value[0][0].start_mark.column
            new = ":" + doc.nl + doc.lines(block(value, col, q=q))[: -len(doc.nl)]
        else:
            new = f": {flow(value, q)}"
        text = splice(doc.text, knode.end_mark.index, doc.end(vnode), new)
    elif node.flow_style:
        at = doc.end(node.value[-1][1])
        text = splice(doc.text, at, at, f", {q.k('status')}: {flow(value, q)}")
    else:
        col = node.value[0][0].start_mark.column
        lines = [" " * col + f"{q.k('status')}:", *block(value, col + 2, q=q)]
        text = insert_lines(doc, doc.line_after(doc.end(node)), lines)
    camp.commit(doc, Edit(text, expected))
    return f"{demand}: status set by hand to {status} from {value['date']}"


def add_response(root: Path, fields: dict[str, Any]) -> str:
    """Append a response. ``fields``: date (a date), kind, summary, source_title, source_url;
    optional: id, speaker, date_note, quote, quote_by, note, source_publisher, source_date,
    source_lang, addresses (a list of (demand, verdict, reason or None))."""
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
        for d, v, r in fields.get("addresses") or []]
    for link_ in item["addresses"]:
        camp.demand(link_["demand"])
    written = dict(item)
    expected = copy.deepcopy(data) if isinstance(data, dict) else {}
    seq = doc.items("responses")
    found = doc.entry(doc.root, "responses") if isinstance(doc.root, yaml.MappingNode) else None
    if found is None or found[1].tag.endswith(":null") or (
            isinstance(found[1], yaml.ScalarNode) and found[1].value in NULLS):
        raise ScorecardError(f"{display(doc.path)}: holds no 'responses:' list; add the line "
                             "'responses: []' and run the command again")
    if expected.get("responses") is None:
        expected["responses"] = []
    expected["responses"].append(block_value(item))
    separated = bool(seq and len(seq.value) > 1 and _blank_between(doc, seq))
    text = append_item(doc, doc.root, "responses", written, blank_line=separated)
    camp.commit(doc, Edit(text, expected))
    return ident


def _blank_between(doc: YamlText, seq: yaml.SequenceNode) -> bool:
    last, prev = seq.value[-1], seq.value[-2]
    gap = doc.text[doc.line_after(doc.end(prev)):doc.line_start(last.start_mark.index)]
    return any(not line.strip() for line in gap.split("\n")[:-1]) if gap else False
