"""What the commands print for people at a terminal: the status table, what changed, and link
suggestions. Plain text made from the library's results; the commands only echo it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .enums import Status
from .errors import printable
from .vocabulary import STATUS_DEFINITIONS, STATUS_LABELS

if TYPE_CHECKING:
    from .diff import Diff
    from .sources import Report
    from .suggest import Suggestions
    from .verify import Verification


def _first(text: Any, lang: str | None = None) -> str:
    """A text of the data in ``lang``, else in its first language."""
    if not isinstance(text, dict):
        return "" if text is None else str(text)
    return text.get(lang) or next(iter(text.values()), "")


def status_table(doc: dict[str, Any]) -> str:
    """Each demand's status as of the document's date, then the score and what it means."""
    lang = doc["campaign"].get("lang")
    rows = []
    for d in doc["demands"]:
        label = STATUS_LABELS[Status(d["status"])]
        if d["status_set_by_hand"]:
            label += " (set by hand)"
        if d["overdue_days"] is not None:
            label += f", overdue {d['overdue_days']} days"
        last = d["evidence"][-1]["date"] if d["evidence"] else "-"
        rows.append((d["id"], label, last, _first(d["title"], lang)))
    header = ("Demand", "Status", "Last response", "Title")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)), row[3]])
        for row in [header, *rows]
    ]
    targets = doc["targets"]
    title = _first(doc["campaign"]["title"])
    if len(targets) > 1:
        title += f", {doc['campaign']['target']}"
    score = doc["score"]
    later = doc["later_responses"]
    lines.append(
        f"\n{title}: {score['summary']} ({score['percent']:g}%) as of {doc['as_of']}; "
        f"rule: {doc['rule']['id']} ({len(doc['responses'])} responses"
        f"{f', {later} later not counted' if later else ''})."
    )
    if len(targets) > 1:
        lines.append(
            "Targets: "
            + "; ".join(
                f"{t['name']} ({t['id']}) {t['score']['summary']} ({t['score']['percent']:g}%)"
                for t in targets
            )
        )
    lines.append(f"Rule: {doc['rule']['definition']}")
    present = {d["status"] for d in doc["demands"]}
    lines += [
        f"{label}: {STATUS_DEFINITIONS[s]}"
        for s, label in STATUS_LABELS.items()
        if s.value in present
    ]
    return "\n".join(lines)


def diff_text(result: Diff) -> str:
    """Each demand whose status changed, from what to what, and the responses that moved it."""

    def label(status: str | None) -> str:
        return "(none)" if status is None else STATUS_LABELS[Status(status)]

    lines = [
        (f"What changed from {result.before} to {result.after} (statuses as of {result.as_of}):")
    ]
    for c in result.changes:
        hand = " (set by hand)" if c.set_by_hand else f" (ruling {c.ruling})" if c.ruling else ""
        lines.append(f"  {c.demand} {_first(c.title)}: {label(c.before)} -> {label(c.after)}{hand}")
        for cause in c.causes:
            gone = ", link removed" if cause.removed else ""
            lines.append(f"      {cause.date} {cause.response} ({cause.verdict}{gone})")
    if not result.changes:
        lines.append("  no demand changed status.")
    return "\n".join(lines)


def suggestions_text(found: Suggestions, titles: dict[str, str]) -> str:
    """Responses without links and the demands they may be about, and the other way round."""
    from .suggest import FLOOR

    def why(s: Any) -> str:
        """Score, whether it is unsure, and what matched: the words, then the other signals."""
        unsure = " (unsure)" if s.unsure else ""
        signals = f"; {', '.join(s.signals)}" if s.signals else ""
        return f"score {s.score:.3f}{unsure}  matched: {', '.join(s.matched)}{signals}"

    lines = []
    if not found.for_responses and not found.for_demands:
        lines.append("Every response has a link and every demand a response: nothing to suggest.")
    if found.for_responses:
        lines.append("Responses without links, and the demands they may be about:")
    for response, ss in found.for_responses.items():
        lines.append(f"  {response}")
        for i, s in enumerate(ss, 1):
            lines.append(f"    {i}. {s.demand} {titles[s.demand]}  {why(s)}")
            lines.append(f"       «{s.passage}»")
        if not ss:
            lines.append(f"    (no likely demand: none scores {FLOOR:.2f} or more)")
    if found.for_demands:
        lines.append("Demands without responses, and the responses that may be about them:")
    for demand, ss in found.for_demands.items():
        lines.append(f"  {demand} {titles[demand]}")
        for i, s in enumerate(ss, 1):
            lines.append(f"    {i}. {s.response}  {why(s)}")
            lines.append(f"       «{s.passage}»")
        if not ss:
            lines.append(f"    (no likely response: none scores {FLOOR:.2f} or more)")
    return "\n".join(lines)


MARKS = {"live": "live", "redirected": "redirected", "changed": "CHANGED", "gone": "GONE"}


def sources_table(report: Report) -> str:
    """Each source address checked: its state, where it is cited, what was found."""
    rows = [("State", "Address", "Cited by", "Detail")]
    for c in report.checks:
        cited = c.citations[0].where + (
            f" (+{len(c.citations) - 1})" if len(c.citations) > 1 else ""
        )
        detail = c.reason + (f"; archived: {c.archive}" if c.archive else "")
        rows.append(
            (MARKS[c.state], printable(c.url, 120), printable(cited, 80), printable(detail, 200))
        )
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(r[:3], widths, strict=True)), r[3]]).rstrip()
        for r in rows
    ]
    counts = ", ".join(f"{n} {state}" for state, n in report.counts().items())
    lines.append(
        f"\n{len(report.checks)} addresses checked: {counts}"
        f"{f'; {report.skipped} sources without a url' if report.skipped else ''}."
    )
    lines += [f"archive: {e}" for e in report.archive_errors]
    if report.written:
        lines.append("Wrote " + ", ".join(str(p) for p in report.written))
    return "\n".join(lines)


def verify_text(result: Verification) -> str:
    """File by file, whether the published outputs are what the data gives; then the inputs
    and the commit, recorded and found."""
    from .errors import display

    s = result.settings
    since = f", since {s['since']}" if s["since"] else ""
    lines = [
        (
            f"Rebuilt with the settings recorded in {result.recorded_from}: as of "
            f"{s['as_of']}, rule {s['rule']}, generated on {s['generated_on']}, formats "
            f"{','.join(s['formats'])}, languages {','.join(s['languages'])}{since}."
        )
    ]
    width = max((len(f.name) for f in result.files), default=0)
    for f in result.files:
        mark = "same" if f.state == "same" else f.state.upper()
        detail = f"  {printable(f.detail, 400)}" if f.detail else ""
        lines.append(f"  {mark:<9}  {printable(f.name).ljust(width)}{detail}".rstrip())
    lines.append("Input files (SHA-256):")
    for name, then, now in result.inputs:
        if then == now:
            state = f"the same as recorded ({now[:16]}...)" if now else "absent, as recorded"
        elif then is None:
            state = f"NOT RECORDED: here {now[:16]}..." if now else "absent"
        elif now is None:
            state = f"MISSING here (recorded {then[:16]}...)"
        else:
            state = f"CHANGED: recorded {then[:16]}..., here {now[:16]}..."
        lines.append(f"  {printable(name)}: {state}")
    lines.append(
        f"Git commit: recorded {_commit(result.git[0])}; this folder: {_commit(result.git[1])}."
    )
    bad = [f for f in result.files if f.state != "same"]
    if (
        bad
        and all(then == now for _, then, now in result.inputs)
        and result.git[0] != result.git[1]
    ):
        lines.append(
            "The input files are the ones recorded: the outputs differ where they "
            "record the commit. Check out the recorded commit (git checkout COMMIT) "
            "and verify again."
        )
    where = display(result.published)
    if not bad:
        lines.append(
            f"OK: the {len(result.files)} file(s) of {where} are exactly what this data gives."
        )
    else:
        lines.append(
            f"NOT THE SAME: {len(bad)} of {len(result.files)} file(s) of {where} are "
            f"not what this data gives ({', '.join(printable(f.name) for f in bad[:5])}"
            f"{', ...' if len(bad) > 5 else ''})."
        )
    return "\n".join(lines)


def _commit(git: dict[str, Any] | None) -> str:
    if not git:
        return "none (not a git checkout)"
    where = f" in {git['path'].rstrip('/')}" if git.get("path") else ""
    return f"{git['commit'][:12]}{where}{', with changes not committed' if git['modified'] else ''}"
