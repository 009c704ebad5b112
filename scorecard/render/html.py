"""Stage 5, render: a target's document -> its HTML page, and the HTML of its PDF report.

The document (document.py) is also the template context: the page, the report and
scorecard.json show the same facts because they are made from the same dictionary. The page and
the report share one context and differ only in entry template and CSS.
"""

from __future__ import annotations

import functools
import io
import json
import re
import types
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import i18n
from ..cache import template_cache
from ..model import Rule, Status, Verdict, as_period
from ..vocabulary import (
    RULE_DEFINITIONS,
    STATUS_DEFINITIONS,
    STATUS_LABELS,
    VERDICT_DEFINITIONS,
    response_head,
    score_summary,
)
from . import charts, evidence_name, output_name
from . import evidence as _evidence
from .evidence import EvidencePage, Plan, plan
from .markdown import Store
from .share import Share


def templates_dir() -> Path:
    """The default templates, inside the package."""
    return Path(str(resources.files("scorecard") / "templates"))


_DICT_NAMES = frozenset(dir(dict))


class _Context(jinja2.runtime.Context):
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Jinja's ``call`` without its look for ``pass_context`` and the like when the
        callable is a plain function, method or macro, which cannot have them: a big page
        makes half a million calls."""
        if type(__obj) in _PLAIN and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


_PLAIN = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    functools.partial,
    jinja2.runtime.Macro,
)


class _Environment(jinja2.Environment):
    context_class = _Context

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``d.id`` on a plain dict (the documents are plain data) is ``d["id"]`` at once:
        Jinja tries the attribute first, and a dict has no attribute of that name unless it
        is one of dict's own (items, keys...), which keep Jinja's way."""
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _gettext_functions(tr: Any, number: Any = str) -> dict[str, Any]:
    """Jinja's newstyle ``gettext``, ``_`` and ``ngettext`` over a language's translations, the
    same results with less machinery (a page calls them ~60,000 times): a message without
    variables is translated and formatted once. ``ngettext`` writes a count of 1,000 or more
    with the language's grouping (``number``: "1,000", "1 000")."""
    memo: dict[str, Markup] = {}

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, string: str, **variables: Any) -> str:
        if not context.eval_ctx.autoescape:
            return tr.gettext(string) % variables
        if variables:
            return Markup(tr.gettext(string)) % variables
        if string not in memo:
            memo[string] = Markup(tr.gettext(string)) % variables
        return memo[string]

    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        rv = tr.ngettext(singular, plural, num)
        if "num" not in variables:
            big = num >= 1000 and "%(num)s" in rv
            variables["num"] = number(num) if big else num
        if context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


@dataclass(frozen=True)
class Renderer:
    """Jinja environment over the user's templates (if any) and the defaults."""

    user_templates: Path | None = None
    # responses and rulings per evidence page (None: evidence.EVIDENCE_PER_PAGE)
    evidence_per_page: int | None = None

    @functools.cached_property
    def env(self) -> jinja2.Environment:
        default = jinja2.FileSystemLoader(templates_dir())
        loaders: list[jinja2.BaseLoader] = []
        if self.user_templates:
            loaders.append(jinja2.FileSystemLoader(self.user_templates))
        loaders += [default, jinja2.PrefixLoader({"default": default})]
        env = _Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=template_cache(),
        )
        # Interface text goes through gettext: {{ _("Score") }}; see i18n.py.
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        env.filters["markdown"] = self.markdown
        env.globals.update(charts.jinja_globals())  # charts over time (render/charts.py)
        return env

    @functools.cached_property
    def markdown(self) -> Store:
        return Store()

    def use_language(self, lang: str) -> Any:
        """Install a language's interface text in the environment; returns its translations."""
        tr = i18n.translations(lang)
        self.env.install_gettext_translations(tr, newstyle=True)  # type: ignore[attr-defined]
        self.env.globals.update(_gettext_functions(tr, i18n.Formats(lang).number))
        return tr

    def context(
        self,
        doc: dict[str, Any],
        lang: str | None = None,
        medium: str = "screen",
        languages: list[str] | None = None,
    ) -> dict[str, Any]:
        default = doc["campaign"].get("lang", "en")
        lang = lang or default
        # Interface text in this language: {{ _("...") }} in the templates, gettext here.
        tr = self.use_language(lang)
        fmt = i18n.Formats(lang)

        def localized(value: Any) -> tuple[str, str]:
            """A campaign text in this language, or the one shown instead: (text, language)."""
            return i18n.localized(value, lang, default)

        def text(value: Any) -> str:
            return localized(value)[0]

        # This page's file name without language and extension (scorecard, scorecard.youtube),
        # and the other targets' pages in the same language.
        def summary(counts: dict[str, int], applicable: int) -> str:
            return score_summary(counts, applicable, tr, fmt.number)

        targets = [
            {
                **t,
                "page": output_name(t["page"].removesuffix(".html"), lang, default, "html"),
                "score": {
                    **t["score"],
                    "summary": summary(t["score"]["counts"], t["score"]["applicable"]),
                },
                "score_history": [
                    {
                        **p,
                        "summary": summary(
                            {"met": p["met"], "partial": p.get("partial", 0)},
                            p.get("applicable", t["score"]["applicable"]),
                        ),
                    }
                    for p in t["score_history"]
                ],
            }
            for t in doc.get("targets", [])
        ]
        stem = next(
            (
                t["page"].removesuffix(".html")
                for t in doc.get("targets", [])
                if t["id"] == doc.get("target_id")
            ),
            "scorecard",
        )
        by_id = {r["id"]: r for r in doc["responses"]}
        statuses = [
            {
                **s,
                "label": tr.gettext(STATUS_LABELS[Status(s["id"])]),
                "definition": tr.gettext(STATUS_DEFINITIONS[Status(s["id"])]),
            }
            for s in doc["statuses"]
        ]
        verdicts = [
            {**v, "definition": tr.gettext(VERDICT_DEFINITIONS[Verdict(v["id"])])}
            for v in doc["verdicts"]
        ]
        rule = {**doc["rule"], "definition": tr.gettext(RULE_DEFINITIONS[Rule(doc["rule"]["id"])])}
        # The page links a source article to its copy beside it; the PDF names it only.
        copies = frozenset(doc.get("source_files", ())) if medium == "screen" else frozenset()
        fast = _Fast(tr, fmt, i18n.direction(lang), lang, copies)
        fast.localized = localized
        fast.markdown = self.markdown
        fast.labels = {s["id"]: s["label"] for s in statuses}
        fast.target = doc["campaign"]["target"]
        fast.responses = by_id
        fast.demands = {d["id"]: d for d in doc["demands"]}
        fast.groups = {g["id"]: g for g in doc.get("groups", [])}
        fast.as_of = doc["as_of"]
        fast.data_lang = doc["campaign"]["lang"]
        # a list that answers `in` from a set (rejectattr("id", "in", ...) per response)
        ids = {k: _Ids(doc[k]) for k in ("unlinked_responses",) if k in doc}
        # The page and its evidence page (the register, the rulings, the responses that touched
        # no demand) link to each other; the report holds both, so its links stay inside it.
        page_href = output_name(stem, lang, default, "html")
        evidence_href = evidence_name(stem, lang, default)
        on_screen = medium == "screen"
        # A large evidence page is cut into pages (evidence.py): every link to a response or a
        # ruling goes to the page that holds it. The report holds them all.
        per_page = self.evidence_per_page or _evidence.EVIDENCE_PER_PAGE
        evidence = plan(doc, per_page if on_screen else None)
        if len(evidence.pages) > 1:
            fast.evidence_files = {
                anchor: evidence_name(stem, lang, default, number)
                for anchor, number in evidence.where.items()
            }
        fast.share = Share(doc, lang, default, page_href)
        return {
            **doc,
            **ids,
            "fast": fast,
            "lang": lang,
            "dir": i18n.direction(lang),
            "text_dir": i18n.text_direction,
            "lang_name": lambda code: i18n.language_name(code, lang),
            "medium": medium,
            "t": text,
            "statuses": statuses,
            "verdicts": verdicts,
            "rule": rule,
            "score": {
                **doc["score"],
                "summary": summary(doc["score"]["counts"], doc["score"]["applicable"]),
            },
            "month": fmt.month,
            "date": fmt.date,
            "num": fmt.number,
            "pct": fmt.percent,
            "page_counter_css": page_counter_css(tr),
            "languages": [
                {
                    "lang": code,
                    "name": i18n.language_name(code),
                    "dir": i18n.direction(code),
                    "href": output_name(stem, code, default, "html"),
                    "evidence_href": evidence_name(stem, code, default),
                    "current": code == lang,
                }
                for code in (languages or [])
            ],
            "targets": targets,
            "response_by_id": by_id,
            "status_by_id": {s["id"]: s for s in statuses},
            "demand_by_id": fast.demands,
            # the report's list of every source, numbered (the pages number none: at 10,000
            # responses, 25,000 sources to copy and number for nothing)
            "sources": (sources := [] if on_screen else _numbered_sources(doc)),
            "source_key": source_key,
            "source_no": {source_key(s): s["n"] for s in sources},
            "share": fast.share,
            "page_href": page_href,
            "evidence_href": evidence_href,
            # what goes before "#id" in a link to the page or to the evidence page, from the
            # page (the evidence page's template changes to_page and to_evidence)
            "to_page": "",
            "to_evidence": evidence_href if on_screen else "",
            "evidence_plan": evidence,
            # the evidence page (by number) in a language: the language switcher's links
            "evidence_name": lambda code, number: evidence_name(stem, code, default, number),
            # the evidence pages as their list names them, and where each part starts
            "evidence_pages": [
                {
                    "number": p.number,
                    "href": evidence_name(stem, lang, default, p.number),
                    "held": [
                        {"part": h.part, "count": len(h.entries), "first": h.first, "last": h.last}
                        for h in p.held
                    ],
                }
                for p in evidence.pages
            ],
            "evidence_at": {
                part: evidence_name(stem, lang, default, number)
                for part, number in evidence.starts.items()
            },
            "evidence_page": None,  # on an evidence page, which one (evidence.EvidencePage)
            # a response or ruling dated by its month or year only: the methodology says how
            # such a date counts and sorts
            "partial_dates": any(
                len(e["date"]) < 10 for e in (*doc["responses"], *doc.get("assessments", []))
            ),
            "history_events": history_events,
            "latest_event": latest_event,
            "status_after": status_after,
        }

    def html_pages(
        self, doc: dict[str, Any], lang: str | None = None, languages: list[str] | None = None
    ) -> tuple[bytes, dict[str, bytes]]:
        """The page and its evidence pages ``{file name: content}``, UTF-8 (``encoded``), from
        one context."""
        context = self.context(doc, lang, languages=languages)
        page = self.encoded("scorecard.html.j2", context)
        evidence = {
            p["href"]: self.encoded("evidence.html.j2", evidence_context(context, number))
            for number, p in enumerate(context["evidence_pages"], 1)
        }
        self.markdown.save()
        return page, evidence

    def encoded(self, name: str, context: dict[str, Any]) -> bytes:
        """A template rendered to UTF-8 as Jinja writes it, never one whole string: a page of
        10,000 responses is 25 MB of UTF-8 but 50 MB of text in memory (Arabic makes Python
        keep two bytes a character), and a list of a million pieces before it is joined."""
        out = io.BytesIO()
        batch: list[str] = []
        size = 0
        for piece in self.env.get_template(name).generate(context):
            batch.append(piece)
            size += len(piece)
            if size > 1 << 20:  # a megabyte of text (a piece can be a whole demand's article)
                out.write("".join(batch).encode())
                batch.clear()
                size = 0
        out.write("".join(batch).encode())
        return out.getvalue()

    def report_html(self, doc: dict[str, Any], lang: str | None = None) -> str:
        page = self.env.get_template("report.html.j2").render(
            self.context(doc, lang, medium="print")
        )
        self.markdown.save()
        return page


def evidence_context(context: dict[str, Any], number: int = 1) -> dict[str, Any]:
    """The page's context for its evidence page ``number``: links to the demands go to the
    page, links to the parts of the evidence to this page or the one that holds them."""
    plan: Plan = context["evidence_plan"]
    here: EvidencePage = plan.pages[number - 1]
    name = context["evidence_name"]
    own = context["evidence_pages"][number - 1]["href"]
    return {
        **context,
        "to_page": context["page_href"],
        "to_evidence": "",
        "evidence_page": here,
        "evidence_at": {
            part: "" if href == own else href for part, href in context["evidence_at"].items()
        },
        "languages": [
            {**lang, "evidence_href": name(lang["lang"], number)} for lang in context["languages"]
        ],
    }


# A demand's history of more than HISTORY_FOLD_AT rows shows its HISTORY_SHOWN latest; the
# earlier ones fold behind a button (filter.js; all are in the page, shown without scripts and
# in print). A campaign of 2,500 responses listed 100 rows under each demand.
HISTORY_FOLD_AT = 15
HISTORY_SHOWN = 10

# The verdicts as the page names them.
VERDICT_WORDS = {
    "full": i18n.N_("Full"),
    "partial": i18n.N_("Partial"),
    "promised": i18n.N_("Promised"),
    "none": i18n.N_("None"),
    "refused": i18n.N_("Refused"),
}

# Beside the words of each status badge: never colour alone.
ICONS = {
    "met": "✓",
    "partial": "◐",
    "promised": "…",
    "refused": "✗",
    "not-addressed": "–",
    "no-response": "○",
    "n/a": "∅",
    "not-yet-made": "·",
    "not-asked": "—",
}


class _Fast:
    """The pieces printed for every response and every history row (dates, names, badges,
    titles, sources, the rows themselves) as Python functions, memoized: at 10,000 responses,
    Jinja macros for them are most of the render. The macros of _macros.html.j2 and
    _record.html.j2 of the same name call these: one implementation of each piece."""

    def __init__(
        self,
        tr: Any,
        fmt: i18n.Formats,
        direction: str,
        lang: str,
        copies: frozenset[str] = frozenset(),
    ) -> None:
        self.tr, self.fmt, self.dir, self.lang = tr, fmt, direction, lang
        self.copies = copies  # the source articles copied next to the outputs
        self.memo: dict[tuple, Markup] = {}
        self.words: dict[str, Markup] = {}  # interface text without variables, translated
        self.sources: dict[tuple, Markup] = {}
        # A text in the page's language, or the one shown instead: (text, its language).
        self.localized: Any = lambda value: (value, lang)
        self.markdown: Any = escape
        self.labels: dict[str, str] = {}  # status id -> its label in this language
        self.target = ""  # the campaign's target, as its "own word" names it
        self.responses: dict[str, dict[str, Any]] = {}  # by id
        self.demands: dict[str, dict[str, Any]] = {}  # by id
        self.groups: dict[str, dict[str, Any]] = {}  # by id
        # by demand id: events() keeps them from the table of the demands to the history
        self.sorted_events: dict[str, list[dict[str, Any]]] = {}
        self.as_of = ""  # the document's as-of date
        self.data_lang = lang  # the campaign's language: that of its one-line notes
        self.share: Any = None  # the page's Share (the embed snippet of each demand)
        # "r-ID" and "a-ID" -> the evidence page that holds that response or ruling, when the
        # evidence is on several pages (else every link goes to the one evidence page)
        self.evidence_files: dict[str, str] = {}

    def to(self, to_evidence: str, anchor: str) -> str:
        """A link to a response ("r-ID") or a ruling ("a-ID"), escaped: on the evidence page
        that holds it, or in this document when ``to_evidence`` is empty (the report)."""
        if to_evidence:
            to_evidence = self.evidence_files.get(anchor, to_evidence)
        return f"{_esc(to_evidence)}#{escape(anchor)}"

    def _(self, string: str, **variables: Any) -> Markup:
        """Interface text as the templates' ``_()`` writes it: the translation is markup, the
        variables are escaped."""
        if variables:
            return Markup(self.tr.gettext(string)) % variables
        if string not in self.words:
            self.words[string] = Markup(self.tr.gettext(string)) % variables
        return self.words[string]

    def ngettext(self, singular: str, plural: str, num: int) -> Markup:
        """Interface text with a number, as the templates' ``ngettext()`` writes it (a count
        of 1,000 or more grouped as the language does)."""
        shown = self.fmt.number(num) if num >= 1000 else num
        return Markup(self.tr.ngettext(singular, plural, num)) % {"num": shown}

    def _lang_attrs(self, shown: str) -> str:
        """The macros' lang, dir and data-fallback attributes of a text shown in a language
        that is not the page's."""
        if shown == self.lang:
            return ""
        return f' lang="{_esc(shown)}" dir="{i18n.direction(shown)}" data-fallback="{_esc(shown)}"'

    def text(self, value: Any, cls: str = "", tag: str = "span") -> Markup:
        """A campaign text in the page's language (or the one shown instead, marked), isolated,
        in a ``tag`` (the text macro of _macros.html.j2 calls this)."""
        text, shown = self.localized(value)
        key = ("text", text, shown, cls, tag)  # (isolate escapes str and Markup alike)
        found = self.memo.get(key)
        if found is None:
            attrs = f' class="{_esc(cls)}"' if cls else ""
            body = i18n.isolate(text)
            found = Markup(f"<{tag}{attrs}{self._lang_attrs(shown)}>{body}</{tag}>")
            self.memo[key] = found
        return found

    def md(self, value: Any, cls: str | None = "md") -> Markup:
        """A campaign text as Markdown, in a div (the md macro calls this). ``cls`` None: no
        div unless the text's language must be marked (the report, where a div is one more
        box to lay out)."""
        text, shown = self.localized(value)
        attrs = self._lang_attrs(shown)
        if cls is None:
            if not attrs:
                return Markup(self.markdown(text))
            cls = "md"
        return Markup(f'<div class="{_esc(cls)}"{attrs}>{self.markdown(text)}</div>')

    def time(self, value: str, machine: str | None = None) -> Markup:
        """A date written for the page's locale, machine-readable in datetime."""
        key = ("time", value, machine)
        found = self.memo.get(key)
        if found is None:
            found = Markup('<time datetime="{}">{}</time>').format(
                machine or value, self.fmt.date(value)
            )
            self.memo[key] = found
        return found

    def verdict(self, v: str) -> Markup:
        key = ("verdict", v)
        if key not in self.memo:
            self.memo[key] = Markup(
                f'<span class="verdict v-{_esc(v)}">{self._(VERDICT_WORDS[v])}</span>'
            )
        return self.memo[key]

    def badge(self, status_id: str, manual: Any = False) -> Markup:
        """A status in words, with its icon; ``manual``: marked as set by hand."""
        key = ("badge", status_id, bool(manual))
        if key not in self.memo:
            # (no _() inside an f-string: pybabel extract would not find its text)
            words = self._("(set by hand)")
            by_hand = f'<span class="by-hand"> {words}</span>' if manual else ""
            self.memo[key] = Markup(
                f'<span class="badge s-{_esc(status_id.replace("/", ""))}"><span class="icon" '
                f'aria-hidden="true">{_esc(ICONS[status_id])}</span> '
                f"{_esc(self.labels[status_id])}{by_hand}</span>"
            )
        return self.memo[key]

    def bdi(self, value: str, tag: str = "") -> Markup:
        """Text of another direction inside a sentence (names, "Facebook" in Arabic), isolated;
        text in the page's own direction needs none. In a ``tag`` if one is given."""
        key = ("bdi", value, tag)
        if type(value) is str and key in self.memo:  # (not Markup, which is not escaped)
            return self.memo[key]
        d = i18n.text_direction(value)
        out = escape(value) if d == self.dir else Markup(f'<bdi dir="{d}">{escape(value)}</bdi>')
        if tag:
            out = Markup(f"<{_esc(tag)}>{out}</{_esc(tag)}>")
        if type(value) is str:
            self.memo[key] = out
        return out

    def _data_lang(self) -> str:
        """The lang attribute of a text in the campaign's language (a one-line note) on a
        page in another, so that a screen reader reads it in its own language; else ""."""
        return f' lang="{_esc(self.data_lang)}"' if self.data_lang != self.lang else ""

    def line(self, value: str) -> Markup:
        """A one-line note of the data (why a date is uncertain), written in the campaign's
        language: isolated as ``bdi`` does, and marked with that language (_data_lang)."""
        marked = self._data_lang()
        if not marked:
            return self.bdi(value)
        key = ("line", value)
        found = self.memo.get(key)
        if found is None:
            d = i18n.text_direction(value)
            found = Markup(f'<bdi{marked} dir="{d}">{escape(value)}</bdi>')
            self.memo[key] = found
        return found

    def id(self, value: str) -> Markup:
        """A demand's id in a sentence: isolated (a list of ids keeps its order in Arabic) and
        never broken at its dash (.id)."""
        return Markup(f'<bdi class="id">{_esc(value)}</bdi>')

    def contact(self, value: str) -> Markup:
        """How to reach the publisher (campaign.corrections): a web or e-mail address, linked;
        anything else as text."""
        if re.fullmatch(r"https?://\S+", value):
            href = escape(value)
        elif re.fullmatch(r"[^@\s/:]+@[^@\s/:]+\.[^@\s/:]+", value):
            href = escape("mailto:" + value)
        else:
            return self.line(value)
        return Markup(f'<a href="{href}" rel="nofollow noopener" dir="ltr">{escape(value)}</a>')

    def rtitle(self, r: dict[str, Any]) -> Markup:
        """What a response is called: its kind and speaker ("Meeting, Mark Zuckerberg"), then
        its own title when it has one ("Policy, Facebook Newsroom: QAnon banned")."""
        named = self.localized(r["title"]) if r.get("title") else None
        key = ("rtitle", r["kind"], r.get("speaker"), named)  # all it depends on
        if key not in self.memo:
            title = escape(response_head(r, self.tr))
            if r.get("speaker"):
                title += self._(", ") + self.bdi(r["speaker"])
            if named:
                title += self._(": ") + self.text(r["title"])
            self.memo[key] = title
        return self.memo[key]

    def quote(self, q: dict[str, Any]) -> Markup:
        """A quote with its attribution outside the quoted words."""
        return Markup(
            f'<figure class="quote"><blockquote>{self.text(q["text"], "", "p")}</blockquote>'
            f"<figcaption>{self.bdi(q['by'])}</figcaption></figure>"
        )

    def response(self, r: dict[str, Any], to_page: str, touched: bool = True) -> Markup:
        """A response's entry on the evidence page, in full: its date and title, the date's
        uncertainty, summary, quote, what it said of each demand it ``touched`` (linked to the
        demand on the page), its sources and the editor's note. Written as the template's loop
        wrote it (trim_blocks and lstrip_blocks: a line of an ``{% if %}`` keeps neither its
        indentation nor its end)."""
        out = [
            f'<article class="response" id="r-{escape(r["id"])}">\n',
            f"    <h3>{self.time(r['date'])} · {self.rtitle(r)}</h3>\n",
        ]
        if r.get("date_note"):
            note = self._("(date uncertain: %(note)s)", note=self.line(r["date_note"]))
            out.append(f'<p class="uncertain">{note}</p>')
        out.append(f"    {self.md(r['summary'])}\n")
        if r.get("quote"):
            out.append(self.quote(r["quote"]))
        if touched:
            touched_word = self._("Demands touched")
            out.append(f'    <ul class="touched" aria-label="{touched_word}">\n')
            page, colon = _esc(to_page), self._(": ")
            text, demands = self.text, self.demands
            for link in r["addresses"]:
                did = _esc(link["demand"])
                title = text(demands[link["demand"]]["title"])
                reason = f" {text(link['reason'], 'reason')}" if link.get("reason") else ""
                out.append(
                    f'<li><a href="{page}#{did}"><span class="did">{did}</span> {title}</a>'
                    f"{colon}{self.verdict(link['verdict'])}{reason}</li>"
                )
            out.append("    </ul>\n")
        sources_word = self._("Sources")
        out.append(f'    <ul class="sources" aria-label="{sources_word}">\n')
        out += [f"<li>{self.source(source)}</li>" for source in r["sources"]]
        out.append("    </ul>\n")
        if r.get("note"):
            label = self._("Editor's note:")
            out.append(f'<p class="note"><strong>{label}</strong> {self.text(r["note"])}</p>')
        out.append("  </article>")
        return Markup("".join(out))

    def claimed(self, e: dict[str, Any]) -> Markup:
        """The target's own word for its status beside a verdict (never counted), and whether
        the verdict is pending review or who reviewed it."""
        out = Markup()
        if e.get("claimed"):
            out += Markup('<p class="claimed">%s</p>') % self._(
                "%(target)s's own description: “%(claim)s” (not used for the status).",
                target=self.bdi(self.target),
                claim=self.bdi(e["claimed"]),
            )
        if e.get("pending"):
            out += Markup('<p class="pending">%s</p>') % self._(
                "Pending review: not counted until someone reviews this verdict."
            )
        elif e.get("reviewed_by"):
            out += Markup('<p class="reviewed">%s</p>') % self._(
                "Reviewed by %(name)s.", name=self.bdi(e["reviewed_by"])
            )
        return out

    def events(self, demand: dict[str, Any]) -> list[dict[str, Any]]:
        """A demand's history_events, sorted once for its row in the table of the demands and
        its history (which takes them back: history_rows)."""
        if demand["id"] not in self.sorted_events:
            self.sorted_events[demand["id"]] = history_events(demand)
        return self.sorted_events[demand["id"]]

    def overdue(self, days: int) -> Markup:
        """How long past its due date a demand is ("overdue 3 days")."""
        return self.ngettext("overdue %(num)s day", "overdue %(num)s days", days)

    def cause(
        self, d: dict[str, Any], to_evidence: str, linked: bool = True, reason: bool = False
    ) -> Markup:
        """One sentence: what set the demand's status (a ruling, a response, a status set by
        hand, or the dates), ``linked`` to it. ``reason``: and what that response or ruling
        said of this demand (the page, whose history rows do not repeat it; the report's do).
        The cause macro of _record.html.j2 calls this."""
        c = d["cause"]
        if not c:
            return Markup()
        kind, said = c["kind"], None
        if kind == "ruling":
            when = self.time(c["date"])
            if linked:
                to = self.to(to_evidence, "a-" + c["id"])
                when = Markup(f'<a href="{to}">{when}</a>')
            out = self._("Set by the ruling of %(by)s, %(date)s.", by=self.bdi(c["by"]), date=when)
            if reason and d["rulings"]:
                said = next(
                    (ru["reason"] for ru in d["rulings"] if ru["assessment"] == c["id"]), None
                )
        elif kind == "response":
            named = self.rtitle(self.responses[c["id"]]) if c["id"] in self.responses else c["id"]
            if linked:
                named = Markup(f'<a href="#r-{_esc(c["id"])}-{_esc(d["id"])}">{_esc(named)}</a>')
            out = self._(
                "Set by the response %(id)s of %(date)s.", id=named, date=self.time(c["date"])
            )
            if reason and d["evidence"]:
                found = (e["reason"] for e in reversed(d["evidence"]) if e["response"] == c["id"])
                said = next(found, None)
        elif kind == "set-by-hand":
            out = self._("Set by hand on %(date)s.", date=self.time(c["date"]))
        elif kind == "made":
            out = self._(
                "Counted from %(date)s, when the demand was made.", date=self.time(c["date"])
            )
        elif kind == "asked":
            out = self._(
                "%(target)s was not asked this demand; it is shown for comparison only.",
                target=self.bdi(self.target),
            )
        else:
            out = Markup()
        if said:
            out += Markup(f" {self.text(said, 'reason')}")
        return Markup(f'<p class="cause">{out}</p>')

    def summary_row(self, d: dict[str, Any], to_evidence: str) -> Markup:
        """A demand's row in the page's table of the demands: its title (and group), status
        and the latest response or ruling (latest_event), linked to the evidence page."""
        did = _esc(d["id"])
        comma, colon = self._(", "), self._(": ")
        group = self.groups.get(d["group"]) if d["group"] else None
        grp = f' <span class="grp">{self.text(group["title"])}</span>' if group else ""
        late = ""
        if d["overdue_days"] is not None:
            late = f' <span class="overdue">{self.overdue(d["overdue_days"])}</span>'
        ev = latest_event(d, self.events(d))
        if ev and ev["kind"] == "ruling":
            ru = ev["ruling"]
            by, words = self._("ruling of %(by)s", by=self.bdi(ru["by"])), self._("the ruling")
            latest = (
                f"{self.time(ru['date'])}{comma}{by}{colon}{self.badge(ru['status'])} "
                f"{self.text(ru['reason'])} "
                f'<a href="{self.to(to_evidence, "a-" + ru["assessment"])}">{words}</a>'
            )
        elif ev and ev["kind"] == "evidence":
            e = ev["evidence"]
            said = f"{colon}{self.text(e['reason'])}" if e["reason"] else ""
            latest = (
                f"{self.time(e['date'])}{comma}{self.verdict(e['verdict'])}{said} "
                f'<a href="{self.to(to_evidence, "r-" + e["response"])}">'
                f"{self.rtitle(self.responses[e['response']])}</a>"
            )
        else:
            nothing = self._("No response recorded.")
            latest = f'<span class="empty">{nothing}</span>'
        # the responses to it, counted beside a ruling too (the target did answer), and beside
        # a response when there are others
        count = len(d["evidence"])
        if count > (1 if ev and ev["kind"] == "evidence" else 0):
            more = self.ngettext("%(num)s response", "%(num)s responses", count)
            latest += f' <a class="more" href="#{did}">{more}</a>'
        return Markup(
            f'<tr data-status="{_esc(d["status"])}" data-group="{_esc(d["group"] or "")}">\n'
            f'      <th scope="row"><a href="#{did}"><span class="did">{did}</span> '
            f"{self.text(d['title'])}</a>{grp}</th>\n"
            f"      <td>{self.badge(d['status'], d['status_set_by_hand'])}{late}</td>\n"
            f'      <td class="latest">{latest}</td>\n'
            "    </tr>"
        )

    def demand(self, d: dict[str, Any], to_evidence: str) -> Markup:
        """A demand's article on the page: its title, status and what set it, the demand's
        text, how it is judged, the HTML to embed its status, and its history (history_rows).
        Written as the template's loop wrote it (trim_blocks and lstrip_blocks: a line of an
        ``{% if %}`` keeps neither its indentation nor its end)."""
        _ = self._  # (no _() inside an f-string: pybabel extract would not find its text)
        did = _esc(d["id"])
        status: list[str] = [self.badge(d["status"], d["status_set_by_hand"])]
        if d["weight"] != 1:
            weight = _("weight %(weight)s", weight=self.fmt.number(d["weight"]))
            status.append(f' <span class="weight">{weight}</span>')
        if d["made"]:  # when the demand was made (a recommendation of 1990, say)
            made = _("demand made %(date)s", date=self.time(d["made"]))
            status.append(f' <span class="made">{made}</span>')
        if d["due"]:
            due = _("due %(date)s", date=self.time(d["due"]))
            status.append(f' <span class="due">{due}')
            if d["overdue_days"] is not None:
                late = self.overdue(d["overdue_days"])
                status.append(f', <strong class="overdue">{late}</strong>')
            status.append("</span>")
        permalink = _("Link to demand %(id)s", id=d["id"])
        out = [
            (
                f'<article class="demand" id="{did}" data-status="{_esc(d["status"])}" '
                f'data-group="{_esc(d["group"] or "")}" aria-labelledby="{did}-title">\n'
                f'    <h3 id="{did}-title"><a class="permalink" href="#{did}" '
                f'aria-label="{permalink}">#</a> <span class="did">{did}</span> '
                f"{self.text(d['title'])}</h3>\n"
                '    <div class="status-row">\n'
                f'    <p class="status-line">{"".join(status)}</p>\n'
                f"    {self.cause(d, to_evidence, reason=True)}\n"
                "    </div>\n"
            )
        ]
        hand = d["status_set_by_hand"]
        if hand:
            on = _("Status set by hand on %(date)s:", date=self.time(hand["date"]))
            out.append(f'    <p class="by-hand-note">{on} {self.text(hand["reason"])}</p>\n')
        out.append(
            '    <div class="demand-body">\n    <div class="demand-what">\n'
            f'    <blockquote class="demand-text">{self.md(d["text"])}</blockquote>\n'
        )
        if d["met"] or d["partial"] or d["note"] or d["sources"]:
            judged = _("How this demand is judged")
            out.append(f'    <details class="judged">\n    <summary>{judged}</summary>\n')
            if d["met"] or d["partial"]:
                out.append('    <dl class="criteria">\n')
                if d["met"]:
                    met = _("Counts as met")
                    out.append(f"<dt>{met}</dt><dd>{self.text(d['met'])}</dd>")
                if d["partial"]:
                    partly = _("Counts as partly met")
                    out.append(f"<dt>{partly}</dt><dd>{self.text(d['partial'])}</dd>")
                out.append("    </dl>\n")
            if d["note"]:
                note = _("Note:")
                out.append(f'<p class="note"><strong>{note}</strong> {self.text(d["note"])}</p>')
            if d["sources"]:
                cited = _("Sources of the demand:")
                sources = self._("; ").join(self.source(src) for src in d["sources"])
                out.append(f'<p class="demand-sources">{cited} {sources}</p>')
            out.append("    </details>\n")
        alt = _(
            "%(target)s, demand %(id)s: %(status)s",
            target=self.target,
            id=d["id"],
            status=self.labels[d["status"]],
        )
        embed, history = _("Embed this status"), _("History")
        if self.share.base:  # campaign.url: the addresses are absolute
            paste = _(
                "Paste this HTML on another site to show the status of demand %(id)s, kept up "
                "to date with this page:",
                id=d["id"],
            )
        else:  # relative to this page: not "another site"
            paste = _(
                "Paste this HTML on a page published beside this one (its addresses are "
                "relative) to show the status of demand %(id)s, kept up to date with it:",
                id=d["id"],
            )
        out.append(
            f'    <details class="embed">\n      <summary>{embed}</summary>\n'
            f"      <p>{paste}</p>\n"
            f"      <pre><code>{escape(self.share.snippet(d['id'], alt))}</code></pre>\n"
            "    </details>\n    </div>\n"
            f'    <div class="demand-history">\n    <h4 id="{did}-history">{history}</h4>\n'
        )
        if d["evidence"] or d["history"] or d["rulings"]:
            heads = (_("Date"), _("Verdict or ruling"), _("Response or ruling"), _("Status after"))
            head = "".join(f'<th scope="col">{h}</th>' for h in heads)
            rows = self.history_rows(d, to_evidence)
            earlier = ""
            if len(rows) > HISTORY_FOLD_AT:  # the earlier rows fold (filter.js)
                folded, rows = rows[:-HISTORY_SHOWN], rows[-HISTORY_SHOWN:]
                more = self.ngettext(
                    "Show %(num)s earlier entry", "Show %(num)s earlier entries", len(folded)
                )
                lines = "".join(f"      {row}\n" for row in folded)
                earlier = (
                    f'      <tbody class="earlier" data-more="{more}">\n{lines}      </tbody>\n'
                )
            lines = "".join(f"      {row}\n" for row in rows)
            out.append(
                f'    <table class="history" aria-labelledby="{did}-history">\n'
                f"      <thead><tr>{head}</tr></thead>\n"
                f"{earlier}      <tbody>\n{lines}      </tbody>\n    </table>\n"
            )
        else:
            empty = _(
                "No response to this demand is recorded as of %(date)s.",
                date=self.fmt.date(self.as_of),
            )
            out.append(f'    <p class="empty">{empty}</p>\n')
        out.append("    </div>\n    </div>\n  </article>")
        return Markup("".join(out))

    def timeline_rows(self, rows: list[dict[str, Any]], track: Any = None) -> Markup:
        """The rows of "each demand over time" (charts.demand_timelines): each demand's label,
        its bar as positioned spans (or ``track(row)``, the report's SVG macro in print) and
        its steps in words for screen readers. Python: 1,000 rows are 190,000 template steps."""
        no_response = _esc(self.labels["no-response"])
        out = []
        for r in rows:
            rid = _esc(r["id"])
            label = f'<span class="did">{rid}</span>'
            if r["title"]:
                full = escape(self.localized(r["title"])[0])
                label += f' <span class="tl-title" title="{full}">{self.text(r["title"])}</span>'
            if track is not None:
                bar = str(track(r))
            else:
                segs = "".join(
                    f'<span class="seg s-{_esc(s["status"].replace("/", ""))}" '
                    f'style="left:{s["x"]}%;width:{s["w"]}%"></span>'
                    for s in r["segments"]
                )
                dots = "".join(
                    f'<span class="dot" style="left:{d["x"]}%"></span>' for d in r["dots"]
                )
                dense = " dense" if r["dense"] else ""
                bar = f'<span class="track{dense}" aria-hidden="true">{segs}{dots}</span>'
            if track is None:  # the steps in words, for screen readers (print hides them)
                steps = ", ".join(
                    f"{_esc(self.fmt.date(s['date']))} {_esc(self.labels[s['status']])}"
                    for s in r["steps"]
                )
                bar += f'<span class="vh">{steps or no_response}</span>'
            out.append(
                "    <tr>\n"
                f'      <th scope="row" class="tl-label"><a href="#{rid}">{label}</a></th>\n'
                f'      <td class="tl-bar">{bar}</td>\n    </tr>\n'
            )
        return Markup("".join(out)[:-1])  # (the template's line ends the last row)

    def history_rows(self, demand: dict[str, Any], to_evidence: str) -> list[str]:
        """The rows of a demand's history table on the page, oldest first (history_events):
        the date, the verdict or ruling, the response or ruling (linked to the evidence page)
        and the status after it where it changed."""
        changed = status_after(demand)
        did = _esc(demand["id"])
        by_hand, ruling, pending, unverified = (
            self._("Set by hand"),
            self._("ruling"),
            self._("(pending review)"),
            self._("(%(target)s's claim not verified)", target=self.bdi(self.target)),
        )
        rows = []
        for ev in self.sorted_events.pop(demand["id"], None) or history_events(demand):
            if ev["kind"] == "hand":
                rows.append(
                    f"<tr><td>{self.time(ev['date'])}</td>"
                    f'<td colspan="2">{by_hand}</td>'
                    f"<td>{self.badge(ev['step']['status'], True)}</td></tr>"
                )
            elif ev["kind"] == "ruling":
                ru = ev["ruling"]
                after = changed.get(f"ruling:{ru['assessment']}")
                unreviewed = f' <span class="pending">{pending}</span>' if ru.get("pending") else ""
                if ru.get("verified") is False:  # as the evidence page and the report say it
                    unreviewed = f' <span class="unverified">{unverified}</span>{unreviewed}'
                rows.append(
                    f"<tr><td>{self.time(ru['date'])}</td>"
                    f"<td>{ruling} {self.badge(ru['status'])}</td>"
                    f'<td><a href="{self.to(to_evidence, "a-" + ru["assessment"])}">'
                    f"{self.bdi(ru['by'])}</a>"
                    f"{unreviewed}</td><td>{self.badge(after) if after else ''}</td></tr>"
                )
            else:
                e = ev["evidence"]
                rid = escape(e["response"])
                after = changed.get(e["response"])
                claimed = self.claimed(e) if e.get("claimed") or e.get("pending") else ""
                rows.append(
                    f'<tr id="r-{rid}-{did}"><td>{self.time(e["date"])}</td>'
                    f"<td>{self.verdict(e['verdict'])}</td>"
                    f'<td><a href="{self.to(to_evidence, "r-" + e["response"])}">'
                    f"{self.rtitle(self.responses[e['response']])}"
                    f"</a>{claimed}</td><td>{self.badge(after) if after else ''}</td></tr>"
                )
        return rows  # markup, joined into demand()'s

    def source(self, source: dict[str, Any]) -> Markup:
        """A source: its title (linked), outlet, date, source article, language, archived
        copy, note. Built by concatenating escaped pieces (Markup.format is ten times slower
        and a big page has 20,000 sources)."""
        get = source.get
        key = (
            get("url"),
            get("seed"),
            source["title"],
            get("publisher"),
            get("date"),
            get("lang"),
            get("note"),
            get("archive"),
        )
        found = self.sources.get(key)
        if found is not None:
            return found
        url, seed, title, publisher, date, lang, note, archive = key
        # (escape, not _esc: a source's url and title are seldom seen twice)
        d = i18n.text_direction(title)
        if url:
            attr = f' dir="{d}"' if d != self.dir else ""
            out = f'<a href="{escape(url)}" rel="nofollow noopener"{attr}>{escape(title)}</a>'
        else:
            out = f'<cite dir="{d}">{escape(title)}</cite>'
        comma = self._(", ")
        if publisher:
            out += f"{comma}{self.bdi(publisher)}"
        if date:
            out += f"{comma}{self.time(date)}"
        if seed in self.copies:  # the page: a link to the copy, named in words
            words = self._("(saved text of the article)")
            out += f' <a class="seed" href="sources/{_esc(seed)}" title="{_esc(seed)}">{words}</a>'
        elif seed:  # the PDF, or no copy: the file's name, to find it in the project
            file = Markup(f'<code dir="ltr">{_esc(seed)}</code>')  # isolated: "004_….txt" in order
            words = self._("(source article %(file)s)", file=file)
            out += f' <span class="seed">{words}</span>'
        if lang and lang != self.lang:
            name = _esc(i18n.language_name(lang, self.lang))
            out += f' <span class="src-lang" title="{name}">[{_esc(lang)}]</span>'
        if archive:
            archived = self._("archived copy")
            out += (
                f' <a class="archived" href="{escape(archive)}" rel="nofollow noopener">'
                f"{archived}</a>"
            )
        if note:  # in the campaign's language, marked on a page in another
            marked = self._data_lang()
            out += (
                f' <span class="note"{marked} dir="{i18n.text_direction(note)}">'
                f"{escape(note)}</span>"
            )
        self.sources[key] = found = Markup(out)
        return found


class _Ids(list):
    """A list of ids that answers ``in`` at once."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(ids)
        self.set = frozenset(ids)

    def __contains__(self, value: object) -> bool:
        try:
            return value in self.set
        except TypeError:  # unhashable: not an id, but answer as a list does
            return super().__contains__(value)


@functools.lru_cache(maxsize=4096, typed=True)  # ids and names, escaped again and again
def _esc(value: Any) -> str:
    """``str(escape(value))``: what Markup.format writes for a value."""
    return str(escape(value))


cached_escape = _esc  # (the feed's names, labels and dates, entry after entry)


def history_events(demand: dict[str, Any]) -> list[dict[str, Any]]:
    """A demand's dated record, oldest first: its responses' verdicts, the assessor's rulings
    and statuses set by hand; on one date, responses before rulings (as match.py counts them)."""
    order = {"evidence": 0, "ruling": 1, "hand": 2}
    found = [
        {"kind": "hand", "date": s["date"], "step": s}
        for s in demand["history"]
        if s["set_by_hand"]
    ]
    found += [{"kind": "evidence", "date": e["date"], "evidence": e} for e in demand["evidence"]]
    found += [{"kind": "ruling", "date": r["date"], "ruling": r} for r in demand.get("rulings", [])]
    return sorted(found, key=lambda ev: (as_period(ev["date"]), order[ev["kind"]]))


def status_after(demand: dict[str, Any]) -> dict[str, str]:
    """The steps of a demand's history that changed its status, and the status after each:
    {response id, or "ruling:" + assessment id: status} (the page's and the report's
    history)."""
    changed: dict[str, str] = {}
    for step in demand["history"]:
        if step["ruling"]:
            changed[f"ruling:{step['ruling']}"] = step["status"]
        else:
            for rid in step["responses"]:
                changed[rid] = step["status"]
    return changed


def latest_event(
    demand: dict[str, Any], events: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """A demand's latest ruling, or response verdict other than 'none' (of its ``events``,
    default history_events), or None: what the tables of the demands show beside the status.
    A later 'none' ("touches the demand, offers nothing") changes no status, and beside a
    status it set nothing for it would read as a contradiction; with only 'none' verdicts,
    the latest of them."""
    events = history_events(demand) if events is None else events
    found = [ev for ev in events if ev["kind"] != "hand"]
    said = [ev for ev in found if ev["kind"] != "evidence" or ev["evidence"]["verdict"] != "none"]
    chosen = said or found
    return chosen[-1] if chosen else None


def page_counter_css(tr: Any) -> Markup:
    """The PDF's "Page 2 of 9" footer as a CSS content value, in the page's language."""
    quoted = json.dumps(tr.gettext("Page %(page)s of %(pages)s"), ensure_ascii=False)
    value = quoted.replace("%(page)s", '" counter(page) "').replace(
        "%(pages)s", '" counter(pages) "'
    )
    return Markup(value.replace("<", "\\3C "))


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
