"""The evidence pages of a page: which responses and rulings each holds, planned once per
document and language-free. The evidence page holds three parts in order (the responses that
addressed the demands, those that addressed none, the rulings); a large one is cut into pages of
EVIDENCE_PER_PAGE entries, in that order. html.py names the pages (render.evidence_name), links
each response and ruling to the page that holds it (``where``) and renders each page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Responses and rulings per evidence page. At the benchmark's 1.7 KB of HTML an entry, 1,000 make
# a page of about 1.7 MB, which a phone opens; a campaign of fewer keeps its one evidence page.
EVIDENCE_PER_PAGE = 1000

PARTS = ("register", "unlinked", "assessments")  # the parts' ids on the page, in order


@dataclass(frozen=True)
class Held:
    """What a page holds of one part: the entries (responses or rulings, as in the document)
    and the first and last of their dates."""

    part: str
    entries: tuple[dict[str, Any], ...]
    first: str
    last: str


@dataclass(frozen=True)
class EvidencePage:
    number: int  # from 1
    parts: tuple[str, ...]  # the parts shown on it, in order (a part with no entry is shown too)
    held: tuple[Held, ...]  # what it holds of each part that has entries on it

    def entries(self, part: str) -> tuple[dict[str, Any], ...]:
        return next((h.entries for h in self.held if h.part == part), ())


@dataclass(frozen=True)
class Plan:
    pages: tuple[EvidencePage, ...]
    # "r-ID" (a response) and "a-ID" (a ruling) -> the number of the page that holds it
    where: dict[str, int]
    # each part -> the number of the page where it starts
    starts: dict[str, int]


def plan(doc: dict[str, Any], per_page: int | None = EVIDENCE_PER_PAGE) -> Plan:
    """The evidence pages of a document, ``per_page`` entries each (at least one page; None:
    one page)."""
    unlinked = set(doc.get("unlinked_responses") or ())
    by_id = {r["id"]: r for r in doc["responses"]}
    parts = {
        "register": [r for r in doc["responses"] if r["id"] not in unlinked],
        "unlinked": [by_id[rid] for rid in doc.get("unlinked_responses") or () if rid in by_id],
        "assessments": list(doc.get("assessments") or ()),
    }
    total = sum(len(entries) for entries in parts.values())
    per_page = max(1, per_page or total)
    count = max(1, -(-total // per_page))
    held: list[list[Held]] = [[] for _ in range(count)]
    shown: list[list[str]] = [[] for _ in range(count)]
    where: dict[str, int] = {}
    starts: dict[str, int] = {}
    at = 0  # entries before this part
    for part in PARTS:
        entries = parts[part]
        prefix = "a-" if part == "assessments" else "r-"
        starts[part] = min(at // per_page, count - 1) + 1
        if not entries:  # said on the page where it would start ("None: ...")
            shown[starts[part] - 1].append(part)
        for i in range(at // per_page, count):
            lo, hi = max(at, i * per_page) - at, min(at + len(entries), (i + 1) * per_page) - at
            if lo >= hi:
                continue
            chunk = tuple(entries[lo:hi])
            dates = sorted(e["date"] for e in chunk)
            held[i].append(Held(part, chunk, dates[0], dates[-1]))
            shown[i].append(part)
            for e in chunk:
                where[prefix + e["id"]] = i + 1
        at += len(entries)
    pages = tuple(EvidencePage(n + 1, tuple(shown[n]), tuple(held[n])) for n in range(count))
    return Plan(pages, where, starts)
