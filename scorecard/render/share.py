"""Sharing: what a page says when its link is shared, and a badge per demand to embed.

- The page's <head> gets Open Graph and Twitter card tags (title, the finding as the
  description) and, when ``campaign.url`` says where the outputs are published, ``og:url`` and
  a canonical link to the page's own address.
- Each demand gets an SVG badge of its status: ``badge.D4.svg`` (the primary target, the
  default language), ``badge.D4.ar.svg`` in another language, ``badge.TARGET.D4.svg`` for the
  other targets; the page shows, under each demand, the HTML that embeds it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urljoin

from markupsafe import Markup, escape

from ..errors import ScorecardError
from . import output_name

Docs = dict[str, dict[str, Any]]

COLOURS = {
    "met": "#116329",
    "partial": "#7d4e00",
    "promised": "#0550ae",
    "refused": "#a40e26",
    "not-addressed": "#4c5561",
    "no-response": "#57606a",
    "n/a": "#57606a",
    "not-yet-made": "#57606a",
    "not-asked": "#57606a",
}


def _target(doc: dict[str, Any]) -> dict[str, Any] | None:
    return next((t for t in doc.get("targets", []) if t["id"] == doc.get("target_id")), None)


def badge_name(doc: dict[str, Any], demand: str, lang: str, default: str) -> str:
    """badge.D4.svg; badge.D4.ar.svg in another language; badge.TARGET.D4.svg for a target
    other than the primary one."""
    target = _target(doc)
    stem = "badge" if target is None or target["primary"] else f"badge.{target['id']}"
    return output_name(f"{stem}.{demand}", lang, default, "svg")


class Share:
    """The template's view of sharing for one page (``share`` in the templates)."""

    def __init__(self, doc: dict[str, Any], lang: str, default: str, page: str) -> None:
        self.doc, self.lang, self.default, self.page = doc, lang, default, page
        self.base = doc["campaign"].get("url")

    def url(self, name: str) -> str:
        """A published file's address: absolute when campaign.url is given, else relative."""
        return urljoin(self.base, quote(name)) if self.base else quote(name)

    @property
    def page_url(self) -> str | None:
        return self.url(self.page) if self.base else None

    def badge(self, demand: str) -> str:
        return badge_name(self.doc, demand, self.lang, self.default)

    def snippet(self, demand: str, alt: str) -> str:
        """The HTML to paste elsewhere: the demand's badge linking to it on this page."""
        alt_text = str(alt).replace('"', "&#34;") if isinstance(alt, Markup) else escape(alt)
        href = escape(f"{self.url(self.page)}#{quote(demand)}")
        return (
            f'<a href="{href}"><img src="{escape(self.url(self.badge(demand)))}" '
            f'alt="{alt_text}" height="20"></a>'
        )


def demand_badges(
    docs: Docs,
    renderer: Any,
    langs: tuple[str, ...],
    taken: frozenset[str] | set[str] = frozenset(),
) -> dict[str, bytes]:
    """Every demand's badge, for every target and language. The default language is rendered
    last, so that the templates rendered next (badge.svg) are in it. ``taken``: names of other
    outputs, which a badge must not replace."""
    from .. import i18n
    from ..model import Status
    from ..vocabulary import STATUS_LABELS

    main = next(iter(docs.values()))
    default = main["campaign"].get("lang", "en")
    template = renderer.env.get_template("badge.demand.svg.j2")
    out: dict[str, bytes] = {}
    for lang in sorted(dict.fromkeys(langs or (default,)), key=lambda code: code == default):
        tr = renderer.use_language(lang)
        labels = {status: tr.gettext(label) for status, label in STATUS_LABELS.items()}
        date = i18n.Formats(lang).date

        def text(value: Any, lang: str = lang) -> str:
            return i18n.localized(value, lang, default)[0]

        for doc in docs.values():
            target = _target(doc)
            name = target["name"] if target else doc["campaign"]["target"]
            for d in doc["demands"]:
                file = badge_name(doc, d["id"], lang, default)
                if file in out or file in taken:
                    raise ScorecardError(
                        f"two outputs would be called {file}: a target and a "
                        "demand have the same id; rename one; nothing was "
                        "written."
                    )
                out[file] = template.render(
                    id=d["id"],
                    status=labels[Status(d["status"])],
                    colour=COLOURS[d["status"]],
                    campaign=text(doc["campaign"]["title"]),
                    name=name,
                    title=text(d["title"]),
                    as_of=date(doc["as_of"]),
                    lang=lang,
                    dir=i18n.direction(lang),
                ).encode()
    return out


def is_demand_badge(name: str, demand_ids: set[str]) -> bool:
    """Whether an output's file name is a demand's badge (badge[.TARGET].ID[.LANG].svg)."""
    parts = name.split(".")
    return (
        parts[0] == "badge"
        and parts[-1] == "svg"
        and 3 <= len(parts) <= 5
        and any(p in demand_ids for p in parts[1:-1])
    )
