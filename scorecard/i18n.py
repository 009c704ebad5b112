"""Interface languages: gettext catalogs managed with Babel, and dates and numbers per locale.

The catalogs live in ``scorecard/locale/<lang>/LC_MESSAGES/scorecard.po`` (source) and ``.mo``
(compiled, shipped in the package). English is the source language: its text is the msgid itself.
Python code marks interface text with ``N_()`` so that ``pybabel extract`` finds it; the text is
translated when a page is rendered, never stored translated.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "scorecard"
SOURCE_LANG = "en"
RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark interface text for extraction; it is translated when the page is rendered."""
    return message


def base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def direction(lang: str) -> str:
    return "rtl" if base(lang) in RTL_LANGS else "ltr"


def text_direction(text: str) -> str:
    """The direction of a text from its first strong character (as dir="auto" does), so that
    renderers without dir="auto" (WeasyPrint) isolate it right too."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


# A hashtag or handle (#StopHateForProfit, @Facebook, #أنا_هنا): its "#" or "@" is a neutral
# character that, inside a sentence of the other direction, lands on the wrong side of the word.
# So is the "_" of a Latin name joined by underscores (a source article, 000_607052b6.txt, read
# "607052b6.txt_000" in an Arabic sentence).
TAG = re.compile(r"(?<![\w#@&/])([#@][^\W_]\w*|[0-9A-Za-z]+(?:_[0-9A-Za-z]+)+(?:\.[0-9A-Za-z]+)*)")


def isolate(text: str):
    """Escape ``text`` and put each hashtag or handle in ``<bdi dir=...>``, as Markup."""
    if type(text) is str and "#" not in text and "@" not in text and "_" not in text:
        return escape(text)  # no tag: the same as below, without the split (a hot path)
    parts = TAG.split(text or "")
    return Markup("").join(
        Markup('<bdi dir="{}">{}</bdi>').format(text_direction(part), part)
        if i % 2
        else escape(part)
        for i, part in enumerate(parts)
        if part
    )


def isolate_tags_rule(state) -> None:
    """markdown-it core rule: the same isolation for hashtags in Markdown text."""
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token in block.children:
            if token.type != "text" or not TAG.search(token.content):
                children.append(token)
                continue
            for i, part in enumerate(TAG.split(token.content)):
                if not part:
                    continue
                if i % 2:
                    children += [
                        Token("html_inline", "", 0, content=f'<bdi dir="{text_direction(part)}">'),
                        Token("text", "", 0, content=part),
                        Token("html_inline", "", 0, content="</bdi>"),
                    ]
                else:
                    children.append(Token("text", "", 0, content=part))
        block.children = children


def available() -> list[str]:
    """Interface languages: English and every language with a compiled catalog."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return sorted({SOURCE_LANG, *found})


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language (English: none, the msgids are the English text)."""
    from babel.support import Translations

    if base(lang) == SOURCE_LANG:
        return gettext.NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang.replace("-", "_"), base(lang)], DOMAIN)


@functools.cache
def _locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANG)


@functools.lru_cache(maxsize=8192)
def _long_date(iso: str, lang: str) -> str:
    """A date in the locale's long form, at its precision (a day, "November 2021", "2021");
    cached, since a page writes the same dates often."""
    from babel.dates import format_date, format_skeleton

    if len(iso) == 4:  # a year
        return format_skeleton("y", dt.date(int(iso), 1, 1), locale=_locale(lang))
    if len(iso) == 7:  # a month
        day = dt.date(int(iso[:4]), int(iso[5:7]), 1)
        return format_skeleton("yMMMM", day, locale=_locale(lang))
    day = dt.date.fromisoformat(iso[:10])
    text = format_date(day, format="long", locale=_locale(lang))
    if day.day == 1 and lang == "fr":  # "1er juillet": French writes the first of a month so
        text = text.replace("1", "1er", 1)
    return text


@functools.lru_cache(maxsize=4096)
def _month(iso: str, lang: str) -> str:
    from babel.dates import format_skeleton

    if len(iso) == 4:  # a date known to the year: the year alone
        return format_skeleton("y", dt.date(int(iso), 1, 1), locale=_locale(lang))
    day = dt.date(int(iso[:4]), int(iso[5:7]), 1)  # a day's or a month's (2021-06)
    return format_skeleton("yMMM", day, locale=_locale(lang))


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The name of a language in that language (العربية, français, English), or in
    ``in_lang`` (Arabic in French: arabe)."""
    return _locale(lang).get_display_name(_locale(in_lang or lang)) or lang


@dataclass(frozen=True)
class Formats:
    """Dates and numbers written the way a locale writes them (Babel, CLDR data)."""

    lang: str

    def date(self, value: str | dt.date | None) -> str:
        if not value:
            return ""
        return _long_date(value if isinstance(value, str) else value.isoformat(), self.lang)

    def month(self, value: str | dt.date) -> str:
        """A month and year, short ("Jul 2020", "juil. 2020", "يوليو 2020"); the year alone
        of a date known to the year."""
        return _month(value if isinstance(value, str) else value.isoformat(), self.lang)

    def number(self, value: float | int) -> str:
        return _number(type(value).__name__, value, self.lang)

    def percent(self, value: float) -> str:
        """``value`` in percent (35.5 -> 35.5%, 35,5 % in French)."""
        return _percent(type(value).__name__, value, self.lang)


@functools.lru_cache(maxsize=4096)  # a score history writes the same percents again and again
def _percent(kind: str, value: float, lang: str) -> str:  # kind: 1 and 1.0 apart
    from decimal import Decimal

    from babel.numbers import format_percent

    # In decimal: 3.6 / 100 in binary floating point is 0.036000000000000004.
    fraction = Decimal(repr(value)) / 100
    return format_percent(fraction, locale=_locale(lang), decimal_quantization=False)


@functools.lru_cache(maxsize=4096)  # a score history writes the same counts again and again
def _number(kind: str, value: float | int, lang: str) -> str:  # kind: 1 and 1.0 apart
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang), decimal_quantization=False)


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
