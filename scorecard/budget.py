"""A budget for the rendering of untrusted text, checked before any page or PDF is made.

Markdown is cheap to parse but some shapes are dear to lay out: WeasyPrint took 54 s over a
20 KB summary of alternating emphasis (``a*b*`` repeated: 5,000 elements in one unbreakable
word) and crashed with a RecursionError on 1 KB of nested emphasis (``*`` x500, ``a``, ``*``
x500); markdown-it itself spends ~15 microseconds on every ``[`` or ``![`` (20 MB of ``[[[[``:
minutes). So:

- each Markdown field (campaign description and note, demand texts, response summaries, in
  every language) may nest at most MAX_NESTING levels (markdown-it's own ``maxNesting``) and
  hold at most MAX_INLINE inline elements (emphasis, links, code, line breaks);
- all the Markdown of a campaign together may hold at most MAX_TOTAL_MARKUP characters that can
  open an inline element (counted without parsing, so that a hostile file costs nothing);
- the text the page shows may total at most MAX_SHOWN_TEXT characters, counting a response's
  text once more for each demand it addresses (the page and the feed repeat it there: one
  20 KB summary linked to 5,000 demands made a 111 MB page from a 0.4 MB file);
- each PDF report may weigh at most MAX_PDF_WEIGHT (its elements, inline ones three times, plus
  a 25th of its text characters), checked on the HTML before WeasyPrint sees it; the reports
  of one build (one per target and language) together at most MAX_PDF_REPORTS times that.
  Each report is laid out alone, in parts of bounded size (render/pdf.py), so the weight
  bounds the time; memory stays bounded by the part.

Limits are per campaign, not per build: the same files always build or always fail (a build in
more languages or for more targets may meet the bound on the total).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .errors import Problem, ScorecardError
from .load import Loaded, Path_

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_NESTING = 20  # levels of blocks and inline elements in one field (markdown-it's default)
MAX_INLINE = 100  # inline elements in one field
MAX_TOTAL_MARKUP = 250_000  # characters that can open an inline element, in all the Markdown
MAX_SHOWN_TEXT = 40_000_000  # characters of text shown, a response's once per demand + once
MAX_PDF_WEIGHT = 125_000  # one report: elements of its HTML (inline ones x3) + characters / 25
MAX_PDF_REPORTS = 4  # all the reports of a build together: this many times MAX_PDF_WEIGHT
PDF_RATE = 1_300  # weight laid out per second (BENCHMARKS.md; emphasis-heavy text: less)
# The characters an inline element (or a nesting level) needs at least one of: a field with
# fewer than MAX_NESTING // 2 of them is within every per-field limit without being parsed.
MARKUP = re.compile(r"[\[\]*_`<>!\\+\-]|\d[.)]|  \n")
INLINE_OPENERS = re.compile(r"[\[*_`<!\\]")
LEAF_ELEMENTS = frozenset({"code_inline", "image", "hardbreak"})


def markdown_fields(
    demands: Loaded, responses: Loaded, assessments: Loaded | None = None
) -> Iterator[tuple[Loaded, Path_, str]]:
    """Every Markdown text of the campaign, in file order: (file, data path, text)."""

    def texts(loaded: Loaded, path: Path_, value: Any) -> Iterator[tuple[Loaded, Path_, str]]:
        if isinstance(value, str):
            yield loaded, path, value
        elif isinstance(value, dict):  # one text per language
            for lang, text in value.items():
                if isinstance(text, str):
                    yield loaded, (*path, lang), text

    ddata = demands.data if isinstance(demands.data, dict) else {}
    campaign = ddata.get("campaign")
    if isinstance(campaign, dict):
        for key in ("description", "note"):
            yield from texts(demands, ("campaign", key), campaign.get(key))
    files = [("demands", demands, "text"), ("responses", responses, "summary")]
    if assessments is not None:
        files.append(("assessments", assessments, "summary"))
    for name, loaded, key in files:
        data = loaded.data if isinstance(loaded.data, dict) else {}
        items = data.get(name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield from texts(loaded, (name, i, key), item.get(key))


@functools.cache
def _parser() -> MarkdownIt:
    """The page's Markdown dialect, allowed to nest a little deeper than the limit so that a
    text past it shows (the page's own parser would silently drop what is nested too deep)."""
    from markdown_it import MarkdownIt  # only when a field has markup enough to measure

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 2})
    md.disable(["html_block", "html_inline"])
    return md


def measure(text: str) -> tuple[int, int]:
    """(nesting depth, inline elements) of a Markdown text."""
    depth = inline = 0
    for token in _parser().parse(text):
        level = token.level + (token.nesting > 0)
        depth = max(depth, level)
        inner = 0
        for child in token.children or ():
            if child.nesting > 0:
                inner += 1
                inline += 1
                depth = max(depth, level + inner)
            elif child.nesting < 0:
                inner -= 1
            elif child.type in LEAF_ELEMENTS:
                inline += 1
    return depth, inline


def check(demands: Loaded, responses: Loaded, assessments: Loaded | None = None) -> list[Problem]:
    """The Markdown budget of a campaign, as located problems (at most one for the total)."""
    problems: list[Problem] = shown_text(responses, demands)
    total = 0
    for loaded, path, text in markdown_fields(demands, responses, assessments):
        total += len(INLINE_OPENERS.findall(text))
        if total > MAX_TOTAL_MARKUP:
            problems.append(
                loaded.problem(
                    path,
                    f"with this text, the Markdown of the campaign "
                    f"holds more than {MAX_TOTAL_MARKUP:,} characters "
                    "that can start emphasis, links or code ([, *, _, `, "
                    "<, !, \\), the limit for the whole campaign; "
                    "shorten the texts, or split the campaign",
                )
            )
            return problems
        if len(MARKUP.findall(text)) < MAX_NESTING // 2:
            continue  # too little markup to reach any limit
        depth, inline = measure(text)
        if depth > MAX_NESTING:
            problems.append(
                loaded.problem(
                    path,
                    f"the Markdown nests deeper than "
                    f"{MAX_NESTING} levels (quotes, lists, emphasis "
                    "inside each other), the limit for one text; no "
                    "text needs that: flatten it",
                )
            )
        elif inline > MAX_INLINE:
            problems.append(
                loaded.problem(
                    path,
                    f"the Markdown holds {inline:,} inline "
                    f"elements (emphasis, links, code, line breaks), "
                    f"more than the {MAX_INLINE} one text may hold; "
                    "use fewer, or split the text",
                )
            )
    return problems


def _characters(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_characters(v) for v in value.values())
    if isinstance(value, list):
        return sum(_characters(v) for v in value)
    return 0


def shown_text(responses: Loaded, demands: Loaded | None = None) -> list[Problem]:
    """The text of the responses as the page shows it: each response under every demand it
    addresses (and in the feed, once per change it caused); then the demands, on the page of
    every target. A problem where the total passes MAX_SHOWN_TEXT."""
    items = responses.data.get("responses") if isinstance(responses.data, dict) else None
    total = 0
    ddata = demands.data if demands is not None and isinstance(demands.data, dict) else {}
    targets = ddata.get("targets")
    pages = max(1, len(targets) if isinstance(targets, list) else 1)
    listed = ddata.get("demands")
    for i, item in enumerate(listed if isinstance(listed, list) else []):
        total += pages * _characters(item)
        if total > MAX_SHOWN_TEXT and demands is not None:
            return [
                demands.problem(
                    ("demands", i),
                    f"with this demand, shown on the page of "
                    f"each of the {pages:,} targets, the campaign's pages would "
                    f"show more than {MAX_SHOWN_TEXT:,} characters of text, the "
                    "limit; shorten the texts, or list fewer targets",
                )
            ]
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        links = item.get("addresses")
        times = 1 + (len(links) if isinstance(links, list) else 0)
        total += times * _characters({k: v for k, v in item.items() if k != "addresses"})
        if total > MAX_SHOWN_TEXT:
            return [
                responses.problem(
                    ("responses", i),
                    f"with this response, shown once for "
                    f"each of the {times - 1:,} demands it addresses, the "
                    f"campaign's pages would show more than "
                    f"{MAX_SHOWN_TEXT:,} characters of text, the limit; "
                    "shorten its text, or link it to fewer demands",
                )
            ]
    return []


def pdf_weight(html: str) -> int:
    """What laying out this HTML costs WeasyPrint, in units of ~0.6-1 ms on the machine of
    BENCHMARKS.md: an element is 1, an inline element of the texts (emphasis, link, code) 3 (a
    run of them with no space to break the line at costs more), 25 characters of text 1."""
    elements = html.count("<") - html.count("</") - html.count("<!")
    inline = sum(html.count(tag) for tag in ("<em>", "<strong>", "<code>", "<a "))
    text = len(html) - sum(m.end() - m.start() for m in re.finditer(r"<[^>]*>", html))
    return elements + 2 * inline + text // 25


def pdf_floor(doc: dict[str, Any]) -> int:
    """A floor under the weight of a target's report, from its document alone (no rendering):
    each response it lists, under a demand or among those that addressed none, is at least
    five elements (its block, its line of dates and kinds, a date, a source number, its text)."""
    shown = sum(len(d.get("evidence") or []) for d in doc.get("demands") or [])
    return 5 * (shown + len(doc.get("unlinked_responses") or []))


def _over(weight: int, limit: int, budget: int | None = None) -> str:
    """The end of a refusal: the limit, and how to build anyway. ``budget``: the --pdf-budget
    that lets ``weight`` through (``weight`` itself for one report)."""
    budget = budget or weight
    return (
        f"more than the {limit:,} the PDF stage lays out in about {limit // PDF_RATE:,} s; "
        "nothing was written: build without the PDF (--format html,json), split the "
        "campaign, or, for data you trust, raise the budget "
        f"(--pdf-budget {budget:,}: about {weight // PDF_RATE:,} s)"
    )


def check_pdf_floor(docs: list[dict[str, Any]], limit: int = MAX_PDF_WEIGHT) -> None:
    """Refuse at once, before any report is rendered, a PDF whose floor is already over the
    budget (a campaign of 100,000 responses: its report alone takes seconds to render), or
    PDFs whose floors together are over the build's total."""
    floors = [pdf_floor(doc) for doc in docs]
    worst = max(floors, default=0)
    if worst > limit:
        raise ScorecardError(
            f"the PDF report would weigh at least {worst:,} (five elements for each "
            "response shown), " + _over(worst, limit)
        )
    total = sum(floors)
    if total > limit * MAX_PDF_REPORTS:
        raise ScorecardError(
            f"the {len(docs):,} PDF reports of this build (one per target and language) "
            f"would weigh at least {total:,} together (five elements for each response "
            "shown), " + _over(total, limit * MAX_PDF_REPORTS, -(-total // MAX_PDF_REPORTS))
        )


def check_pdf(html: str, limit: int = MAX_PDF_WEIGHT) -> None:
    """Refuse, before WeasyPrint sees it, a report that would take it more than about a
    minute to lay out (MAX_PDF_WEIGHT)."""
    check_pdfs([pdf_weight(html)], limit)


def check_pdfs(weights: list[int], limit: int = MAX_PDF_WEIGHT) -> None:
    """Refuse, before WeasyPrint sees any, the reports of a build (one per target and language,
    their ``weights``) if one would take more than about a minute to lay out, or all together
    more than MAX_PDF_REPORTS times that. The message names the one --pdf-budget that lets
    every report through: the heaviest's weight, or a share of the total."""
    own, total = max(weights, default=0), sum(weights)
    needed = max(own, -(-total // MAX_PDF_REPORTS))
    if own > limit:
        which = (
            "the PDF report"
            if len(weights) == 1
            else (
                f"the heaviest of the {len(weights):,} PDF reports of this build (one per target "
                "and language)"
            )
        )
        raise ScorecardError(
            f"{which} would weigh {own:,} (elements, inline ones three times, plus a 25th "
            "of the characters), " + _over(own, limit, needed)
        )
    if total > limit * MAX_PDF_REPORTS:
        raise ScorecardError(
            f"the {len(weights):,} PDF reports of this build (one per target and language) "
            f"would weigh {total:,} together ({MAX_PDF_REPORTS} times the budget of one "
            "report), " + _over(total, limit * MAX_PDF_REPORTS, needed)
        )
