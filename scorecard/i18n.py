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
from dataclasses import dataclass
from pathlib import Path

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
    import unicodedata

    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


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


def language_name(lang: str) -> str:
    """The name of a language in that language (العربية, français, English)."""
    return _locale(lang).get_display_name(_locale(lang)) or lang


@dataclass(frozen=True)
class Formats:
    """Dates and numbers written the way a locale writes them (Babel, CLDR data)."""

    lang: str

    def date(self, value: str | dt.date | None) -> str:
        from babel.dates import format_date

        if not value:
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        return format_date(value, format="long", locale=_locale(self.lang))

    def number(self, value: float | int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=_locale(self.lang), decimal_quantization=False)

    def percent(self, value: float) -> str:
        """``value`` in percent (35.5 -> 35.5%, 35,5 % in French)."""
        from babel.numbers import format_percent

        return format_percent(value / 100, locale=_locale(self.lang),
                              decimal_quantization=False)
