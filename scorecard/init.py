"""``scorecard init DIR``: a new campaign folder that validates and builds as it is."""

from __future__ import annotations

import json
from pathlib import Path

from .document import generated_on
from .edit.yamltext import scalar
from .errors import ScorecardError
from .model import schemas
from .render.html import templates_dir

SKELETON = ("demands.yaml", "responses.yaml", "README.md")


def init(folder: Path, title: str = "Our campaign", target: str = "The target") -> list[Path]:
    """Write the skeleton into ``folder`` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScorecardError(
            f"{folder} is not an empty folder; give a new folder name "
            "(init never overwrites a file)"
        )
    if any("\n" in v or "\r" in v for v in (title, target)):
        raise ScorecardError("--title and --target are one line each; remove the line break")
    values = {"title": title, "target": target, "launched": generated_on().date().isoformat()}
    files: dict[str, str] = {}
    for name in SKELETON:
        text = (templates_dir() / "init" / name).read_text(encoding="utf-8")
        for key, value in values.items():
            shown = value if name.endswith(".md") or key == "launched" else scalar(value)
            text = text.replace("{{ " + key + " }}", shown)
        files[name] = text
    for which, schema in schemas().items():
        files[f"{which}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    files[".gitignore"] = "output/\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            path = folder / name
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written.append(path)
    except OSError as exc:
        raise ScorecardError(f"{folder}: cannot write the new campaign ({exc.strerror})") from exc
    return written
