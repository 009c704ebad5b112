"""The scorecard at a glance, for other sites: badge.svg (the score as an image) and feed.xml (an
Atom feed of status changes). Made from the documents, like every output."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from .. import i18n
from ..model import as_period
from ..vocabulary import STATUS_LABELS, response_title, score_summary
from . import authors
from .html import Renderer, cached_escape, output_name

Docs = dict[str, dict[str, Any]]  # target id -> that target's document, primary first
FEED_NAMESPACE = uuid.UUID("6f6c1d2e-6a57-4f55-9d3e-2f1b5a3c7e10")  # this tool's, for entry ids
# A feed holds the latest changes, as feeds do: a reader polls it again and again, and a
# campaign of 10,000 responses would otherwise send a 9 MB file each time. The page, the
# evidence and the JSON hold every change.
FEED_ENTRIES = 100


def _langs(docs: Docs, langs: tuple[str, ...] | None) -> tuple[str, tuple[str, ...]]:
    main = next(iter(docs.values()))
    default = main["campaign"].get("lang", "en")
    return default, tuple(dict.fromkeys(langs or (default,)))


def badges(
    docs: Docs, renderer: Renderer, langs: tuple[str, ...] | None = None
) -> dict[str, bytes]:
    """badge.svg (the primary target) and badge.<target>.svg for each target, in the default
    language; badge.LANG.svg and badge.<target>.LANG.svg in the others."""
    main = next(iter(docs.values()))
    default, langs = _langs(docs, langs)
    template = renderer.env.get_template("badge.svg.j2")
    out = {}
    for lang in langs:
        tr = renderer.use_language(lang)
        fmt = i18n.Formats(lang)
        for t in main["targets"]:
            counts = t["score"]["counts"]
            # the finding's own words ("0 of 10 met, 5 partly"): a badge on another site says
            # no less than the page it links to (it said "demands met 0/10")
            summary = score_summary(counts, t["score"]["applicable"], tr, fmt.number)
            svg = template.render(
                value=summary,
                applicable=t["score"]["applicable"],
                name=t["name"],
                lang=lang,
                dir=i18n.direction(lang),
                campaign=i18n.localized(main["campaign"]["title"], lang, default)[0],
                as_of=fmt.date(main["as_of"]),
                percent=t["score"]["percent"],
                percent_text=fmt.percent(t["score"]["percent"]),
                summary=summary,
            )
            if len(main["targets"]) > 1:
                out[output_name(f"badge.{t['id']}", lang, default, "svg")] = svg.encode()
            if t["primary"]:
                out[output_name("badge", lang, default, "svg")] = svg.encode()
    return out


def stamp_day(date: str) -> str:
    """The day an Atom date-time gives a change: its date, or the last day of its month or year
    when only that is known (RFC 3339 has no partial dates)."""
    return dt.date.isoformat(as_period(date))


def entry_id(campaign: str, target: str, demand: str, date: str, status: str) -> str:
    """A stable Atom id: the same change always gets the same id, so readers show it once."""
    return uuid.uuid5(FEED_NAMESPACE, "\x1f".join((campaign, target, demand, date, status))).urn


def entry_xml(e: dict[str, Any], tr: Any, text: Callable[[Any], str], arrow: str = "→") -> Markup:
    """One entry of the feed, as feed.xml.j2 prints it for each change (``feed_entry(e)``):
    Python rather than 27 template steps, for feeds of ~10,000 changes; the same escaping
    and the same ``_()`` (``Markup(translation) % escaped values``). ``tr``: the language's
    translations; ``text``: a localized text in that language; ``arrow``: from the status
    before to the one after, in the language's direction (← in Arabic). A change dated by
    its month or year only is stamped with the period's last day, as it counts (RFC 3339
    has no partial dates); its summary says the month or year."""
    esc = cached_escape  # (names, labels and dates that come back entry after entry)
    target, demand, title = esc(e["target_name"]), esc(e["demand"]), esc(e["demand_title"])
    before, after, date = esc(e["from_label"]), esc(e["to_label"]), esc(e["date"])
    day = stamp_day(e["date"])
    comma, colon = esc(tr.gettext(", ")), esc(tr.gettext(": "))
    summary = tr.gettext("%(target)s, %(demand)s (%(title)s) went from %(before)s to %(after)s") % {
        "target": target,
        "demand": demand,
        "title": title,
        "before": before,
        "after": after,
    }
    if e["set_by_hand"]:
        summary += " (" + tr.gettext("set by hand") % {} + ")"
    causes = "".join(
        f" {escape(response_title(r, tr, text))}: {escape(text(r['summary']).strip())}"
        for r in e["causes"]
    )
    return Markup(
        f"<entry>\n    <id>{escape(e['id'])}</id>\n"
        f"    <title>{target}{comma}{demand} {title}{colon}{before} {arrow} {after}</title>\n"
        f"    <updated>{day}T00:00:00Z</updated>\n"
        f"    <published>{day}T00:00:00Z</published>\n"
        f'    <link rel="alternate" type="text/html" href="{esc(e["link"])}"/>\n'
        f'    <category term="{esc(e["to"])}" label="{after}"/>\n'
        f'    <summary type="text">{date}: {summary}.{causes}</summary>\n'
        "  </entry>"
    )


def feed(docs: Docs, renderer: Renderer, langs: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """feed.xml: an Atom feed (RFC 4287) with one entry per status change, newest first, in the
    default language; feed.LANG.xml in the others."""
    main = next(iter(docs.values()))
    default, langs = _langs(docs, langs)
    out = {}
    for lang in langs:
        tr = renderer.use_language(lang)

        def text(value: Any, lang: str = lang) -> str:
            return i18n.localized(value, lang, default)[0]

        # Entry ids from the default language's title: the same change, the same id.
        ident = text(main["campaign"]["title"], default)
        title = text(main["campaign"]["title"])
        pages = {
            t["id"]: output_name(t["page"].removesuffix(".html"), lang, default, "html")
            for t in main["targets"]
        }
        labels = {status.value: tr.gettext(label) for status, label in STATUS_LABELS.items()}
        changes = [(ch, t) for t in main["targets"] for ch in t["changes"]]
        changes.sort(key=lambda c: (c[0]["date"], c[0]["target"], c[0]["demand"]), reverse=True)
        kept = changes[:FEED_ENTRIES]
        by_id: dict[str, dict[str, dict[str, Any]]] = {}  # target id -> its responses by id
        titles: dict[str, dict[str, str]] = {}  # target id -> its demands' titles
        entries = []
        for ch, t in kept:
            if t["id"] not in by_id:
                doc = docs[t["id"]]
                by_id[t["id"]] = {r["id"]: r for r in doc["responses"]}
                titles[t["id"]] = {d["id"]: text(d["title"]) for d in doc["demands"]}
            responses = by_id[t["id"]]
            entries.append(
                {
                    **ch,
                    "id": entry_id(ident, t["id"], ch["demand"], ch["date"], ch["to"]),
                    "demand_title": titles[t["id"]][ch["demand"]],
                    "from_label": labels[ch["from"]],
                    "to_label": labels[ch["to"]],
                    "link": f"{pages[t['id']]}#{ch['demand']}",
                    "causes": [responses[rid] for rid in ch["responses"] if rid in responses],
                }
            )
        updated = f"{stamp_day(entries[0]['date'])}T00:00:00Z" if entries else main["generated_on"]
        xml = renderer.encoded(
            "feed.xml.j2",
            dict(
                title=title,
                feed_id=uuid.uuid5(
                    FEED_NAMESPACE, ident if lang == default else f"{ident}\x1f{lang}"
                ).urn,
                updated=updated,
                lang=lang,
                page=pages[main["target_id"]],
                authors=authors(main["campaign"]) or [main["generator"]],
                generator=main["generator"],
                entries=entries,
                left_out=len(changes) - len(entries),  # older changes: the page has them
                number=i18n.Formats(lang).number,  # the subtitle's counts, in the language
                text=text,
                feed_entry=functools.partial(
                    entry_xml, tr=tr, text=text, arrow="←" if i18n.direction(lang) == "rtl" else "→"
                ),
            ),
        )
        out[output_name("feed", lang, default, "xml")] = xml
    return out
