"""The outputs as readers get them: every interface word in the reader's language, each
response's body printed once, and the charts holding at any size (tests for issue 11)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, build_process, copy_example

POT = ROOT / "scorecard" / "locale" / "scorecard.pot"
PUNCTUATION = r"%\(\w+\)[sd]|[.,;:()“”\"'’‘?!…—–·]"


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader sees it (no script, style or markup)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def strings(value) -> list[str]:
    """Every string in a JSON document: the campaign's own words, in every language."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [" ".join(value.split())] if isinstance(value, str) else []


def english_fragments(data: list[str]) -> set[str]:
    """The English interface text, as the pieces a translation must replace: each msgid of the
    catalog template cut at its placeholders and punctuation, keeping the pieces of two words or
    more (or one word of four letters or more) that the campaign's own data does not contain."""
    with POT.open("rb") as fh:
        catalog = read_po(fh)
    corpus = "\n".join(data).lower()
    out = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            for part in re.split(PUNCTUATION, msgid or ""):
                part = " ".join(part.split())
                words = re.findall(r"[A-Za-z]{2,}", part)
                if (
                    len(words) >= 2 or re.fullmatch(r"[A-Za-z]{4,}", part)
                ) and part.lower() not in corpus:
                    out.add(part)
    return out


def english_in(text: str, fragments: set[str]) -> list[str]:
    return sorted(
        f for f in fragments if re.search(r"(?<![A-Za-z])" + re.escape(f) + r"(?![A-Za-z])", text)
    )


@pytest.fixture(scope="module")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example in English, Arabic and French: pages, PDFs, badges, feeds."""
    dest = copy_example(tmp_path_factory.mktemp("langs") / "example")
    done = build_process(
        dest, "--lang", "en,ar,fr", "--format", "html,pdf,json", "--as-of", "2021-07-01"
    )
    assert done.returncode == 0, done.stderr
    return dest / "output"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "scorecard.ar.html",
        "scorecard.fr.html",
        "evidence.ar.html",
        "evidence.fr.html",
        "scorecard.ar.pdf",
        "scorecard.fr.pdf",
        "scorecard.youtube.ar.html",
        "scorecard.youtube.fr.pdf",
        "feed.ar.xml",
        "feed.fr.xml",
        "badge.ar.svg",
        "badge.fr.svg",
    ],
)
def test_no_english_interface_text_in_other_languages(languages: Path, name: str) -> None:
    doc = json.loads((languages / "scorecard.json").read_text(encoding="utf-8"))
    fragments = english_fragments(strings(doc))
    path = languages / name
    text = (
        pdf_text(path) if name.endswith(".pdf") else visible_text(path.read_text(encoding="utf-8"))
    )
    assert english_in(text, fragments) == []


@pytest.mark.slow
def test_the_english_check_finds_english(languages: Path) -> None:
    """The judge above is not blind: the English page is full of what it looks for."""
    doc = json.loads((languages / "scorecard.json").read_text(encoding="utf-8"))
    found = english_in(
        visible_text((languages / "scorecard.html").read_text(encoding="utf-8"))
        + visible_text((languages / "evidence.html").read_text(encoding="utf-8")),
        english_fragments(strings(doc)),
    )
    expected = {"Evidence register", "Methodology", "Latest response", "The evidence"}
    assert expected | {"Responses that addressed the demands"} <= set(found)


@pytest.mark.slow
def test_badge_and_feed_per_language(languages: Path) -> None:
    """The default language's at badge.svg and feed.xml, the others' at badge.LANG.svg and
    feed.LANG.xml, each in its own language."""
    assert ">demands<" in (languages / "badge.svg").read_text(encoding="utf-8")
    assert 'xml:lang="fr"' in (languages / "badge.fr.svg").read_text(encoding="utf-8")
    assert "Changements" not in (languages / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="ar"' in (languages / "feed.ar.xml").read_text(encoding="utf-8")
    assert "scorecard.ar.html" in (languages / "feed.ar.xml").read_text(encoding="utf-8")
    assert "status changes" in (languages / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_urls_keep_their_order_in_the_arabic_report(languages: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(languages / "scorecard.ar.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "https://" in text
    assert not re.search(r"/https?://", text)


def first_words(text: str, n: int = 9) -> str:
    """The first words of a text as a reader sees them (Markdown marks dropped)."""
    plain = re.sub(r"\]\([^)]*\)|[*_`#\[\]>]", " ", text)
    return " ".join(plain.split()[:n])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_response_body_is_printed_once(languages: Path, lang: str) -> None:
    """A response that touches several demands is told once, on the evidence page (in the
    register, or in its own section when it touched none) and in the report; the demands on
    the page link to it."""
    doc = json.loads((languages / "scorecard.json").read_text(encoding="utf-8"))
    suffix = "" if lang == "en" else f".{lang}"
    html = (languages / f"scorecard{suffix}.html").read_text(encoding="utf-8")
    evidence = (languages / f"evidence{suffix}.html").read_text(encoding="utf-8")
    page = visible_text(html) + visible_text(evidence)
    report = pdf_text(languages / f"scorecard{suffix}.pdf")
    for r in doc["responses"]:
        summary = (
            r["summary"].get(lang, r["summary"]["en"])
            if isinstance(r["summary"], dict)
            else r["summary"]
        )
        words = first_words(summary)
        assert page.count(words) == 1, (r["id"], words, page.count(words))
        if lang == "en":  # pdftotext reorders Arabic lines; the page is the Arabic judge
            assert report.count(words) == 1, (r["id"], words, report.count(words))
    for d in doc["demands"]:
        for e in d["evidence"]:
            assert f'href="evidence{suffix}.html#r-{e["response"]}"' in html
            assert f'<article class="response" id="r-{e["response"]}">' in evidence


def synthetic(tmp: Path, demands: int, responses: int) -> Path:
    dest = tmp / f"c{demands}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), str(demands), str(responses), str(dest)],
        check=True,
        cwd=ROOT,
    )
    return dest


def timeline_pages(pdf: Path) -> str:
    """The text of the PDF pages from "Each demand over time" on."""
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    start = next(i for i, p in enumerate(pages) if "Each demand over time" in p)
    return "\f".join(pages[start:])


@pytest.mark.slow
@pytest.mark.parametrize("size", [60, 1000])
def test_every_demand_is_in_the_pdf_timeline(tmp_path: Path, size: int) -> None:
    """The report's timeline is table rows that paginate, the axis repeated on each page. Only
    the timeline is printed (a template that empties the other blocks): the whole report of
    1,000 demands is the benchmark's business, not this test's."""
    project = synthetic(tmp_path, size, size * 3)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "default/report.html.j2" %}\n'
        + "".join(
            f"{{% block {b} %}}{{% endblock %}}\n"
            for b in (
                "summary",
                "matrix",
                "demands",
                "register",
                "unlinked",
                "methodology",
                "sources",
            )
        )
        + "{% block cover %}<h2>The demands</h2>{% endblock %}\n",
        encoding="utf-8",
    )
    done = build_process(
        project, "--format", "pdf,json", "--as-of", "2021-12-31", "--templates", str(templates)
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads((project / "output" / "scorecard.json").read_text(encoding="utf-8"))
    text = timeline_pages(project / "output" / "scorecard.pdf")
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 1 if size > 60 else pages
    assert all("2021" in p for p in pages), "the axis is printed on every page"
    ids = set(re.findall(r"\S+", text))
    missing = [d["id"] for d in doc["demands"] if d["id"] not in ids]
    assert missing == []


# --------------------------------------------------------------------------- in the browser


def open_page(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


@pytest.fixture(scope="module")
def long_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic campaign of 60 demands whose ids are long (demand-with-a-long-id-17), in
    English and Arabic."""
    project = synthetic(tmp_path_factory.mktemp("long"), 60, 300)
    for name in ("demands.yaml", "responses.yaml"):
        path = project / name
        path.write_text(
            re.sub(r"\bD(\d+)\b", r"demand-with-a-long-id-\1", path.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
    done = build_process(project, "--format", "html", "--lang", "en,ar", "--as-of", "2021-12-31")
    assert done.returncode == 0, done.stderr
    return project / "output"


OVERLAPS = """() => {
  const boxes = sel => [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect())
    .filter(r => r.width && r.height);
  const meet = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const out = [];
  for (const row of document.querySelectorAll('table.demand-time tbody tr')) {
    const label = row.querySelector('th').getBoundingClientRect();
    const track = row.querySelector('.track').getBoundingClientRect();
    if (meet(label, track)) out.push(row.querySelector('.did').textContent);
  }
  const ticks = [...document.querySelectorAll('table.demand-time .tick')]
    .filter(t => getComputedStyle(t).display !== 'none').map(t => t.getBoundingClientRect());
  for (let i = 1; i < ticks.length; i++)
    if (meet(ticks[i - 1], ticks[i])) out.push('tick ' + i);
  const svg = document.querySelector('svg.score-time');
  if (svg) {
    const plot = [...svg.querySelectorAll('path')].map(p => p.getBoundingClientRect());
    for (const t of svg.querySelectorAll('text[direction]'))
      for (const p of plot) {
        const r = t.getBoundingClientRect();
        if (r.left < p.right - 1 && p.left < r.right - 1 && (r.right > p.right || r.left < p.left))
          out.push('scale ' + t.textContent);
      }
  }
  return out;
}"""

SMALL_TEXT = """() => {
  const out = [];
  for (const t of document.querySelectorAll('svg.chart text')) {
    if (getComputedStyle(t).display === 'none' || !t.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    if (size < 11) out.push(t.textContent + ' ' + size.toFixed(1));
  }
  for (const t of document.querySelectorAll('table.demand-time .tick, table.demand-time th'))
    if (parseFloat(getComputedStyle(t).fontSize) < 11) out.push(t.textContent);
  return out;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", ["scorecard.html", "scorecard.ar.html"])
def test_no_chart_label_overlaps_a_bar(
    browser, languages: Path, long_ids: Path, width: int, name: str
) -> None:
    for folder in (languages, long_ids):
        page = open_page(browser, (folder / name).as_uri(), width)
        doc = (
            json.loads((folder.parent / "output" / "scorecard.json").read_text("utf-8"))
            if (folder / "scorecard.json").exists()
            else None
        )
        rows = page.locator("table.demand-time tbody tr").count()
        assert rows == (len(doc["demands"]) if doc else 60)
        assert page.evaluate(OVERLAPS) == [], (folder, name, width)
        # The label column holds any id: wrapped or cut, the full title in a tooltip.
        assert page.evaluate("""() => [...document.querySelectorAll(
            'table.demand-time tbody th')].every(th => th.scrollWidth <= th.clientWidth + 1)""")
        page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["scorecard.html", "scorecard.ar.html"])
def test_chart_text_is_readable_on_a_phone(browser, languages: Path, name: str) -> None:
    page = open_page(browser, (languages / name).as_uri(), 360)
    assert page.evaluate(SMALL_TEXT) == []
    page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["scorecard.html", "scorecard.ar.html"])
def test_the_matrix_shows_every_target_on_a_phone(browser, languages: Path, name: str) -> None:
    page = open_page(browser, (languages / name).as_uri(), 360)
    cells = page.evaluate("""() => [...document.querySelectorAll('.matrix-table td')]
        .map(td => { const r = td.getBoundingClientRect();
                     return [td.dataset.target || 'score', r.left, r.right, r.width]; })""")
    assert cells and len({c[0] for c in cells}) >= 3
    assert all(c[3] > 0 and c[1] >= 0 and c[2] <= 360 for c in cells), cells[:5]
    # and each card names its target in words
    assert page.evaluate("""() => [...document.querySelectorAll('.matrix-table td .tname')]
        .every(t => t.getClientRects().length && t.textContent.trim())""")
    page.context.close()


@pytest.mark.slow
def test_long_filter_lists_fold_and_have_all_and_none(browser, tmp_path: Path) -> None:
    import yaml

    project = synthetic(tmp_path, 60, 120)
    data = yaml.safe_load((project / "demands.yaml").read_text(encoding="utf-8"))
    data["groups"] = [{"id": f"g{i}", "title": f"Group {i}"} for i in range(25)]
    for i, demand in enumerate(data["demands"]):
        demand["group"] = f"g{i % 25}"
    (project / "demands.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    done = build_process(project, "--format", "html", "--as-of", "2021-12-31")
    assert done.returncode == 0, done.stderr
    page = open_page(browser, (project / "output" / "scorecard.html").as_uri(), 360)
    form = page.locator("#filters")
    assert form.locator("details.fold").count() == 1
    assert form.locator("input[name=group]").first.is_visible() is False  # folded
    assert form.bounding_box()["height"] < 800, "the filters fill more than a screen"
    shown = page.locator("#shown")
    status = form.locator("fieldset").first
    status.get_by_role("button", name="None").click()
    assert shown.text_content().startswith("Showing 0 of 60")
    status.get_by_role("button", name="All").click()
    assert shown.text_content().startswith("Showing 60 of 60")
    page.context.close()


# --------------------------------------------------------------------------- the report's pages


def laid_out(html: str):
    """The report's HTML laid out by WeasyPrint as the PDF stage does (fonts, assets only), and
    its element tree."""
    import weasyprint

    from scorecard.render.html import templates_dir
    from scorecard.render.pdf import assets_only_fetcher, font_dirs, font_faces

    fetcher = assets_only_fetcher([templates_dir(), *font_dirs()])
    css = weasyprint.CSS(string=font_faces(), url_fetcher=fetcher)
    source = weasyprint.HTML(
        string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
    )
    return source.render(stylesheets=[css]), source.etree_element


def last_texts(html: str) -> list[tuple[str, ...]]:
    """For each page of the report, the elements enclosing the last line of text on it (the
    page's running header and footer left out)."""
    from weasyprint.formatting_structure import boxes

    document, _ = laid_out(html)
    out = []
    for page in document.pages:
        found: list[tuple[str, ...]] = []

        def walk(box, tags: tuple[str, ...], found: list[tuple[str, ...]] = found) -> None:
            if isinstance(box, boxes.MarginBox):
                return
            tag = getattr(box, "element_tag", None)
            if tag and (not tags or tags[-1] != tag) and isinstance(box, boxes.BlockBox):
                tags = (*tags, tag)
            if isinstance(box, boxes.TextBox) and box.text.strip():
                found.append(tags)
            for child in getattr(box, "children", []):
                walk(child, tags, found)

        walk(page._page_box, ())
        out.append(found[-1] if found else ())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_heading_alone_at_the_bottom_of_a_page(lang: str) -> None:
    import datetime as dt

    from scorecard.build import load
    from scorecard.document import documents
    from scorecard.render.html import Renderer

    docs = documents(load(ROOT)[0], dt.date(2021, 7, 1))
    pages = last_texts(Renderer().report_html(docs.primary, lang))
    assert len(pages) > 10
    alone = [
        i + 1
        for i, tags in enumerate(pages)
        if tags and tags[-1] in ("h1", "h2", "h3", "h4", "caption")
    ]
    assert alone == [], f"pages ending on a heading: {alone}"


def element_pages(html: str) -> tuple[dict, dict]:
    """Where each element of the report is laid out: {element: [page numbers]}, and each
    element's parent."""
    document, root = laid_out(html)
    parents = {child: parent for parent in root.iter() for child in parent}
    pages: dict = {}

    def walk(box, number: int) -> None:
        element = getattr(box, "element", None)
        if element is not None and number not in pages.setdefault(element, []):
            pages[element].append(number)
        for child in getattr(box, "children", []):
            walk(child, number)

    for number, page in enumerate(document.pages, 1):
        walk(page._page_box, number)
    return pages, parents


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


@pytest.mark.slow
@pytest.mark.parametrize("campaign,lang", [("example", "en"), ("example", "ar"), ("60", "en")])
def test_no_caption_parted_from_its_chart(tmp_path: Path, campaign: str, lang: str) -> None:
    """Each chart of the report starts on the page of its heading and caption, and its legend
    follows it on the same page: the bar of the demands by status, the score over time, and
    the first rows of the table of each demand over time (which then runs on, with its axis
    repeated)."""
    import datetime as dt

    from scorecard.build import load
    from scorecard.document import documents
    from scorecard.render.html import Renderer

    project = ROOT if campaign == "example" else synthetic(tmp_path, 60, 180)
    docs = documents(load(project)[0], dt.date(2021, 7, 1))
    pages, parents = element_pages(Renderer().report_html(docs.primary, lang))
    first = {element: numbers[0] for element, numbers in pages.items()}

    def after(element):
        siblings = list(parents[element])
        index = siblings.index(element)
        return siblings[index + 1] if index + 1 < len(siblings) else None

    charts = [e for e in first if e.tag.endswith("svg") and "chart" in classes(e)]
    assert charts, "the report has no chart"
    checked = 0
    for chart in charts:
        legend = after(chart)
        if legend is not None and "legend" in classes(legend):
            assert first[legend] == first[chart], "a chart's legend is on another page"
            checked += 1
        siblings = list(parents[chart])
        headings = [e for e in siblings[: siblings.index(chart)] if e.tag.endswith("h3")]
        if headings:
            assert first[headings[-1]] == first[chart], "a chart's heading is on another page"
            checked += 1
    tables = [e for e in first if e.tag.endswith("table") and "demand-time" in classes(e)]
    for table in tables:
        caption = next(c for c in table if c.tag.endswith("caption"))
        body = next(c for c in table if c.tag.endswith("tbody"))
        row = next(iter(body))
        assert first[caption] == first[row], "the timeline's caption is parted from its rows"
        wrap = parents[table]
        siblings = list(parents[wrap])
        heading = [e for e in siblings[: siblings.index(wrap)] if e.tag.endswith("h3")][-1]
        assert first[heading] == first[row], "the timeline's heading is parted from its rows"
        checked += 2
    assert checked >= 3 + (campaign == "example")


@pytest.mark.slow
@pytest.mark.parametrize("campaign", ["example", "tsb-aviation"])
def test_no_near_empty_page_in_the_report(tmp_path: Path, campaign: str) -> None:
    """Every page of the report but the cover and the last holds at least a third of a typical
    page's lines: no page left to the last row of a table, or to the tail of a section before
    the next one."""
    source = ROOT if campaign == "example" else ROOT / "examples" / campaign
    project = copy_example(tmp_path / "c") if campaign == "example" else source
    out = tmp_path / "out"
    done = build_process(project, "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "scorecard.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]
    pages = [p for p in pages if p]
    full = sorted(len(p) for p in pages)[len(pages) // 2]  # a typical page (the median)
    sparse = [(i + 1, len(p)) for i, p in enumerate(pages[:-1]) if i and len(p) < full / 3]
    assert len(pages) > 10
    assert sparse == [], f"pages (after the cover) with under a third of {full} lines: {sparse}"


@pytest.fixture(scope="module")
def long_histories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic campaign of 5 demands and 200 responses: dozens of rows under each demand."""
    project = synthetic(tmp_path_factory.mktemp("histories"), 5, 200)
    done = build_process(project, "--format", "html,json", "--lang", "en,ar")
    assert done.returncode == 0, done.stderr
    return project / "output"


HISTORIES = """() => [...document.querySelectorAll('table.history')].map(t => ({
  id: t.closest('article').id,
  rows: t.querySelectorAll('tbody tr').length,
  shown: [...t.querySelectorAll('tbody tr')].filter(r => r.getClientRects().length).length,
  last: t.querySelector('tbody:last-child tr:last-child').getClientRects().length > 0,
  button: (t.previousElementSibling || {}).className === 'more-history'
    ? t.previousElementSibling.textContent : null,
}))"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", ["scorecard.html", "scorecard.ar.html"])
def test_a_long_history_shows_its_latest_rows_and_the_rest_on_demand(
    browser, long_histories: Path, name: str, width: int
) -> None:
    """A history of more than 15 rows shows its 10 latest, and a button that says how many
    earlier ones it folds; the button shows them all. Without scripts, and when a link leads
    to a folded row, every row is shown."""
    from scorecard.render.html import HISTORY_FOLD_AT, HISTORY_SHOWN

    url = (long_histories / name).as_uri()
    page = open_page(browser, url, width)
    found = page.evaluate(HISTORIES)
    long = [h for h in found if h["rows"] > HISTORY_FOLD_AT]
    assert long, found
    for h in found:
        assert h["last"], h  # the latest row is always in view
        if h["rows"] > HISTORY_FOLD_AT:
            assert h["shown"] == HISTORY_SHOWN, h
            assert str(h["rows"] - HISTORY_SHOWN) in h["button"], h
        else:
            assert h["shown"] == h["rows"] and h["button"] is None, h
    first = long[0]["id"]
    page.click(f"#{first} .more-history")
    after = {h["id"]: h for h in page.evaluate(HISTORIES)}[first]
    assert after["shown"] == after["rows"] and after["button"] is None
    # A link to a folded row: the row is shown.
    row = page.evaluate(f"() => document.querySelector('#{long[-1]['id']} tbody.earlier tr').id")
    page.context.close()
    page = open_page(browser, f"{url}#{row}", width)
    assert page.locator(f"[id='{row}']").is_visible()
    page.context.close()
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    bare = context.new_page()
    bare.goto(url)
    assert all(h["shown"] == h["rows"] for h in bare.evaluate(HISTORIES))
    context.close()
