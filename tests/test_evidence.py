"""The evidence pages (render/evidence.py): a large evidence page is cut into numbered pages, and
every link to a response or a ruling goes to the page that holds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, copy_example

from scorecard.build import make
from scorecard.cli import cli
from scorecard.render import evidence, evidence_name
from scorecard.render.evidence import plan
from scorecard.render.html import Renderer

PER_PAGE = 8  # the example's 30 responses and 5 rulings: 5 pages for Facebook


@pytest.fixture(scope="module")
def split() -> dict[str, bytes]:
    """The example's pages in English and Arabic, with evidence pages of PER_PAGE entries."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    mp.setenv("SCORECARD_CACHE", "")
    try:
        made = make(
            ROOT, ("html",), langs=("en", "ar"), renderer=Renderer(evidence_per_page=PER_PAGE)
        )
    finally:
        mp.undo()
    return made.files


def evidence_files(files: dict[str, bytes], stem: str, lang: str) -> list[str]:
    """The evidence pages of a page in a language, in order, as their names say."""
    names = []
    while (name := evidence_name(stem, lang, "en", len(names) + 1)) in files:
        names.append(name)
    return names


def ids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<(?:article|li) [^>]*\bid="({prefix}-[^"]+)"', html)


def test_a_page_number_goes_in_the_stem_before_the_language() -> None:
    assert evidence_name("scorecard", "en", "en") == "evidence.html"
    assert evidence_name("scorecard", "en", "en", 2) == "evidence_2.html"
    assert evidence_name("scorecard.youtube", "en", "en", 1) == "evidence.youtube.html"
    assert evidence_name("scorecard.youtube", "en", "en", 3) == "evidence.youtube_3.html"
    assert evidence_name("scorecard", "ar", "en", 2) == "evidence_2.ar.html"


def test_the_pages_hold_the_three_parts_in_order_and_say_an_empty_one_where_it_starts() -> None:
    doc = {
        "responses": [{"id": f"r{i}", "date": f"2020-01-{i + 1:02d}"} for i in range(5)],
        "unlinked_responses": [],
        "assessments": [{"id": "a1", "date": "2020-02-01"}],
    }
    p = plan(doc, 3)
    assert [page.parts for page in p.pages] == [
        ("register",),
        ("register", "unlinked", "assessments"),
    ]
    assert p.where == {"r-r0": 1, "r-r1": 1, "r-r2": 1, "r-r3": 2, "r-r4": 2, "a-a1": 2}
    assert p.starts == {"register": 1, "unlinked": 2, "assessments": 2}
    assert (p.pages[0].held[0].first, p.pages[0].held[0].last) == ("2020-01-01", "2020-01-03")
    one = plan(doc)
    assert len(one.pages) == 1 and one.pages[0].parts == ("register", "unlinked", "assessments")
    assert len(plan({"responses": []}, 3).pages) == 1  # nothing yet: one page, saying so


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_response_and_ruling_is_on_exactly_one_evidence_page(split, lang: str) -> None:
    pages = evidence_files(split, "scorecard", lang)
    assert len(pages) == 5  # 35 entries, 8 a page
    found = [i for name in pages for i in ids(split[name].decode(), "[ra]")]
    assert len(found) == len(set(found)) == 35
    assert sum(i.startswith("a-") for i in found) == 5
    names = {n for n in split if n.startswith("evidence") and n.endswith(".html")}
    assert all(re.fullmatch(r"evidence(\.[a-z]+)?(_\d+)?(\.ar)?\.html", n) for n in names)


@pytest.mark.parametrize("stem", ["scorecard", "scorecard.youtube", "scorecard.twitter"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_link_to_the_evidence_goes_to_the_page_that_holds_it(
    split, stem: str, lang: str
) -> None:
    page = split[f"{stem}.html" if lang == "en" else f"{stem}.{lang}.html"]
    held = {
        name: set(re.findall(r'\bid="([^"]+)"', split[name].decode()))
        for name in evidence_files(split, stem, lang)
    }
    links = re.findall(r'href="(evidence[^"#]*\.html)#([^"]+)"', page.decode())
    assert {anchor[:2] for _, anchor in links} >= ({"r-", "a-"} if stem == "scorecard" else {"r-"})
    for name, anchor in links:
        assert anchor in held[name], f"{name}#{anchor}"
    for name in held:  # and from each evidence page to the parts on the others
        for target, anchor in re.findall(
            r'href="(evidence[^"#]*\.html)#([^"]+)"', split[name].decode()
        ):
            assert anchor in held[target], f"{name}: {target}#{anchor}"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_evidence_page_lists_them_all_and_links_back_to_the_scorecard(split, lang) -> None:
    pages = evidence_files(split, "scorecard", lang)
    page = "scorecard.html" if lang == "en" else "scorecard.ar.html"
    for number, name in enumerate(pages, 1):
        html = split[name].decode()
        listed = re.search(r'<nav class="evidence-pages".*?</nav>', html, re.S)
        assert listed, name
        assert re.findall(r'<a href="([^"]+)"', listed.group()) == pages
        assert f'<a href="{name}" aria-current="page">' in listed.group()
        assert f'<a href="{page}">' in html  # back to the scorecard
        # the other language's same page
        other = evidence_name("scorecard", "ar" if lang == "en" else "en", "en", number)
        assert f'hreflang="{"ar" if lang == "en" else "en"}" href="{other}"' in html
    words = re.search(r'<nav class="evidence-pages".*?</nav>', split[pages[0]].decode(), re.S)
    assert words
    if lang == "en":  # what each holds, in words and months
        assert "8 responses that addressed the demands, Jun 2020 to " in words.group()
        assert (
            "Page 5</a>: 3 evaluations by the assessor, Jul 2020 to Jun 2021</li>" in words.group()
        )
    listed_on_page = re.search(r'<nav class="evidence-pages".*?</nav>', split[page].decode(), re.S)
    assert listed_on_page and "aria-current" not in listed_on_page.group()


def test_a_small_campaign_keeps_one_evidence_page() -> None:
    made = make(ROOT, ("html",), langs=("en",))
    names = sorted(n for n in made.files if n.startswith("evidence"))
    assert names == ["evidence.html", "evidence.twitter.html", "evidence.youtube.html"]
    assert b'<nav class="evidence-pages"' not in made.files["evidence.html"]
    assert b'<nav class="evidence-pages"' not in made.files["scorecard.html"]


def test_build_writes_every_evidence_page_and_verify_checks_each(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "EVIDENCE_PER_PAGE", PER_PAGE)
    project = copy_example(tmp_path / "example")
    out = tmp_path / "out"
    done = runner.invoke(cli, ["build", str(project), "--format", "html,json", "--out", str(out)])
    assert done.exit_code == 0, done.output
    names = {p.name for p in out.glob("evidence*.html")}
    assert {"evidence.html", *(f"evidence_{n}.html" for n in range(2, 6))} <= names
    assert "evidence_6.html" not in names and "evidence.twitter.html" in names
    assert runner.invoke(cli, ["verify", str(out), str(project)]).exit_code == 0
    (out / "evidence_3.html").unlink()
    checked = runner.invoke(cli, ["verify", str(out), str(project)])
    assert checked.exit_code == 1 and "(evidence_3.html)" in checked.output


def test_a_build_of_fewer_responses_removes_the_evidence_pages_it_no_longer_makes(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An evidence page past the new last one holds old data that old links still reach: the
    build removes it, and keeps a file of the user's in the folder."""
    project = copy_example(tmp_path / "example")
    out = tmp_path / "out"
    args = ["build", str(project), "--format", "html", "--out", str(out)]
    monkeypatch.setattr(evidence, "EVIDENCE_PER_PAGE", PER_PAGE)
    assert runner.invoke(cli, args).exit_code == 0
    (out / "CNAME").write_text("scorecard.example.org\n")
    assert (out / "evidence_5.html").exists()
    monkeypatch.setattr(evidence, "EVIDENCE_PER_PAGE", PER_PAGE * 2)
    done = runner.invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.glob("evidence_*.html")) == [
        "evidence_2.html",
        "evidence_3.html",
    ]
    assert (out / "CNAME").read_text() == "scorecard.example.org\n"


def test_the_preview_writes_every_evidence_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard.serve import Preview

    monkeypatch.setattr(evidence, "EVIDENCE_PER_PAGE", PER_PAGE)
    preview = Preview(copy_example(tmp_path / "example"), out=tmp_path / "preview")
    assert preview.rebuild()
    assert evidence_files(
        {p.name: b"" for p in (tmp_path / "preview").iterdir()}, "scorecard", "en"
    ) == ["evidence.html", *(f"evidence_{n}.html" for n in range(2, 6))]


def test_no_two_targets_pages_share_a_name() -> None:
    """With a hyphen, target t-2's first evidence page and target t's second were both
    evidence.t-2.html; an id holds no underscore, so they differ now. The build's message
    counts the later pages by the same rule."""
    from scorecard.render import is_later_evidence_page

    first_of_t2 = evidence_name("scorecard.t-2", "en", "en", 1)
    second_of_t = evidence_name("scorecard.t", "en", "en", 2)
    assert first_of_t2 != second_of_t
    assert not is_later_evidence_page(first_of_t2) and is_later_evidence_page(second_of_t)
    assert is_later_evidence_page(evidence_name("scorecard", "ar", "en", 12))
    assert not is_later_evidence_page(evidence_name("scorecard.youtube", "ar", "en", 1))


def test_each_split_page_says_which_page_it_is_and_what_it_holds(split) -> None:
    """Tabs and bookmarks tell the pages apart, and a part's total is not read as this page's
    count (a reader saw '2,127 responses addressed the demands' over 127)."""
    pages = evidence_files(split, "scorecard", "en")
    titles = [re.search(r"<title>([^<]*)", split[name].decode())[1] for name in pages]
    assert len(set(titles)) == len(pages)
    assert titles[1].endswith(f", page 2 of {len(pages)}")
    second = split[pages[1]].decode()
    held = re.search(r"This page holds (\d+) of them, (\w+ \d{4}) to (\w+ \d{4})\.", second)
    assert held and int(held[1]) == len(ids(second, "r"))
