"""Judges nobody here wrote: a real Chromium (through Playwright) and axe-core, run on the
page of the bundled example loaded from file://.

One browser per module. A judge that cannot run fails: chromium comes from
scripts/system-deps (`make test` runs it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import build_process
from playwright.sync_api import Browser, Page

FOCUSABLE = (
    "a[href], button, input, select, textarea, summary, iframe, "
    "[tabindex]:not([tabindex='-1']), [contenteditable='true']"
)


@pytest.fixture(scope="module")
def site(built_example) -> tuple[str, dict]:
    """The example page's file:// URL and its JSON document (the expected demands)."""
    folder, _ = built_example
    doc = json.loads((folder / "output" / "scorecard.json").read_text(encoding="utf-8"))
    return (folder / "output" / "scorecard.html").as_uri(), doc


@pytest.fixture(scope="module")
def early_page(built_example, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example's page as of 2019-01-01, before any response: every demand is empty."""
    folder, _ = built_example
    out = tmp_path_factory.mktemp("early")
    done = build_process(folder, "--format", "html", "--as-of", "2019-01-01", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return (out / "scorecard.html").as_uri()


class Visit:
    """A page in a fresh browser context, with every request and console message recorded."""

    def __init__(self, browser: Browser, url: str, width: int = 1280, js: bool = True) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=js
        )
        self.requests: list[str] = []
        self.console: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator:
    opened: list[Visit] = []

    def open_page(url: str, width: int = 1280, js: bool = True) -> Visit:
        opened.append(Visit(browser, url, width, js))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


def demand_ids(doc: dict) -> list[str]:
    return [d["id"] for d in doc["demands"]]


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_no_console_errors_and_no_network(visit, site, js: bool) -> None:
    url, _ = site
    v = visit(url, js=js)
    v.page.mouse.wheel(0, 20000)  # scroll to the end: anything lazy would load now
    v.page.wait_for_timeout(300)
    assert v.console == []
    assert v.requests == [url], "the page made a request other than itself"


def test_every_demand_visible_without_javascript(visit, site) -> None:
    url, doc = site
    v = visit(url, js=False)
    page = v.page
    assert len(doc["demands"]) == 10
    for demand in doc["demands"]:
        article = page.locator(f"article#{demand['id']}")
        assert article.is_visible(), demand["id"]
        assert demand["title"]["en"] in " ".join(article.locator("h3").inner_text().split())
    rows = page.locator(".demand-table tbody tr")
    assert rows.count() == 10
    assert all(rows.nth(i).is_visible() for i in range(10))
    assert not page.locator("#filters").is_visible(), "the filter needs JS: hidden without it"


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def visible(page: Page, selector: str) -> list[bool]:
    loc = page.locator(selector)
    return [loc.nth(i).is_visible() for i in range(loc.count())]


def test_filter_works_with_the_keyboard(visit, site) -> None:
    url, doc = site
    page = visit(url).page
    shown = page.locator("#shown")
    assert page.locator("#filters").is_visible()
    assert shown.inner_text() == "Showing 10 of 10 demands."

    statuses = [d["status"] for d in doc["demands"]]
    status = max(set(statuses), key=statuses.count)  # hide the most common status
    hidden_ids = {d["id"] for d in doc["demands"] if d["status"] == status}
    box = f"#filters input[name=status][value='{status}']"
    tab_to(page, box)
    page.keyboard.press("Space")
    assert not page.locator(box).is_checked()
    left = 10 - len(hidden_ids)
    assert shown.inner_text() == f"Showing {left} of 10 demands."
    assert shown.get_attribute("aria-live") == "polite"
    for d in doc["demands"]:
        expected = d["id"] not in hidden_ids
        assert page.locator(f"article#{d['id']}").is_visible() is expected, d["id"]
        row = page.locator(f".demand-table tbody tr:has(a[href='#{d['id']}'])")
        assert row.is_visible() is expected, d["id"]
    page.keyboard.press("Space")
    assert shown.inner_text() == "Showing 10 of 10 demands."
    assert all(visible(page, "article.demand"))

    group = doc["groups"][0]["id"]
    in_group = [d["id"] for d in doc["demands"] if d["group"] == group]
    tab_to(page, f"#filters input[name=group][value='{group}']")
    page.keyboard.press("Space")
    assert shown.inner_text() == f"Showing {10 - len(in_group)} of 10 demands."
    assert not page.locator(f"section#group-{group}").is_visible(), "its section hides"
    assert page.locator(f"section#group-{doc['groups'][1]['id']}").is_visible()
    assert not any(page.locator(f"article#{i}").is_visible() for i in in_group)
    page.keyboard.press("Space")
    assert all(visible(page, "section.group"))


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_the_evidence_page_makes_no_request_and_links_back(visit, site, js: bool) -> None:
    url, doc = site
    evidence = url.replace("scorecard.html", "evidence.html")
    v = visit(evidence, js=js)
    assert v.console == [] and v.requests == [evidence]
    back = v.page.evaluate(
        "[...document.querySelectorAll('a[href^=\"scorecard.html#\"]')].map(a => a.hash)"
    )
    assert set(back) <= {"#" + d for d in demand_ids(doc)} and back


def test_an_old_link_to_a_response_goes_on_to_the_evidence_page(visit, site) -> None:
    """Links to #r-ID or #a-ID made when the register was on the page still land on it."""
    url, doc = site
    rid = doc["responses"][0]["id"]
    page = visit(f"{url}#r-{rid}").page
    page.wait_for_url(f"**/evidence.html#r-{rid}")
    page.wait_for_function("window.scrollY > 0")
    top = page.evaluate(f"document.getElementById('r-{rid}').getBoundingClientRect().top")
    assert 0 <= top < 100
    # a demand's own history rows (#r-ID-DEMAND) stay on the page
    d = next(d for d in doc["demands"] if d["evidence"])
    row = f"{url}#r-{d['evidence'][0]['response']}-{d['id']}"
    page = visit(row).page
    page.wait_for_timeout(300)
    assert page.url == row


def test_an_old_link_goes_on_to_the_evidence_page_that_holds_it(
    visit, built_example, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With the evidence on several pages (8 entries a page: 5 pages), #r-ID and #a-ID on the
    page go on to the evidence page that holds them: a response linked from the page, one that
    addressed no demand (linked from nowhere on it) and a ruling."""
    from scorecard.build import make
    from scorecard.render import evidence_name
    from scorecard.render.evidence import plan
    from scorecard.render.html import Renderer
    from scorecard.write import write_outputs

    folder, _ = built_example
    made = make(folder, ("html",), renderer=Renderer(evidence_per_page=8))
    out = tmp_path_factory.mktemp("split")
    write_outputs(out, made.files, durable=False)
    doc = made.documents.primary
    where = plan(doc, 8).where
    linked = next(r["id"] for r in doc["responses"] if r["id"] not in doc["unlinked_responses"])
    ruling = doc["assessments"][-1]["id"]
    for anchor in (f"r-{linked}", f"r-{doc['unlinked_responses'][-1]}", f"a-{ruling}"):
        expected = evidence_name("scorecard", "en", "en", where[anchor])
        page = visit(f"{(out / 'scorecard.html').as_uri()}#{anchor}").page
        page.wait_for_url(f"**/{expected}#{anchor}")
        assert page.evaluate(f"document.getElementById({json.dumps(anchor)}) !== null")
    assert len({where[a] for a in where}) == 5


def test_fragment_scrolls_to_the_demand(visit, site) -> None:
    url, _ = site
    page = visit(url + "#D4").page
    page.wait_for_function("window.scrollY > 0")
    top = page.evaluate("document.getElementById('D4').getBoundingClientRect().top")
    assert 0 <= top < 100, f"demand 4 starts {top}px from the top of the window"


@pytest.mark.parametrize(
    ("which", "js"),
    [("example", True), ("example", False), ("early", True), ("evidence", True)],
    ids=["js", "no-js", "early", "evidence"],
)
def test_no_horizontal_scrolling_at_360px(
    visit, site, early_page, tmp_path: Path, which: str, js: bool
) -> None:
    url = {
        "example": site[0],
        "early": early_page,
        "evidence": site[0].replace("scorecard.html", "evidence.html"),
    }[which]
    page = visit(url, width=360, js=js).page
    widths = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    shot = tmp_path / f"scorecard-{which}-360px-{'js' if js else 'nojs'}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    wide = page.evaluate("""() => {
        const limit = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > limit + 0.5)
          .slice(0, 5).map(el => el.tagName + '.' + el.className);
    }""")
    assert widths[0] <= widths[1], f"scroll width {widths[0]} > {widths[1]}: too wide: {wide}"


@pytest.fixture(scope="module")
def three_languages(built_example, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's pages in English, Arabic and French."""
    folder, _ = built_example
    out = tmp_path_factory.mktemp("languages")
    done = build_process(folder, "--format", "html", "--lang", "en,ar,fr", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("name", ["scorecard.html", "scorecard.ar.html", "scorecard.fr.html"])
def test_every_folded_part_opens_within_360px(visit, three_languages: Path, name: str) -> None:
    """Criteria, embed code, the score as a table, notes: opened on a phone, none of them makes
    the page scroll sideways (a wide table scrolls in its own box; the French score table,
    opened, once made the page 423 px wide)."""
    page = visit((three_languages / name).as_uri(), width=360).page
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert page.evaluate("document.querySelectorAll('details[open]').length") > 10
    widths = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"scroll width {widths[0]} > {widths[1]} with details open"


def test_the_page_reads_in_about_ten_screens_at_1280px(visit, site) -> None:
    """The issue's measure of a page readers finish: the example's page at 1280 px is at most
    about ten screens of 900 px (9,000 px; 8,962 px when this test was written). The bound
    leaves room for font differences between machines, not for a section to double."""
    page = visit(site[0], width=1280).page
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 9_450, f"{height} px is {height / 900:.1f} screens of 900 px"


@pytest.fixture(scope="module")
def other_languages(built_example, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example's pages in Arabic and French (and a second target's, in Arabic)."""
    folder, _ = built_example
    out = tmp_path_factory.mktemp("languages")
    done = build_process(folder, "--format", "html", "--lang", "en,ar,fr", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return {
        "ar": (out / "scorecard.ar.html").as_uri(),
        "fr": (out / "scorecard.fr.html").as_uri(),
        "youtube-ar": (out / "scorecard.youtube.ar.html").as_uri(),
        "evidence-ar": (out / "evidence.ar.html").as_uri(),
    }


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize(
    "which", ["example", "early", "evidence", "ar", "fr", "youtube-ar", "evidence-ar"]
)
def test_axe_finds_no_serious_violation(
    visit, site, early_page, other_languages, width: int, which: str
) -> None:
    """With JavaScript on (axe is JavaScript: with it off, its promise never settles)."""
    url = {
        "example": site[0],
        "early": early_page,
        "evidence": site[0].replace("scorecard.html", "evidence.html"),
        **other_languages,
    }[which]
    page = visit(url, width=width).page
    results = Axe().run(page).response
    assert results["testEngine"]["name"] == "axe-core"
    assert results["passes"] or results["violations"] or results["incomplete"], (
        "axe checked nothing"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_every_control_is_reachable_with_tab_and_named(visit, site) -> None:
    url, _ = site
    page = visit(url).page
    cdp = page.context.new_cdp_session(page)
    expected = page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
        .filter(el => el.getClientRects().length && !el.closest('[hidden]')
                && !el.closest('details:not([open]) > :not(summary)'))
        .map((el, i) => { el.dataset.judge = i; return i; })""",
        FOCUSABLE,
    )
    assert len(expected) > 20, "the page has links and checkboxes"
    reached: dict[int, str] = {}
    for _ in range(len(expected) + 10):
        page.keyboard.press("Tab")
        index = page.evaluate("document.activeElement.dataset.judge")
        if index is None:
            break  # focus left the page's controls: the walk is over
        focused = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
        tree = cdp.send(
            "Accessibility.getPartialAXTree",
            {"objectId": focused["result"]["objectId"], "fetchRelatives": False},
        )
        node = tree["nodes"][0]
        reached[int(index)] = node.get("name", {}).get("value", "").strip()
        describe = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        assert reached[int(index)], f"no accessible name: {describe}"
        ring = page.evaluate("""() => { const el = document.activeElement, r =
            el.getBoundingClientRect(), s = getComputedStyle(el);
            return [s.outlineStyle, parseFloat(s.outlineWidth), r.right > 0 && r.bottom > 0
                    && r.left < innerWidth && r.top < innerHeight]; }""")
        assert ring[0] != "none" and ring[1] >= 2, f"focus not visible: {describe}"
        assert ring[2], f"the focused control is off screen: {describe}"
    missing = page.evaluate(
        "ids => ids.map(i => document.querySelector("
        "`[data-judge='${i}']`).outerHTML.slice(0, 120))",
        [i for i in expected if i not in reached],
    )
    assert missing == [], "not reachable with Tab"
    assert page.locator("a.skip").evaluate("el => el.dataset.judge") == "0", (
        "the skip link comes first"
    )
