"""Sharing: Open Graph and Twitter card tags in the page's <head> (the finding as the
description; og:url and the canonical link only when campaign.url is given), and a badge per
demand (badge.D4.svg, badge.D4.ar.svg per language, badge.TARGET.D4.svg per other target)
with the HTML to embed it shown under each demand."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from defusedxml import ElementTree

from scorecard.build import build
from scorecard.errors import DataError, ScorecardError

SVG = "{http://www.w3.org/2000/svg}"


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's head, and the text of its <code> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.codes: list[str] = []
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a["content"]
        elif tag == "link" and a.get("rel") != "alternate":
            self.links[a["rel"]] = a["href"]
        elif tag == "code":
            self._code = []

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def with_url(mini: Path, url: str) -> None:
    text = (mini / "demands.yaml").read_text()
    (mini / "demands.yaml").write_text(text.replace("  lang: en\n", f"  lang: en\n  url: {url}\n"))


def test_open_graph_and_twitter_tags(mini: Path, tmp_path: Path) -> None:
    build(mini, tmp_path / "out", formats=("html",))
    head = parse(tmp_path / "out" / "scorecard.html")
    assert head.meta["og:type"] == "website"
    assert head.meta["og:title"] == head.meta["twitter:title"]
    assert head.meta["og:title"].startswith("Mini campaign: ExampleCorp scorecard, as of ")
    # the finding: which demands were met, the score in words
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:description"].startswith("Mini campaign: which demands ExampleCorp met")
    assert head.meta["og:description"].endswith(" 0 of 4 met, 1 partly.")  # as of Aug 1
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["og:locale"] == "en"
    assert "og:url" not in head.meta and "canonical" not in head.links  # no campaign.url


def test_canonical_address_from_campaign_url(mini: Path, tmp_path: Path) -> None:
    with_url(mini, "https://example.org/mini/")
    build(mini, tmp_path / "out", formats=("html",), langs=("en", "ar"))
    head = parse(tmp_path / "out" / "scorecard.html")
    assert (
        head.meta["og:url"] == head.links["canonical"] == "https://example.org/mini/scorecard.html"
    )
    ar = parse(tmp_path / "out" / "scorecard.ar.html")
    assert (
        ar.meta["og:url"] == ar.links["canonical"] == "https://example.org/mini/scorecard.ar.html"
    )
    assert ar.meta["og:locale"] == "ar"
    assert ar.meta["og:description"].endswith("0 من 4 تحققت، و1 جزئيا.")  # as of Aug 1
    # the embed snippets point at the published addresses
    assert (
        '<a href="https://example.org/mini/scorecard.html#D1"><img '
        'src="https://example.org/mini/badge.D1.svg" alt="ExampleCorp, demand D1: Partly met"'
        ' height="20"></a>'
    ) in head.codes
    assert any('src="https://example.org/mini/badge.D1.ar.svg"' in c for c in ar.codes)
    page = (tmp_path / "out" / "scorecard.html").read_text()
    assert "addresses are relative" not in page and "Paste this HTML on another site" in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "example.org"])
def test_campaign_url_must_be_http(mini: Path, tmp_path: Path, url: str) -> None:
    with_url(mini, url)
    with pytest.raises(DataError):
        build(mini, tmp_path / "out", formats=("html",))


def test_a_badge_per_demand_and_language(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini, out, formats=("html",), langs=("en", "ar", "fr"))
    names = sorted(p.name for p in out.glob("badge.*"))
    assert names == sorted(
        [
            "badge.svg",
            "badge.ar.svg",
            "badge.fr.svg",
            *(f"badge.D{i}{lang}.svg" for i in range(1, 5) for lang in ("", ".ar", ".fr")),
        ]
    )
    svg = ElementTree.parse(out / "badge.D1.svg").getroot()
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "ExampleCorp, demand D1: Partly met"
    title = svg.find(f"{SVG}title").text
    assert title.startswith(
        "Mini campaign, ExampleCorp, demand D1 (Civil rights executive): Partly met, as of "
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["demand D1", "Partly met"]
    assert svg.findall(f"{SVG}rect")[1].get("fill") == "#7d4e00"
    ar = ElementTree.parse(out / "badge.D1.ar.svg").getroot()
    assert [t.text for t in ar.iter(f"{SVG}text")] == ["المطلب D1", "تحقق جزئيا"]
    assert ar.get("direction") == "rtl"
    assert "مسؤول تنفيذي للحقوق المدنية" in ar.find(f"{SVG}title").text  # the Arabic title
    fr = ElementTree.parse(out / "badge.D4.fr.svg").getroot()
    assert [t.text for t in fr.iter(f"{SVG}text")][0] == "revendication D4"
    # the campaign badge stays in the default language, whatever was rendered last
    assert ">demands<" in (out / "badge.svg").read_text()


def test_the_snippet_under_each_demand(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini, out, formats=("html",), langs=("en", "fr", "ar"))
    page = (out / "scorecard.html").read_text()
    articles = re.findall(r'<article class="demand" id="(D\d)".*?</article>', page, re.S)
    assert articles == ["D1", "D2", "D3", "D4"]
    for block in re.findall(r'<article class="demand".*?</article>', page, re.S):
        ident = re.search(r'id="(D\d)"', block)[1]
        assert '<details class="embed">' in block
        code = html_lib.unescape(re.search(r"<pre><code>(.*?)</code></pre>", block, re.S)[1])
        src = re.search(r'<img src="([^"]+)"', code)[1]
        assert src == f"badge.{ident}.svg" and (out / src).exists()
        assert code.startswith(f'<a href="scorecard.html#{ident}">')
        # relative addresses: it says where the HTML works, never "on another site"
        assert "on a page published beside this one (its addresses are relative)" in block
        assert "another site" not in block
    assert "Intégrer ce statut" in (out / "scorecard.fr.html").read_text()
    ar = (out / "scorecard.ar.html").read_text()
    assert "تضمين هذه الحالة" in ar and "src=&#34;badge.D1.ar.svg&#34;" in ar


def test_user_text_in_the_snippet_is_escaped(mini: Path, tmp_path: Path) -> None:
    text = (
        (mini / "demands.yaml")
        .read_text()
        .replace("target: ExampleCorp", 'target: "Ex \\"A\\" <b>&Co"')
    )
    (mini / "demands.yaml").write_text(text)
    out = tmp_path / "out"
    build(mini, out, formats=("html",))
    head = parse(out / "scorecard.html")
    code = next(c for c in head.codes if "demand D4" in c)  # as a reader sees and copies it
    assert 'alt="Ex &#34;A&#34; &lt;b&gt;&amp;Co, demand D4: No response"' in code
    assert "<b>" not in code


def test_other_targets_get_their_own_badges(tmp_path: Path) -> None:
    from scorecard.init import init

    folder = tmp_path / "multi"
    init(folder, "Two targets", "Alpha")
    text = (folder / "demands.yaml").read_text()
    (folder / "demands.yaml").write_text(
        text + "targets:\n  - id: alpha\n    name: Alpha\n  - id: beta\n    name: Beta\n"
    )
    build(folder, tmp_path / "out", formats=("html",))
    names = {p.name for p in (tmp_path / "out").glob("badge.*")}
    demands = re.findall(r"^  - id: (\S+)", text.split("\ndemands:")[1], re.M)
    assert {f"badge.{d}.svg" for d in demands} <= names
    assert {f"badge.beta.{d}.svg" for d in demands} <= names
    beta = (tmp_path / "out" / "scorecard.beta.html").read_text()
    assert f"badge.beta.{demands[0]}.svg" in beta


def test_a_target_named_like_a_demand_is_refused(tmp_path: Path) -> None:
    from scorecard.init import init

    folder = tmp_path / "multi"
    init(folder, "Two targets", "Alpha")
    text = (folder / "demands.yaml").read_text()
    first = re.findall(r"^  - id: (\S+)", text.split("\ndemands:")[1], re.M)[0]
    (folder / "demands.yaml").write_text(
        text + f"targets:\n  - id: alpha\n    name: Alpha\n  - id: {first}\n    name: Beta\n"
    )
    with pytest.raises(ScorecardError, match=f"badge.{first}.svg"):
        build(folder, tmp_path / "out", formats=("html",))
