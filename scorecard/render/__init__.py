"""Stage 5, render: the documents -> the files a reader gets. html.py (the page and the report's
HTML, one Jinja environment), pdf.py (the report, with WeasyPrint, imported only for a PDF),
data.py (JSON, CSV, SQLite), feed.py (badge and Atom feed), charts.py (chart geometry) and
markdown.py (safe Markdown), share.py (sharing tags, badges of demands), datapackage.py
(descriptions of the data files)."""


def output_name(stem: str, lang: str, default: str, ext: str) -> str:
    """scorecard.html for the default language, scorecard.ar.html for the others."""
    return f"{stem}.{ext}" if lang == default else f"{stem}.{lang}.{ext}"


def evidence_stem(stem: str) -> str:
    """The evidence page's name beside a page's (without language and extension): evidence
    for scorecard, evidence.youtube for scorecard.youtube."""
    return "evidence" + stem.removeprefix("scorecard")


def evidence_name(stem: str, lang: str, default: str, number: int = 1) -> str:
    """The file of a page's evidence page ``number`` (from 1): the first keeps the evidence
    page's name (evidence.html, evidence.youtube.html, evidence.ar.html), the next ones number
    it before the language (evidence_2.html, evidence.youtube_2.html, evidence_2.ar.html).
    An underscore, which no id may hold: with a hyphen, target t-2's first page and target t's
    second would both be evidence.t-2.html. ``stem``: the page's (scorecard,
    scorecard.youtube). Nothing else makes these names."""
    name = evidence_stem(stem) if number == 1 else f"{evidence_stem(stem)}_{number}"
    return output_name(name, lang, default, "html")


def is_later_evidence_page(name: str) -> bool:
    """Whether a file name is an evidence page after the first (evidence_name's number 2 on:
    evidence_2.html, evidence.youtube_3.ar.html): a build's message counts them, and a build
    removes those it no longer makes (write_outputs' ``stale``)."""
    import re

    return re.fullmatch(r"evidence(\.[^._]+)?_[0-9]+(\.[^._]+)?\.html", name) is not None


def authors(campaign: dict) -> list[str]:
    """Who answers for a scorecard, as its outputs name their author (the PDF's metadata, the
    feed): its publisher, else the campaign's organizers."""
    if campaign.get("publisher"):
        return [campaign["publisher"]]
    return campaign.get("organizers") or []
