"""Geometry of the charts over time, for the templates (templates/_timeline.html.j2).

The numbers come from the document (each target's ``score_history`` and each demand's
``history`` and ``evidence``, made by document.py and match.py); this module only places them on
a time axis. Pure functions, used as Jinja globals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..enums import Status
from ..model import as_period

# Bidi marks (LRM, RLM, ALM) that locales put around a percent sign: SVG text is one run in one
# direction already, and the PDF's fonts have no glyph for them.
MARKS = str.maketrans("", "", "\u200e\u200f\u061c")
# A target's line: no status's colour (a red line read as "refused", a blue one as "promised");
# each at least 4.5:1 on white, and told apart by its dashes too.
SERIES_COLORS = ("#1f2328", "#8250df", "#0a7b83", "#bc4c00", "#57606a", "#bf3989")
SERIES_DASHES = ("", "8 4", "2 3", "8 3 2 3", "12 4", "4 4")


def _day(value: str | dt.date) -> dt.date:
    """A date of the document; a month or a year counts as its last day."""
    return as_period(value)


class Axis:
    """Dates from ``start`` to ``end`` onto x from ``left`` to ``right``."""

    def __init__(self, start: str | dt.date, end: str | dt.date, left: float, right: float):
        self.start, self.end = _day(start), _day(end)
        if self.end <= self.start:
            self.end = self.start + dt.timedelta(days=1)
        self.left, self.right = left, right
        self.seen: dict[str | dt.date, float] = {}  # a campaign's dates come back often

    def x(self, day: str | dt.date) -> float:
        found = self.seen.get(day)
        if found is None:
            span = (self.end - self.start).days
            offset = min(max((_day(day) - self.start).days, 0), span)
            found = self.seen[day] = round(self.left + (self.right - self.left) * offset / span, 2)
        return found

    def ticks(self, month: Any = None) -> list[dict[str, Any]]:
        """Month or year starts between start and end, at most about 8 labels; ``month`` writes
        a month in the page's language (default: "Jul 2020")."""
        month = month or (lambda day: day.strftime("%b %Y"))
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 8)
        out: list[dict[str, Any]] = []
        year, m = self.start.year, self.start.month
        while True:
            m += 1
            if m > 12:
                year, m = year + 1, 1
            day = dt.date(year, m, 1)
            if day > self.end:
                # At most three labels on a phone: the first, the middle and the last.
                keep = {round(k * (len(out) - 1) / 2) for k in range(3)} if out else set()
                return [{**t, "narrow": i in keep} for i, t in enumerate(out)]
            if ((year * 12 + m - 1) % step) == 0:
                label = str(year) if step >= 12 or m == 1 else month(day)
                out.append({"x": self.x(day), "date": day.isoformat(), "label": label})


def score_chart(
    targets: list[dict[str, Any]],
    as_of: str,
    width: int = 640,
    height: int = 240,
    rtl: bool = False,
    month: Any = None,
    percent: Any = None,
) -> dict[str, Any]:
    """Step lines of each target's score (percent) from the first response to ``as_of``.
    Right to left (time running leftwards, the scale on the right) when ``rtl``. While no
    demand of a target is scored (none made yet, say), its line breaks and has no dots: a
    score of 0% would say it failed them all."""
    left, right, top, bottom = 44, width - 12, 12, height - 28
    if rtl:
        left, right = 12, width - 44
    starts = [t["score_history"][0]["date"] for t in targets if t["score_history"]]
    axis = Axis(min(starts, default=as_of), as_of, *((right, left) if rtl else (left, right)))

    def y(percent: float) -> float:
        return round(bottom - (bottom - top) * percent / 100, 2)

    series = []
    for i, target in enumerate(targets):
        history = target["score_history"]
        path, drawing = [], False
        for point in history:
            x = axis.x(point["date"])
            if not point["applicable"]:  # not scored: the line stops here
                if drawing:
                    path.append(f"H{x}")
                drawing = False
                continue
            yy = y(point["percent"])
            path.append(f"H{x}V{yy}" if drawing else f"M{x},{yy}")
            drawing = True
        if drawing:
            path.append(f"H{axis.x(as_of)}")
        series.append(
            {
                "id": target["id"],
                "name": target["name"],
                "color": SERIES_COLORS[i % len(SERIES_COLORS)],
                "dash": SERIES_DASHES[i % len(SERIES_DASHES)],
                "path": "".join(path),
                "last": history[-1] if history else None,
                "history": history,  # every point, scored or not (the chart's table)
                "dots": [
                    {"x": axis.x(p["date"]), "y": y(p["percent"]), **p}
                    for p in history
                    if p["applicable"]
                ],
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "series": series,
        "ticks": axis.ticks(month),
        "start": axis.start.isoformat(),
        "end": as_of,
        "scale_x": right + 6 if rtl else left - 6,
        "scale_anchor": "start" if rtl else "end",
        "yticks": [
            {"y": y(p), "label": (percent(p) if percent else f"{p}%").translate(MARKS)}
            for p in (0, 25, 50, 75, 100)
        ],
    }


# More responses than this on one demand's bar: they are drawn as short marks along its top
# edge, not as dots, which would cover the bar and hide the colours of its statuses.
DENSE_DOTS = 24


def demand_timelines(
    demands: list[dict[str, Any]], start: str, as_of: str, rtl: bool = False, month: Any = None
) -> dict[str, Any]:
    """One row per demand: a bar coloured by status between the steps of its history, and a dot
    at each response that touched it. Positions are percentages of the bar's width, from the
    left (time runs leftwards when ``rtl``); the template draws each row as a table row, so
    labels take their own column, wrap at any length and rows paginate in print."""
    left, right = 0.0, 100.0
    axis = Axis(start, as_of, *((right, left) if rtl else (left, right)))

    def segment(a: str | dt.date, b: str | dt.date, status: str, date: str | None) -> dict:
        xa, xb = axis.x(a), axis.x(b)
        return {"x": min(xa, xb), "w": round(abs(xb - xa), 2), "status": status, "date": date}

    rows = []
    for d in demands:
        steps = d["history"]
        first = steps[0]["date"] if steps else axis.end
        if not d.get("asked", True):  # compared only: one bar, not asked
            segments = [segment(axis.start, axis.end, "not-asked", None)]
            steps = []
        elif d.get("counted_from") and _day(d["counted_from"]) > axis.start:
            made = min(_day(d["counted_from"]), axis.end)  # before it, not yet made
            segments = [
                segment(axis.start, made, "not-yet-made", None),
                segment(made, first, "no-response", None),
            ]
        else:
            segments = [segment(axis.start, first, "no-response", None)]
        for j, step in enumerate(steps):
            until = steps[j + 1]["date"] if j + 1 < len(steps) else axis.end
            segments.append(segment(step["date"], until, step["status"], step["date"]))
        dots = [{"x": axis.x(e["date"]), **e} for e in d["evidence"]]
        rows.append(
            {
                "id": d["id"],
                "title": d.get("title"),
                "dots": dots,
                "dense": len(dots) > DENSE_DOTS,
                "steps": steps,
                "segments": [s for s in segments if s["w"] > 0],
            }
        )
    used = {s["status"] for r in rows for s in r["segments"]}
    return {
        "width": right - left,
        "left": left,
        "right": right,
        "rows": rows,
        "dense": any(r["dense"] for r in rows),
        "statuses": [s.value for s in Status if s.value in used],  # for the key, in order
        "ticks": axis.ticks(month),
        "start": axis.start.isoformat(),
        "end": as_of,
    }


def month_in_digits(day: dt.date) -> str:
    """A month as "7/2020", for the report's charts right to left. WeasyPrint draws SVG text
    without shaping or bidi, so Arabic month names would print as unjoined letters."""
    return f"{day.month}/{day.year}"


def jinja_globals() -> dict[str, Any]:
    return {
        "score_chart": score_chart,
        "demand_timelines": demand_timelines,
        "month_in_digits": month_in_digits,
    }
