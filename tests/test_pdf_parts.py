"""A long report is laid out in parts and joined (render/pdf.py, render/parts.py): the joined PDF
The example is built with parts of 20,000 characters (nine or so per report) and checked page
by page: "Page X of Y" on every page, every demand in the outline, every link leading to its
anchor, the source numbers in order, the structure tree whole, PDF/A and the attached data."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EPOCH, ROOT
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.render import parts as cutting
from scorecard.render import pdf

pytestmark = pytest.mark.slow  # the example built in parts: about a minute
PART = 20_000


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with small parts (each report several parts): its output folder."""
    folder = tmp_path_factory.mktemp("parts") / "example"
    folder.mkdir()
    for name in ("demands.yaml", "responses.yaml"):
        shutil.copy(ROOT / name, folder / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setattr(pdf, "PART_CHARS", PART)
        mp.setattr(pdf, "OVERLAY_PIECE", 5)  # the header and footer laid out in pieces too
        mp.setattr(cutting, "TREE_LEAF", 64)  # the parent tree and destinations in several leaves
        result = CliRunner().invoke(cli, ["build", str(folder), "--format", "pdf,json,csv"])
    assert result.exit_code == 0, result.output
    assert "PDF:" not in result.output, "WeasyPrint logged warnings or errors"
    return folder / "output"


def _pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_the_report_was_cut_into_parts() -> None:
    from scorecard.build import load
    from scorecard.document import documents
    from scorecard.render.html import Renderer

    project, _ = load(ROOT)
    html = Renderer().report_html(documents(project).primary)
    parts = cutting.split_report(html, PART)
    assert len(parts) >= 5
    # Each anchor is held by exactly one part.
    ids = re.findall(r'\sid="([^"]+)"', html[html.index("<body") :])
    held = [i for part in parts for i in part.ids]
    assert sorted(held) == sorted(ids)
    assert cutting.split_report(html, len(html)) == [cutting.Part(html, set())]


def test_every_page_but_the_cover_says_page_x_of_y(joined: Path) -> None:
    pages = _pages(joined / "scorecard.pdf")
    assert len(pages) > 20
    assert not re.search(r"Page \d+ of", pages[0])
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"Page {number} of {len(pages)}\b", text), (number, text[-300:])
        assert "#StopHateForProfit" in text.splitlines()[0]  # the running header


def test_the_outline_has_every_demand_and_section(joined: Path) -> None:
    reader = PdfReader(joined / "scorecard.pdf")
    doc = json.loads((joined / "scorecard.json").read_text(encoding="utf-8"))

    def walk(items: list, depth: int = 0) -> list[tuple[int, str, int]]:
        found = []
        for item in items:
            if isinstance(item, list):
                found += walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
        return found

    outline = walk(reader.outline)
    titles = [t for _, t, _ in outline]
    for demand in doc["demands"]:
        assert any(t.startswith(f"{demand['id']}. ") for t in titles), demand["id"]
    assert titles[-1] == "How this report was made"
    assert [p for _, _, p in outline] == sorted(p for _, _, p in outline)
    pages = _pages(joined / "scorecard.pdf")
    for depth, title, page in outline:
        if title.startswith("D") and ". " in title:
            assert depth == 1  # under its group, as in one piece
            assert title.split(". ")[0] + "." in pages[page], title


def test_every_link_leads_to_its_anchor(joined: Path) -> None:
    reader = PdfReader(joined / "scorecard.pdf")
    dests = reader.named_destinations
    pages = _pages(joined / "scorecard.pdf")
    links = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            assert not uri.startswith(cutting.ELSEWHERE), uri  # made a link to its anchor
            if "/Dest" not in annotation:
                continue
            links += 1
            name = str(annotation["/Dest"])
            assert name in dests, name
            target = reader.get_destination_page_number(dests[name])
            if re.fullmatch(r"D\d+", name):  # a demand: its heading is on that page
                assert f"{name}." in pages[target], name
    assert links > 100


def test_source_numbers_run_on_across_parts(joined: Path) -> None:
    """Each source keeps its number in the list of sources, whichever part it is in (one
    restarting at 1 would show numbers twice)."""
    sources = [n for n in PdfReader(joined / "scorecard.pdf").named_destinations if "src-" in n]
    count = len(sources)
    assert count > 30
    text = "\n".join(_pages(joined / "scorecard.pdf"))
    listed = text[text.rindex("\nSources\n") :]  # in two columns: a number opens each item
    numbers = [int(n) for n in re.findall(r"(?:^|\s)(\d+)\.\s", listed) if int(n) <= count]
    assert len(numbers) == len(set(numbers)), sorted(numbers)
    assert len(numbers) > 0.9 * count and max(numbers) == count


def test_the_structure_tree_is_one_and_whole(joined: Path) -> None:
    reader = PdfReader(joined / "scorecard.pdf")
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"]
    nums = _number_tree(tree["/ParentTree"].get_object())
    entries = dict(zip(nums[::2], nums[1::2], strict=True))
    assert len(entries) == len(nums) // 2 and tree["/ParentTreeNextKey"] > max(entries)
    assert "/Kids" in tree["/ParentTree"].get_object()
    document = tree["/K"][0].get_object()
    assert document["/S"] == "/Document" and len(document["/K"]) >= 5
    for part in document["/K"]:
        assert part.get_object()["/S"] == "/Part"
        assert part.get_object().raw_get("/P").idnum == tree["/K"][0].idnum
    for page in reader.pages:
        for element in entries[page["/StructParents"]].get_object():
            assert element.get_object().raw_get("/Pg").idnum == page.indirect_reference.idnum
        for annotation in page.get("/Annots", []) or []:
            element = entries[annotation.get_object()["/StructParent"]].get_object()
            kids = element["/K"] if isinstance(element["/K"], list) else [element["/K"]]
            objects = [k.get_object() for k in kids if not isinstance(k.get_object(), int)]
            assert any(o.raw_get("/Obj").idnum == annotation.idnum for o in objects if "/Obj" in o)


def _number_tree(node) -> list:
    """The flat /Nums of a number tree, its leaves in order, each within its /Limits."""
    if "/Nums" in node:
        nums = list(node["/Nums"])
        if "/Limits" in node:
            assert [nums[0], nums[-2]] == list(node["/Limits"])
        return nums
    return [n for kid in node["/Kids"] for n in _number_tree(kid.get_object())]


def test_pdf_a_and_the_attached_data_survive_the_join(joined: Path) -> None:
    reader = PdfReader(joined / "scorecard.pdf")
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3</pdfaid:part>', xmp)
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert reader.pdf_header.startswith("%PDF-1.7")
    attached = {k: v[0] for k, v in reader.attachments.items()}
    assert set(attached) >= {"scorecard.json", "demands.csv"}
    for file, data in attached.items():
        assert data == (joined / file).read_bytes()
    assert {str(s.get_object()["/F"]) for s in root["/AF"]} == set(attached)
    assert reader.metadata["/Title"] == "#StopHateForProfit"


def test_html_the_cutter_does_not_know_is_laid_out_in_one_piece() -> None:
    text = "<p>" + "word " * 1_000 + "</p>"  # one paragraph: nowhere to cut
    page = f"<html><head></head><body>{text}{text}</body></html>"
    assert [p.html for p in cutting.split_report(page, 1_000)] != [page]  # between the two
    for html in (
        f"<html><body><div>{text}{text}</body></html>",  # a <div> never closed
        f"<html><body>{text}</i>{text}</body></html>",  # closes nothing
        f"<html><body><div>{'words ' * 500}{text}{text}</div></body></html>",  # text and blocks
        f"<html><body>{text}{'words ' * 500}{text}</body></html>",  # text in the body
    ):
        assert [p.html for p in cutting.split_report(html, 1_000)] == [html]


def test_a_part_never_ends_on_a_heading() -> None:
    """Each part starts a page: a heading at the end of a part would stand alone at a page's
    foot, what it heads on the next (a group's title did, in a 25-demand report)."""
    text = "<p>" + "word " * 150 + "</p>"
    body = "".join(f"<h2>Group {i}</h2><section>{text}{text}</section>" for i in range(8))
    page = f"<html><head></head><body>{body}</body></html>"
    parts = cutting.split_report(page, 2_000)
    assert len(parts) > 2
    for part in parts:
        inner = part.html[part.html.index("<body>") + 6 : part.html.rindex("</body>")]
        assert not re.search(r"</h[1-6]>\s*$", inner), inner[-200:]
    # nothing lost or repeated
    joined = "".join(p.html[p.html.index("<body>") + 6 : p.html.rindex("</body>")] for p in parts)
    assert joined.count("<h2>") == 8 and joined.count("<section>") == 8


def test_a_part_never_ends_with_a_tables_start() -> None:
    """A table's heading, caption, header and first rows go to the next part together, as the
    page would keep them: the timeline of a 25-demand report started with its heading, its
    caption and one row at a page's foot, the other rows on the next page."""
    row = "<tr><th>D{}</th><td>" + "word " * 60 + "</td></tr>"
    rows = "".join(row.format(i) for i in range(40))
    table = f"<h3>Each demand</h3><div><table><caption>Status</caption><tbody>{rows}</tbody></table></div>"
    lead = "<p>" + "word " * 330 + "</p>"  # the first part ends after about two rows
    page = f"<html><head></head><body><section>{lead}{table}</section></body></html>"
    parts = cutting.split_report(page, 2_400)
    assert len(parts) > 2
    for part in parts:
        inner = part.html[part.html.index("<body>") + 6 : part.html.rindex("</body>")]
        starts = re.findall(r"<tr><th>D(\d+)</th>", inner)
        if "<caption>" in inner:  # the table starts here: with at least FIRST_ROWS rows
            assert len(starts) >= cutting.FIRST_ROWS, inner[:300]
    joined = "".join(p.html for p in parts)
    assert [int(n) for n in re.findall(r"<tr><th>D(\d+)</th>", joined)] == list(range(40))
    assert joined.count("<caption>") == 1 and joined.count("<h3>") == 1


def test_a_report_in_parts_is_the_same_bytes_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """scorecard verify rebuilds a PDF and compares its bytes."""
    from scorecard.build import load
    from scorecard.document import documents
    from scorecard.render.html import Renderer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project, _ = load(ROOT)
    doc = documents(project).primary
    html = Renderer().report_html(doc)
    made = [
        pdf.html_to_pdf(
            html, title="T", author="A", lang="en", when=doc["generated_on"], part_chars=40_000
        )[0]
        for _ in range(2)
    ]
    assert made[0] == made[1]
    assert len(PdfReader(io.BytesIO(made[0])).pages) > 20
