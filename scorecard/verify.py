"""``scorecard verify``: are the published outputs exactly what a campaign's data gives?

The published scorecard.json (or the copy attached to a published PDF) records how it was
built: the as-of date, the rule, the clock (``generated_on``), the formats and languages, and
the provenance (each input file's SHA-256, the git commit). ``verify`` builds again from the
project's data with exactly those settings, in memory, and compares file by file: the same
bytes, or missing, extra, different (with the first line that differs, for text). Builds are
reproducible, PDFs included (same data, clock and tool versions give the same bytes); a PDF made
by another version of the PDF renderer differs in its bytes, so a PDF that differs is also
compared by its text and attachments, and ``pdf_text`` accepts a PDF equal in those.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import FORMATS, make
from .enums import Rule
from .errors import ScorecardError, display

TEXT = (".html", ".json", ".csv", ".svg", ".xml", ".txt", ".md")


@dataclass
class FileCheck:
    """One file: ``same``, ``missing`` (the data makes it, the folder lacks it), ``extra`` (in
    the folder, not made by the data) or ``different`` (with ``detail``: how)."""

    name: str
    state: str
    detail: str = ""


@dataclass
class Verification:
    published: Path  # the folder (or the one file) checked
    recorded_from: str  # where the settings were read: scorecard.json or a PDF's attachment
    settings: dict[str, Any]  # as_of, rule, generated_on, formats, languages, since
    files: list[FileCheck]
    inputs: list[tuple[str, str | None, str | None]]  # file, recorded SHA-256, the project's
    git: tuple[dict[str, Any] | None, dict[str, Any] | None]  # recorded, the project's
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.state == "same" for f in self.files)


def recorded(published: Path) -> tuple[dict[str, Any], str]:
    """The published document (scorecard.json's data) and where it was read from."""
    candidates: list[Path]
    if published.is_file():
        candidates = [published]
    elif published.is_dir():
        json_file = published / "scorecard.json"
        pdfs = sorted(
            published.glob("scorecard*.pdf"), key=lambda p: (p.name != "scorecard.pdf", p.name)
        )
        candidates = [json_file] if json_file.is_file() else pdfs
    else:
        raise ScorecardError(
            f"{display(published)} was not found; give the folder of the "
            "published outputs (or one published file)"
        )
    for path in candidates:
        if path.suffix == ".json":
            return _parse(path.read_bytes(), display(path)), display(path)
        if path.suffix == ".pdf":
            data = _attached_json(path)
            if data is not None:
                return _parse(
                    data, f"{display(path)} (attached)"
                ), f"scorecard.json attached to {display(path)}"
    raise ScorecardError(
        f"{display(published)} holds no scorecard.json and no PDF with "
        "scorecard.json attached: nothing says how it was built"
    )


def _attached_json(path: Path) -> bytes | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        found = PdfReader(path).attachments.get("scorecard.json")
    except (PyPdfError, OSError, ValueError, KeyError):
        return None
    return found[0] if found else None


def _parse(raw: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScorecardError(f"{where} is not JSON ({exc})") from exc
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("provenance"), dict)
        or not isinstance(doc["provenance"].get("build"), dict)
    ):
        raise ScorecardError(
            f"{where} does not record how it was built (no provenance): it "
            "was made by an older scorecard or by hand; build it again"
        )
    return doc


def settings(doc: dict[str, Any]) -> dict[str, Any]:
    """The build's settings as recorded in a published document."""
    asked = doc["provenance"]["build"]
    try:
        return {
            "as_of": dt.date.fromisoformat(doc["as_of"]),
            "rule": Rule(doc["rule"]["id"]),
            "when": dt.datetime.fromisoformat(doc["generated_on"]),
            "formats": tuple(f for f in asked["formats"] if f in FORMATS),
            "languages": tuple(asked["languages"]),
            "since": dt.date.fromisoformat(asked["since"]) if asked.get("since") else None,
            "reviewed_only": bool(doc.get("reviewed_only")),
            "templates": asked.get("templates", "default"),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ScorecardError(
            f"the published scorecard.json's settings cannot be read ({exc})"
        ) from exc


def verify(
    published: Path, project: Path, templates: Path | None = None, pdf_text: bool = False
) -> Verification:
    """Rebuild ``project`` with the settings recorded in ``published`` and compare."""
    doc, source = recorded(published)
    s = settings(doc)
    if s["templates"] == "custom" and templates is None:
        raise ScorecardError(
            "the outputs were built with custom templates (--templates); give "
            "the same folder to verify with --templates DIR"
        )
    made = make(
        project,
        s["formats"],
        s["as_of"],
        s["rule"],
        templates=templates,
        langs=s["languages"],
        since=s["since"],
        reviewed_only=s["reviewed_only"],
        when=s["when"],
    )
    rebuilt = made.files
    if published.is_file():
        here = {published.name: published}
    else:
        here = {  # with the files of its folders (sources/), as the build names them
            p.relative_to(published).as_posix(): p
            for p in sorted(published.rglob("*"))
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(published).parts)
        }
    checks = []
    for name in sorted(set(rebuilt) | set(here)):
        if name not in here:
            if not published.is_file():
                checks.append(FileCheck(name, "missing", "made by the data, not published"))
        elif name not in rebuilt:
            checks.append(FileCheck(name, "extra", "published, not made by this data"))
        else:
            checks.append(compare(name, here[name].read_bytes(), rebuilt[name], pdf_text))
    mine = made.documents.primary["provenance"]
    recorded_inputs = {i["file"]: i["sha256"] for i in doc["provenance"].get("inputs", [])}
    current = {i["file"]: i["sha256"] for i in mine["inputs"]}
    inputs = [
        (n, recorded_inputs.get(n), current.get(n))
        for n in dict.fromkeys([*recorded_inputs, *current])
    ]
    shown = {
        "as_of": s["as_of"].isoformat(),
        "rule": s["rule"].value,
        "generated_on": doc["generated_on"],
        "formats": list(s["formats"]),
        "languages": list(s["languages"]),
        "since": s["since"].isoformat() if s["since"] else None,
    }
    return Verification(
        published, source, shown, checks, inputs, (doc["provenance"].get("git"), mine["git"])
    )


def compare(name: str, published: bytes, rebuilt: bytes, pdf_text: bool = False) -> FileCheck:
    """One file, published and rebuilt: the same bytes, or how they differ."""
    if published == rebuilt:
        return FileCheck(name, "same")
    if name.endswith(".pdf"):
        return _compare_pdf(name, published, rebuilt, pdf_text)
    if name.endswith(TEXT):
        return FileCheck(
            name,
            "different",
            first_difference(
                published.decode("utf-8", errors="replace"),
                rebuilt.decode("utf-8", errors="replace"),
            ),
        )
    return FileCheck(
        name, "different", f"binary: {len(published):,} bytes published, {len(rebuilt):,} rebuilt"
    )


def first_difference(published: str, rebuilt: str) -> str:
    """Where two texts first differ: the line, and a short extract of each around it."""
    a, b = published.splitlines(), rebuilt.splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            col = next(
                (k for k, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
                min(len(x), len(y)),
            )
            start = max(0, col - 40)
            return (
                f"line {i + 1}, column {col + 1}: published {x[start : col + 60]!r}, "
                f"rebuilt {y[start : col + 60]!r}"
            )
    if len(a) != len(b):
        n = min(len(a), len(b))
        longer, which = (a, "published") if len(a) > len(b) else (b, "rebuilt")
        return f"line {n + 1}: only the {which} file goes on: {longer[n][:100]!r}"
    return "the same lines, different line ends or bytes"


def _compare_pdf(name: str, published: bytes, rebuilt: bytes, pdf_text: bool) -> FileCheck:
    """Two PDFs with different bytes, compared by their text and attachments (pypdf)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        a, b = PdfReader(io.BytesIO(published)), PdfReader(io.BytesIO(rebuilt))
        text_a = "\n".join(p.extract_text() for p in a.pages)
        text_b = "\n".join(p.extract_text() for p in b.pages)
        files_a, files_b = dict(a.attachments), dict(b.attachments)
        producers = tuple(r.metadata.get("/Producer") if r.metadata else None for r in (a, b))
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        return FileCheck(name, "different", f"the published file is not a readable PDF ({exc})")
    if text_a != text_b:
        return FileCheck(name, "different", "its text differs: " + first_difference(text_a, text_b))
    if files_a != files_b:
        changed = sorted(k for k in set(files_a) | set(files_b) if files_a.get(k) != files_b.get(k))
        return FileCheck(
            name, "different", f"same text, but the attached {', '.join(changed)} differ"
        )
    how = "same text and attachments, different bytes"
    if producers[0] != producers[1]:
        how += f" (made by {producers[0]}; rebuilt with {producers[1]})"
    if pdf_text:
        return FileCheck(name, "same", how)
    return FileCheck(name, "different", how + "; --pdf-text accepts this")
