"""Stage 4, render: the derived scorecard -> one document (JSON), an HTML page, a PDF report.

The JSON document is also the template context: the page, the report and scorecard.json show
the same facts because they are made from the same dictionary. WeasyPrint is imported only when a
PDF is asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from . import __version__, i18n, timeline
from .cache import template_cache
from .i18n import N_
from .match import (
    POSITIVE,
    RULE_DEFINITIONS,
    STATUS_DEFINITIONS,
    VERDICT_DEFINITIONS,
    Scorecard,
)
from .model import Kind, Rule, Status, Verdict

FORMAT = "scorecard/1"
STATUS_LABELS = {
    Status.met: N_("Met"),
    Status.partial: N_("Partly met"),
    Status.promised: N_("Promised"),
    Status.refused: N_("Refused"),
    Status.not_addressed: N_("Not addressed"),
    Status.no_response: N_("No response"),
    Status.na: N_("Not applicable"),
}
KIND_LABELS = {
    Kind.statement: N_("statement"), Kind.letter: N_("letter"), Kind.meeting: N_("meeting"),
    Kind.policy: N_("policy"), Kind.enforcement: N_("enforcement"), Kind.hire: N_("hire"),
    Kind.report: N_("report"), Kind.product: N_("product"), Kind.other: N_("other"),
}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def templates_dir() -> Path:
    """The default templates: inside the installed package, or the checkout's templates/."""
    packaged = resources.files("scorecard") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


def generated_on() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- the document


def _dump(value: Any) -> Any:
    """Model values as JSON-ready data (enums as their value, dates as ISO text)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")  # pydantic-core does the same, ~5x faster
    if isinstance(value, dict):
        return {getattr(k, "value", k): _dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return getattr(value, "value", value)


def document(card: Scorecard, when: dt.datetime | None = None) -> dict[str, Any]:
    """The derived scorecard as plain data: scorecard.json, and the templates' context."""
    project = card.project
    when = when or generated_on()
    demands = []
    for result in card.demands:
        d = result.demand
        entry = _dump(d)
        entry.pop("status", None)
        entry.update({
            "weight": d.weight,
            "status": result.status.value,
            "positive": result.positive,
            "status_set_by_hand": _dump(result.manual) if result.manual else None,
            "history": [{"date": s.date.isoformat(), "status": s.status.value,
                         "responses": list(s.responses), "set_by_hand": s.manual}
                        for s in result.history],
            "responses": [e.response.id for e in result.evidence],
            "evidence": [{"response": e.response.id, "date": e.response.date.isoformat(),
                          "verdict": e.link.verdict.value,
                          "reason": e.link.reason}
                         for e in result.evidence],
            "due": result.due.isoformat() if result.due else None,
            "overdue_days": result.overdue_days,
        })
        demands.append(entry)
    responses = [_dump(r) for r in card.responses]
    score = card.score
    groups = [{**_dump(g), "demands": [d.id for d in project.demands if d.group == g.id]}
              for g in project.demands_file.groups]
    return {
        "format": FORMAT,
        "generator": f"scorecard {__version__}",
        "generated_on": when.isoformat().replace("+00:00", "Z"),
        "as_of": card.as_of.isoformat(),
        "rule": {"id": card.rule.value, "definition": RULE_DEFINITIONS[card.rule]},
        "campaign": _dump(project.campaign),
        "statuses": [{"id": s.value, "label": STATUS_LABELS[s],
                      "definition": STATUS_DEFINITIONS[s],
                      "points": card.points.get(s)} for s in Status],
        "verdicts": [{"id": v.value, "definition": VERDICT_DEFINITIONS[v]} for v in Verdict],
        "score": {
            "summary": score.summary,
            "percent": score.percent,
            "points": score.points,
            "max_points": score.max_points,
            "applicable": score.applicable,
            "positive": sum(score.counts[s] for s in POSITIVE),
            "counts": {s.value: n for s, n in score.counts.items()},
        },
        "groups": groups,
        "demands": demands,
        "responses": responses,
        "unlinked_responses": [r.id for r in card.unlinked],
        "later_responses": card.later,
    }


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- markup


def _validate_link(url: str) -> bool:
    return bool(SAFE_LINK.match(url.strip()))


@functools.cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["html_block", "html_inline"])
    md.validateLink = _validate_link
    md.core.ruler.push("isolate_tags", i18n.isolate_tags_rule)  # #hashtags in RTL text
    # An image would be a request to somewhere: show its description as text instead.
    md.add_render_rule("image", lambda self, tokens, idx, options, env: escape(tokens[idx].content))
    return md


@functools.lru_cache(maxsize=65536)  # a 10,000-response campaign has ~10,000 texts
def markdown(text: str) -> Markup:
    """Markdown -> safe HTML: no raw HTML, no images, only http(s) and mailto links."""
    html = _markdown().render(text or "")
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)


def localized(text: Any, lang: str, default: str) -> tuple[str, str]:
    """(text, its language) with fallback to the default language, then to any language."""
    if not isinstance(text, dict):
        return ("" if text is None else str(text)), lang
    for code in (lang, default):
        if code in text:
            return text[code], code
    for code, value in text.items():
        return value, code
    return "", lang


# --------------------------------------------------------------------------- HTML and PDF


@dataclass(frozen=True)
class Renderer:
    """Jinja environment over the user's templates (if any) and the defaults."""

    user_templates: Path | None = None

    @functools.cached_property
    def env(self) -> jinja2.Environment:
        default = jinja2.FileSystemLoader(templates_dir())
        loaders: list[jinja2.BaseLoader] = []
        if self.user_templates:
            loaders.append(jinja2.FileSystemLoader(self.user_templates))
        loaders += [default, jinja2.PrefixLoader({"default": default})]
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=template_cache(),
        )
        # Interface text goes through gettext: {{ _("Score") }}. Catalogs: see issue #5.
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        env.filters["markdown"] = self._markdown
        env.globals.update(timeline.jinja_globals())  # charts over time (scorecard/timeline.py)
        return env

    @functools.cached_property
    def _markdown_store(self) -> tuple[dict[str, str], dict[str, str]]:
        """(HTML of the texts of the last build, of the texts of this one): see cache.py."""
        from .cache import default_dir, markdown_entry_name, read_entry

        folder = default_dir()
        known = read_entry(folder, markdown_entry_name()) if folder else None
        return (known if isinstance(known, dict) else {}), {}

    def _markdown(self, text: str) -> Markup:
        known, used = self._markdown_store
        html = known.get(text)
        if html is None:
            html = str(markdown(text))
        used[text] = html
        return Markup(html)

    def _save_markdown(self) -> None:
        known, used = self._markdown_store
        if used.keys() - known.keys():
            from .cache import default_dir, markdown_entry_name, write_entry

            folder = default_dir()
            if folder:
                write_entry(folder, markdown_entry_name(), used)
                known.update(used)

    def context(self, doc: dict[str, Any], lang: str | None = None,
                medium: str = "screen", languages: list[str] | None = None) -> dict[str, Any]:
        default = doc["campaign"].get("lang", "en")
        lang = lang or default
        # Interface text in this language: {{ _("...") }} in the templates, gettext here.
        tr = i18n.translations(lang)
        self.env.install_gettext_translations(tr, newstyle=True)  # type: ignore[attr-defined]
        fmt = i18n.Formats(lang)

        def text(value: Any) -> str:
            return localized(value, lang, default)[0]

        def text_lang(value: Any) -> str | None:
            """The language a text is shown in, if it is not the page's (for lang=...)."""
            shown = localized(value, lang, default)[1]
            return shown if shown != lang else None

        # This page's file name without language and extension (scorecard, scorecard.youtube),
        # and the other targets' pages in the same language.
        targets = [{**t, "page": output_name(t["page"].removesuffix(".html"), lang, default,
                                             "html")} for t in doc.get("targets", [])]
        stem = next((t["page"].removesuffix(".html") for t in doc.get("targets", [])
                     if t["id"] == doc.get("target_id")), "scorecard")
        by_id = {r["id"]: r for r in doc["responses"]}
        statuses = [{**s, "label": tr.gettext(STATUS_LABELS[Status(s["id"])]),
                     "definition": tr.gettext(STATUS_DEFINITIONS[Status(s["id"])])}
                    for s in doc["statuses"]]
        verdicts = [{**v, "definition": tr.gettext(VERDICT_DEFINITIONS[Verdict(v["id"])])}
                    for v in doc["verdicts"]]
        rule = {**doc["rule"], "definition": tr.gettext(RULE_DEFINITIONS[Rule(doc["rule"]["id"])])}
        return {
            **doc,
            "lang": lang,
            "dir": i18n.direction(lang),
            "lang_dir": i18n.direction,
            "text_dir": i18n.text_direction,
            "isolate": i18n.isolate,
            "lang_name": lambda code: i18n.language_name(code, lang),
            "medium": medium,
            "t": text,
            "t_lang": text_lang,
            "statuses": statuses,
            "verdicts": verdicts,
            "rule": rule,
            "score": {**doc["score"], "summary": score_summary(doc["score"], tr, fmt)},
            "date": fmt.date,
            "num": fmt.number,
            "pct": fmt.percent,
            "page_counter_css": page_counter_css(tr),
            "kind_label": lambda kind: tr.gettext(KIND_LABELS[Kind(kind)]),
            "languages": [{"lang": code, "name": i18n.language_name(code),
                           "dir": i18n.direction(code),
                           "href": output_name(stem, code, default, "html"),
                           "current": code == lang} for code in (languages or [])],
            "targets": targets,
            "response_by_id": by_id,
            "status_by_id": {s["id"]: s for s in statuses},
            "demand_by_id": {d["id"]: d for d in doc["demands"]},
            "sources": (sources := _numbered_sources(doc)),
            "source_key": source_key,
            "source_no": {source_key(s): s["n"] for s in sources},
            "once": _once({}),
        }

    def html(self, doc: dict[str, Any], lang: str | None = None,
             languages: list[str] | None = None) -> str:
        page = self.env.get_template("scorecard.html.j2").render(
            self.context(doc, lang, languages=languages))
        self._save_markdown()
        return page

    def report_html(self, doc: dict[str, Any], lang: str | None = None) -> str:
        page = self.env.get_template("report.html.j2").render(
            self.context(doc, lang, medium="print"))
        self._save_markdown()
        return page

    def pdf(self, doc: dict[str, Any], lang: str | None = None) -> bytes:
        from .pdf import html_to_pdf  # WeasyPrint: only when a PDF is asked for

        ctx = self.context(doc, lang, medium="print")
        title = ctx["t"](doc["campaign"]["title"])
        html = self.report_html(doc, lang)
        from .budget import check_pdf

        check_pdf(html)  # before WeasyPrint sees it: refuse what would take it minutes
        return html_to_pdf(html, title=title,
                           author=", ".join(doc["campaign"].get("organizers", [])),
                           lang=ctx["lang"], when=doc["generated_on"])


def output_name(stem: str, lang: str, default: str, ext: str) -> str:
    """scorecard.html for the default language, scorecard.ar.html for the others."""
    return f"{stem}.{ext}" if lang == default else f"{stem}.{lang}.{ext}"


def page_counter_css(tr: Any) -> Markup:
    """The PDF's "Page 2 of 9" footer as a CSS content value, in the page's language."""
    quoted = json.dumps(tr.gettext("Page %(page)s of %(pages)s"), ensure_ascii=False)
    value = quoted.replace("%(page)s", '" counter(page) "').replace(
        "%(pages)s", '" counter(pages) "')
    return Markup(value.replace("<", "\\3C "))


def score_summary(score: dict[str, Any], tr: Any, fmt: i18n.Formats) -> str:
    """"1 of 10 met, 3 partly", in the page's language."""
    met, partial = score["counts"].get("met", 0), score["counts"].get("partial", 0)
    total = fmt.number(score["applicable"])
    text = tr.ngettext("%(met)s of %(total)s met", "%(met)s of %(total)s met",
                       met) % {"met": fmt.number(met), "total": total}
    if not partial:
        return text
    return tr.ngettext("%(summary)s, %(partial)s partly", "%(summary)s, %(partial)s partly",
                       partial) % {"summary": text, "partial": fmt.number(partial)}


def _once(memo: dict) -> Any:
    """``{% call once("body", r.id) %}...{% endcall %}``: render a block the first time a key is
    seen and reuse the result, e.g. a response shown under every demand it addresses."""

    def once(*key: Any, caller: Any) -> Any:
        if key not in memo:
            memo[key] = caller()
        return memo[key]

    return once


def source_key(source: dict[str, Any]) -> tuple:
    return (source.get("url"), source.get("seed"), source.get("title"))


def _numbered_sources(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every distinct source once, numbered in order of first citation, for the report."""
    seen: dict[tuple, dict[str, Any]] = {}
    for response in doc["responses"]:
        for source in response["sources"]:
            key = source_key(source)
            if key not in seen:
                seen[key] = {**source, "n": len(seen) + 1, "cited_by": []}
            seen[key]["cited_by"].append(response["id"])
    return list(seen.values())
