"""Languages: gettext catalogs, --lang, the language switcher, locale dates, fallback marking,
right-to-left in a real browser, and Arabic text that copies out of the PDF intact."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import ROOT
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.i18n import LOCALE_DIR, Formats, available, text_direction
from scorecard.validate import load_project

LANGS = ("ar", "fr")
# Arabic letters and marks (not Arabic punctuation such as the comma U+060C)
ARABIC_WORD = re.compile(
    r"[\u0621-\u063A\u0640-\u065F\u066E-\u06D3\u06D5\u0750-\u077F"
    r"\uFB50-\uFDFF\uFE70-\uFEFC]+"
)


class Tags(HTMLParser):
    """Start tags with their attributes, and the text inside each element kind."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[tuple[tuple[str, dict], str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "input", "link", "br", "rect", "img"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data) -> None:
        if self.stack and data.strip():
            self.texts.append((self.stack[-1], data.strip()))


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def build(runner, project: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["build", str(project), *args])
    assert result.exit_code == 0, result.output
    assert "PDF:" not in result.output, f"WeasyPrint logged warnings or errors:\n{result.output}"
    return project / "output"


# --------------------------------------------------------------------------- the catalogs


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory: pytest.TempPathFactory):
    """The interface text as the code and templates are now, extracted with babel.cfg."""
    pot = tmp_path_factory.mktemp("pot") / "scorecard.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from babel.messages.frontend import main; main()",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return read_po(fh)


def test_the_extraction_finds_the_interface_text(fresh_pot) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in fresh_pot if m.id}
    # from the templates and vocabulary.py (labels, definitions, the score in words)
    for text in (
        "The demands",
        "Methodology",
        "Partly met",
        "does what was asked",
        "No response in this record addresses the demand.",
        "%(met)s of %(total)s met",
        "Page %(page)s of %(pages)s",
        "statement",
    ):
        assert text in ids
    assert len(ids) > 80


def test_no_interface_text_is_written_inside_an_f_string() -> None:
    """The extraction cannot see ``_("...")`` inside an f-string's braces: such a text would
    be left out of the catalogs, and shown in English on every page of another language."""
    found = []
    for path in sorted((ROOT / "scorecard").rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"""\{(self\.)?(_|ngettext|gettext)\(\s*["']""", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete(fresh_pot, lang: str) -> None:
    """Every interface string has a translation that is not fuzzy, with the same
    placeholders; the compiled .mo that ships says the same as the .po."""
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / "scorecard.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message in fresh_pot:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None:
            problems.append(f"missing: {message.id!r}")
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if found.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {message.id!r}")
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(f"needs {catalog.num_plurals} plural forms: {message.id!r}")
        wanted = set(
            re.findall(r"%\(\w+\)s", message.id if isinstance(message.id, str) else message.id[1])
        )
        for string in strings:
            got = set(re.findall(r"%\(\w+\)s", string or ""))
            if not got <= wanted or (not isinstance(message.id, tuple) and got != wanted):
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
    for message, errors in catalog.check():
        problems += [f"{message.id!r}: {e}" for e in errors]
    assert not problems, "\n".join(problems)
    with (po_path.with_suffix(".mo")).open("rb") as fh:
        compiled = read_mo(fh)
    for message in catalog:
        if message.id:
            stale = f"stale .mo, run make catalogs: {message.id!r}"
            assert compiled.get(message.id) is not None, stale
            string = compiled.get(message.id).string
            assert (tuple(string) if isinstance(string, list) else string) == message.string, stale


def test_available_languages() -> None:
    assert available() == ["ar", "en", "fr"]


def test_wheel_ships_the_compiled_catalogs(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("scorecard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in LANGS:
        assert f"scorecard/locale/{lang}/LC_MESSAGES/scorecard.mo" in names
    requires = [n for n in names if n.endswith("METADATA")]
    meta = zipfile.ZipFile(wheel).read(requires[0]).decode()
    assert "Requires-Dist: babel" in meta
    assert "Requires-Dist: fontpkg-ibm-plex-sans-arabic" in meta


# --------------------------------------------------------------------------- the pages


@pytest.mark.slow
def test_three_languages_six_files_and_a_switcher(runner, example: Path) -> None:
    out = build(runner, example, "--lang", "en,ar,fr")
    # the six files of the issue, for the primary target and for each other target
    pages = {
        f"scorecard{target}{lang}.{ext}"
        for target in ("", ".youtube", ".twitter")
        for lang in ("", ".ar", ".fr")
        for ext in ("html", "pdf")
    }
    assert {p.name for p in out.iterdir()} == pages | {"scorecard.json", "sources"} | {
        f"{stem}{lang}.{ext}"
        for lang in ("", ".ar", ".fr")
        for stem, ext in (
            ("evidence", "html"),
            ("evidence.youtube", "html"),
            ("evidence.twitter", "html"),
            ("feed", "xml"),
            ("badge", "svg"),
            ("badge.facebook", "svg"),
            ("badge.youtube", "svg"),
            ("badge.twitter", "svg"),
        )
    } | {
        f"badge{t}.D{i}{lang}.svg"
        for t in ("", ".youtube", ".twitter")
        for i in range(1, 11)
        for lang in ("", ".ar", ".fr")
    }
    nav = [
        a
        for t, a in parse((out / "scorecard.youtube.ar.html").read_text(encoding="utf-8")).tags
        if t == "a" and "hreflang" in a
    ]
    assert [a["href"] for a in nav] == [
        "scorecard.youtube.html",
        "scorecard.youtube.ar.html",
        "scorecard.youtube.fr.html",
    ]
    pages = {"en": "scorecard.html", "ar": "scorecard.ar.html", "fr": "scorecard.fr.html"}
    for lang, name in pages.items():
        tags = parse((out / name).read_text(encoding="utf-8")).tags
        assert tags[0] == ("html", {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"})
        nav = [a for t, a in tags if t == "a" and "hreflang" in a]
        assert [(a["hreflang"], a["href"]) for a in nav] == [
            ("en", "scorecard.html"),
            ("ar", "scorecard.ar.html"),
            ("fr", "scorecard.fr.html"),
        ]
        assert [a["hreflang"] for a in nav if a.get("aria-current") == "page"] == [lang]
        alternates = {a["hreflang"] for t, a in tags if t == "link" and a.get("rel") == "alternate"}
        assert alternates == set(pages) - {lang}
    # JSON: one file with every language of every text
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert set(doc["demands"][0]["title"]) == {"en", "ar", "fr"}
    assert (PdfReader(out / "scorecard.ar.pdf").trailer["/Root"]["/Lang"]) == "ar"
    assert (PdfReader(out / "scorecard.fr.pdf").trailer["/Root"]["/Lang"]) == "fr"
    french = "\n".join(page.extract_text() for page in PdfReader(out / "scorecard.fr.pdf").pages)
    assert "Généré le 14 novembre 2023 par scorecard" in french and "Page 2 sur" in french
    arabic = "\n".join(page.extract_text() for page in PdfReader(out / "scorecard.ar.pdf").pages)
    # the date in Arabic (extractors give mixed Arabic and digits in visual order, so by line)
    assert any(
        "نوفمبر" in line and "14" in line and "2023" in line and "أنشئ" in line
        for line in arabic.splitlines()
    )


def test_one_language_no_switcher(runner, example: Path) -> None:
    out = build(runner, example, "--format", "html", "--lang", "fr")
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".html") == [
        "evidence.fr.html",
        "evidence.twitter.fr.html",
        "evidence.youtube.fr.html",
        "scorecard.fr.html",
        "scorecard.twitter.fr.html",
        "scorecard.youtube.fr.html",
    ]
    assert 'class="langs"' not in (out / "scorecard.fr.html").read_text(encoding="utf-8")


def test_unknown_language_is_refused(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["build", str(mini), "--lang", "en,de"])
    assert result.exit_code == 2
    assert (
        "'de' is not an interface language; use a comma-separated list of ar, en, fr"
        in result.output
    )
    assert not (mini / "output").exists() or not any((mini / "output").iterdir())


def test_french_page_uses_french_dates_numbers_and_words(runner, example: Path) -> None:
    html = (
        build(runner, example, "--format", "html", "--lang", "fr", "--as-of", "2020-07-07")
        / "scorecard.fr.html"
    ).read_text(encoding="utf-8")
    assert '<time datetime="2020-07-07">7 juillet 2020</time>' in html
    assert "Statut de chaque revendication au 7 juillet 2020" in html
    assert "0 sur 10 satisfaite, 1 en partie" in html
    assert "5\u00a0%" in html  # French writes a (no-break) space before %
    assert "Méthodologie" in html and "Partiellement satisfaite" in html
    assert "Methodology" not in html and "Partly met" not in html
    assert "Un cadre dirigeant chargé des droits civiques" in html


def test_english_keeps_its_wording_with_locale_dates(runner, example: Path) -> None:
    html = (
        build(runner, example, "--format", "html", "--as-of", "2020-07-07") / "scorecard.html"
    ).read_text(encoding="utf-8")
    assert '<time datetime="2020-07-07">July 7, 2020</time>' in html
    assert "0 of 10 met, 1 partly" in html and "The demands" in html


def test_arabic_interface_and_mixed_direction(runner, example: Path) -> None:
    out = build(runner, example, "--format", "html", "--lang", "ar", "--as-of", "2020-07-07")
    html = (out / "scorecard.ar.html").read_text(encoding="utf-8")
    evidence = (out / "evidence.ar.html").read_text(encoding="utf-8")
    for english in (
        "The demands",
        "Methodology",
        "Status history",
        "Partly met",
        "No response in this record addresses the demand.",
    ):
        assert english not in html
    assert "المنهجية" in html and "تحقق جزئيا" in html
    assert "7 يوليو 2020" in html
    # Latin names inside Arabic sentences are isolated with their own direction
    assert '<strong><bdi dir="ltr">Facebook</bdi></strong>' in html
    assert '<bdi dir="ltr">Mark Zuckerberg</bdi>' in html + evidence
    # the Arabic quote from the Arabic source article, shown as Arabic (no fallback mark)
    assert "<p>التوصية الوحيدة التى حاولوا حتى معالجتها" in html + evidence
    # the chart is mirrored: the first status (met/partial) is drawn at the right
    first_rect = re.search(r'<rect x="([\d.]+)" y="0" width="([\d.]+)"', html)
    assert float(first_rect[1]) + float(first_rect[2]) == pytest.approx(600, abs=0.02)


def test_notes_of_the_data_carry_its_language_on_a_page_in_another(runner, example: Path) -> None:
    """A date's and a source's one-line notes are in the campaign's language (English), which
    cannot be translated: on the Arabic and French pages they say so (lang="en"), for screen
    readers; on the English page they need not."""
    import re

    out = build(runner, example, "--format", "html", "--lang", "en,ar,fr")
    for suffix, marked in ((".ar", True), (".fr", True), ("", False)):
        page = (out / f"evidence{suffix}.html").read_text(encoding="utf-8")
        notes = re.findall(r'<span class="note"[^>]*>', page)
        dated = re.findall(r'<p class="uncertain">[^<]*(?:<bdi[^>]*>)?', page)
        assert len(notes) >= 3 and len(dated) >= 3, suffix  # the example has both
        for tag in notes + dated:
            assert ('lang="en"' in tag) is marked, (suffix, tag)


def test_fallback_is_marked_with_its_language(runner, mini: Path) -> None:
    html = (
        build(runner, mini, "--format", "html", "--lang", "ar", "--as-of", "2020-12-01")
        / "scorecard.ar.html"
    ).read_text(encoding="utf-8")
    page = parse(html)
    texts = {text: attrs for (tag, attrs), text in page.texts}
    # D1's title has Arabic: shown in Arabic, no mark (it takes the page's lang="ar")
    assert "مسؤول تنفيذي للحقوق المدنية" in texts
    assert "lang" not in texts["مسؤول تنفيذي للحقوق المدنية"]
    # D2's title and the group "Decency" have no Arabic: English, marked as such
    for english in ("Independent audits", "Decency"):
        attrs = texts[english]
        assert (attrs.get("lang"), attrs.get("dir"), attrs.get("data-fallback")) == (
            "en",
            "ltr",
            "en",
        ), (english, attrs)
    # Markdown text: the block that holds it
    assert (
        '<div class="md" lang="en" dir="ltr" data-fallback="en"><p>Hire a civil rights '
        "executive in the C-suite.</p>"
    ) in html
    # and a reader is told, once, under the title, in words
    assert "تُعرض نصوص الحملة التي لا ترجمة لها باللغة الإنجليزية." in html
    # in the default language nothing is marked
    html_en = (
        build(runner, mini, "--format", "html", "--as-of", "2020-12-01") / "scorecard.html"
    ).read_text(encoding="utf-8")
    assert "data-fallback" not in html_en and "with no translation" not in html_en


def test_hashtags_are_isolated_in_plain_text_and_markdown() -> None:
    from scorecard.i18n import isolate
    from scorecard.render.markdown import markdown

    assert str(isolate("حملة #StopHateForProfit <b>")) == (
        'حملة <bdi dir="ltr">#StopHateForProfit</bdi> &lt;b&gt;'
    )
    assert str(markdown("حملة **#StopHateForProfit** و #أنا_هنا [x](https://e.org/#a) C#")) == (
        '<p>حملة <strong><bdi dir="ltr">#StopHateForProfit</bdi></strong> و '
        '<bdi dir="rtl">#أنا_هنا</bdi> <a rel="nofollow noopener" href="https://e.org/#a">x</a>'
        " C#</p>\n"
    )
    # raw HTML stays text, even next to a hashtag
    assert "&lt;script&gt;" in markdown("<script>#x</script>")
    # a Latin name joined by underscores keeps its order in an Arabic sentence
    assert str(isolate("المقال المصدر 000_607052b6.txt.")) == (
        'المقال المصدر <bdi dir="ltr">000_607052b6.txt</bdi>.'
    )
    assert "<bdi" not in str(isolate("3.6% of 2020-07-08, snake case"))
    assert str(markdown("من المقال 000_6070.txt")) == (
        '<p>من المقال <bdi dir="ltr">000_6070.txt</bdi></p>\n'
    )


def test_percentages_print_as_decimals_not_binary_fractions() -> None:
    # A score of 3.6% divided by 100 in floating point is 0.036000000000000004.
    assert [Formats("en").percent(v) for v in (3.6, 2.9, 11.8, 25, 32.4)] == [
        "3.6%",
        "2.9%",
        "11.8%",
        "25%",
        "32.4%",
    ]
    assert Formats("fr").percent(3.6) == "3,6\u00a0%"


def test_text_direction_of_first_strong_character() -> None:
    assert text_direction("#StopHateForProfit") == "ltr"
    assert text_direction("«مارك زوكربيرج»") == "rtl"
    assert text_direction("2020 فيسبوك") == "rtl"
    assert text_direction("...") == "ltr"


# --------------------------------------------------------------------------- the browser


@pytest.mark.slow
def test_arabic_page_in_a_real_browser(runner, example: Path, tmp_path: Path, browser) -> None:
    out = build(runner, example, "--format", "html", "--lang", "en,ar,fr")
    page_path = out / "scorecard.ar.html"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], f"horizontal scrolling at 360 px: {width}"
        # the filter's script says how many demands are shown, in Arabic
        assert page.inner_text("#shown") == "عرض 10 من 10 من المطالب."
        # mirrored layout: the demand text's rule is on the right (inline-start in RTL)
        border = page.evaluate("""() => { const s = getComputedStyle(
            document.querySelector('.demand-text'));
            return [s.borderRightWidth, s.borderLeftWidth]; }""")
        assert border == ["4px", "0px"]
        # the language switcher leads to the English page
        page.click("nav.langs a[hreflang=en]")
        assert page.evaluate("document.documentElement.dir") == "ltr"
        assert all(u.startswith("file://") for u in requests), requests
        for other in ("scorecard.html", "scorecard.fr.html"):  # longer words, same width
            page.goto((out / other).as_uri())
            width = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width[0] <= width[1], f"{other}: horizontal scrolling at 360 px: {width}"
        # on the evidence page, quotation marks follow the language of the quote
        page.goto((out / "evidence.ar.html").as_uri())
        assert page.evaluate("document.documentElement.dir") == "rtl"
        width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], f"evidence.ar.html: horizontal scrolling at 360 px: {width}"
        marks = page.evaluate("""() => [...document.querySelectorAll('.quote p')].map(
            p => [p.lang || 'ar', getComputedStyle(p).quotes])""")
        assert ["ar", '"«" "»" "“" "”"'] in marks and ["en", '"“" "”" "‘" "’"'] in marks, marks
        assert all(u.startswith("file://") for u in requests), requests
        page.goto(page_path.as_uri())
        shot = tmp_path / "scorecard.ar.360.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
    finally:
        page.close()


# --------------------------------------------------------------------------- the PDF


def _arabic_words(text: str) -> list[str]:
    # NFKC maps Arabic presentation forms (U+FB50-U+FEFF) to the letters they stand for.
    return ARABIC_WORD.findall(unicodedata.normalize("NFKC", text))


@pytest.mark.slow
def test_arabic_pdf_fonts_embedded_and_title_words_extract_intact(runner, example: Path) -> None:
    pdf = build(runner, example, "--format", "pdf", "--lang", "ar") / "scorecard.ar.pdf"
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert any("Scorecard-Arabic" in row for row in fonts), fonts
    for row in fonts:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), f"not embedded and subset: {row}"
        assert "Scorecard" in row, f"a font other than the packaged ones was used: {row}"
    project, _ = load_project(ROOT)
    words = [w for d in project.demands for w in _arabic_words(d.title["ar"])]
    assert len(words) > 40
    poppler = set(
        _arabic_words(
            subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
    )
    pypdf = set(_arabic_words("\n".join(p.extract_text() for p in PdfReader(pdf).pages)))
    assert [w for w in words if w not in poppler] == [], "pdftotext"
    assert [w for w in words if w not in pypdf] == [], "pypdf"
    # whole titles too, as lines of the summary table and headings
    text = unicodedata.normalize(
        "NFKC",
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    for demand in project.demands:
        assert demand.title["ar"] in text, demand.title["ar"]


def test_arabic_plural_forms_follow_the_catalogs_formula() -> None:
    """Arabic has six plural forms: 3-10 take the plural, 11-99 the accusative singular (ردا),
    100-102 the plain singular (رد). The catalog's Plural-Forms must number them as its
    translations do: with the two last forms swapped, 27 read "27 رد" and 100 "100 ردا"."""
    from scorecard.i18n import translations

    tr = translations("ar")
    said = {
        n: tr.ngettext("%(num)d response", "%(num)d responses", n) % {"num": n}
        for n in (2, 3, 11, 27, 100, 103)
    }
    assert said == {
        2: "ردان",
        3: "3 ردود",
        11: "11 ردا",
        27: "27 ردا",
        100: "100 رد",
        103: "103 ردود",
    }
    catalog = read_po((LOCALE_DIR / "ar" / "LC_MESSAGES" / "scorecard.po").open("rb"))
    from babel.messages.plurals import get_plural

    assert catalog.plural_expr.replace(" ", "") == get_plural("ar").plural_expr.replace(" ", "")


def test_french_writes_the_first_of_a_month_as_premier() -> None:
    fr = Formats("fr")
    assert (fr.date("2020-07-01"), fr.date("2020-07-11"), fr.date("2021-01-01")) == (
        "1er juillet 2020",
        "11 juillet 2020",
        "1er janvier 2021",
    )
    assert Formats("en").date("2020-07-01") == "July 1, 2020"


def test_counts_of_a_thousand_or_more_are_grouped_in_each_language() -> None:
    """'8,578 responses', '8 578 réponses': a count in words reads like the page's numbers
    (counts under 1,000 print as they are)."""
    from scorecard.render.html import Renderer

    renderer = Renderer()
    message = '{{ ngettext("%(num)s response that addressed no demand", "%(num)s responses that addressed no demand", n) }}'
    said = {}
    for lang in ("en", "fr"):
        renderer.use_language(lang)
        template = renderer.env.from_string(message)
        said[lang] = [template.render(n=n) for n in (27, 8578)]
    assert said["en"] == [
        "27 responses that addressed no demand",
        "8,578 responses that addressed no demand",
    ]
    assert said["fr"][1].startswith("8\u202f578 ") and said["fr"][0].startswith("27 ")
    # The pieces written in Python (a folded history's button, a demand overdue) say the same.
    from scorecard import i18n
    from scorecard.render.html import _Fast

    fast = _Fast(i18n.translations("fr"), i18n.Formats("fr"), "ltr", "fr")
    singular, plural = "Show %(num)s earlier entry", "Show %(num)s earlier entries"
    assert fast.ngettext(singular, plural, 1234).startswith("Afficher les 1\u202f234 ")
    assert fast.ngettext(singular, plural, 27) == "Afficher les 27 entrées antérieures"
