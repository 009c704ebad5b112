"""Chart geometry (scorecard/render/charts.py): dates on the axis, step lines, rows, right to left."""

from __future__ import annotations

from scorecard.render.charts import Axis, demand_timelines, score_chart

TARGETS = [
    {
        "id": "a",
        "name": "A",
        "score_history": [
            {
                "date": "2020-01-01",
                "percent": 0.0,
                "summary": "0 of 2 met",
                "points": 0,
                "met": 0,
                "applicable": 2,
            },
            {
                "date": "2020-07-01",
                "percent": 50.0,
                "summary": "1 of 2 met",
                "points": 1,
                "met": 1,
                "applicable": 2,
            },
            {
                "date": "2021-01-01",
                "percent": 50.0,
                "summary": "1 of 2 met",
                "points": 1,
                "met": 1,
                "applicable": 2,
            },
        ],
    }
]
DEMANDS = [
    {
        "id": "D1",
        "history": [{"date": "2020-07-01", "status": "met"}],
        "evidence": [{"date": "2020-07-01", "response": "r1", "verdict": "full"}],
    },
    {"id": "D2", "history": [], "evidence": []},
]


def test_axis_maps_dates_linearly_and_clamps() -> None:
    axis = Axis("2020-01-01", "2020-01-11", 0, 100)
    assert axis.x("2020-01-01") == 0 and axis.x("2020-01-06") == 50 and axis.x("2020-01-11") == 100
    assert axis.x("2019-12-01") == 0 and axis.x("2021-01-01") == 100
    assert Axis("2020-01-01", "2020-01-01", 0, 100).x("2020-01-01") == 0  # one day: no division


def test_axis_ticks_speak_the_page_language() -> None:
    from scorecard.i18n import Formats

    ticks = Axis("2020-06-17", "2020-12-31", 0, 100).ticks(Formats("fr").month)
    assert ticks[0]["label"] == "juil. 2020"
    c = score_chart(TARGETS, "2021-01-01", percent=Formats("fr").percent)
    assert c["yticks"][1]["label"] == "25\u00a0%"


def test_axis_ticks_are_month_or_year_starts() -> None:
    ticks = Axis("2020-06-17", "2021-12-31", 0, 100).ticks()
    assert [t["label"] for t in ticks] == [
        "Jul 2020",
        "Oct 2020",
        "2021",
        "Apr 2021",
        "Jul 2021",
        "Oct 2021",
    ]
    assert [t["label"] for t in Axis("2015-01-01", "2025-01-01", 0, 1).ticks()][:2] == [
        "2016",
        "2018",
    ]


def test_a_score_line_breaks_while_nothing_is_scored() -> None:
    """A target none of whose demands counts yet (none made) has no score: its line starts
    when one counts, and stops while none does; no dot says 0%."""
    history = [
        {"date": "2020-01-01", "percent": 0.0, "summary": "Not scored", "applicable": 0},
        {"date": "2020-07-01", "percent": 0.0, "summary": "0 of 1 met", "applicable": 1},
        {"date": "2020-10-01", "percent": 0.0, "summary": "Not scored", "applicable": 0},
        {"date": "2021-01-01", "percent": 100.0, "summary": "1 of 1 met", "applicable": 1},
    ]
    c = score_chart([{"id": "n", "name": "N", "score_history": history}], "2021-07-01")
    (s,) = c["series"]
    assert s["path"].count("M") == 2  # two stretches: July to October 2020, then 2021 on
    assert [d["date"] for d in s["dots"]] == ["2020-07-01", "2021-01-01"]
    assert s["history"] == history  # the table lists every point, "Not scored" included
    start = c["series"][0]["path"].split("H")[0]
    assert start == f"M{Axis('2020-01-01', '2021-07-01', 44, 628).x('2020-07-01')},212.0"


def test_score_chart_is_a_step_line() -> None:
    c = score_chart(TARGETS, "2021-01-01")
    (s,) = c["series"]
    left, right, top, bottom = c["left"], c["right"], c["top"], c["bottom"]
    mid = round(left + (right - left) * 182 / 366, 2)  # 2020-07-01 is day 182 of 366
    half = (bottom + top) / 2  # 50%
    assert [(d["x"], d["y"]) for d in s["dots"]] == [(left, bottom), (mid, half), (right, half)]
    # Flat, then up at the change (a step, not a slope), then flat to the as-of date.
    assert s["path"] == (
        f"M{float(left)},{float(bottom)}H{mid}V{half}H{float(right)}V{half}H{float(right)}"
    )
    assert c["yticks"][0]["label"] == "0%" and c["yticks"][-1]["y"] == top


def test_right_to_left_mirrors_time() -> None:
    ltr, rtl = score_chart(TARGETS, "2021-01-01"), score_chart(TARGETS, "2021-01-01", rtl=True)
    assert ltr["series"][0]["dots"][0]["x"] < ltr["series"][0]["dots"][-1]["x"]
    assert rtl["series"][0]["dots"][0]["x"] > rtl["series"][0]["dots"][-1]["x"]
    assert rtl["scale_anchor"] == "start" and rtl["scale_x"] > rtl["right"]
    rows = demand_timelines(DEMANDS, "2020-01-01", "2021-01-01", rtl=True)
    d1 = rows["rows"][0]
    assert [s["status"] for s in d1["segments"]] == ["no-response", "met"]
    # Later is further left: the no-response stretch (before) is on the right.
    assert d1["segments"][0]["x"] > d1["segments"][1]["x"]
    assert all(s["w"] > 0 for s in d1["segments"])
    assert rows["left"] == 0 and rows["right"] == 100  # percentages of the bar's width


def test_demand_rows_cover_the_whole_span() -> None:
    t = demand_timelines(DEMANDS, "2020-01-01", "2021-01-01")
    d1, d2 = t["rows"]
    assert round(sum(s["w"] for s in d1["segments"]), 1) == t["right"] - t["left"]
    assert [s["status"] for s in d2["segments"]] == ["no-response"]
    assert d1["dots"][0]["x"] == d1["segments"][1]["x"]  # the response starts the step


def test_a_bar_with_many_responses_draws_them_as_marks_that_leave_its_colours_seen(
    runner, mini
) -> None:
    """More than DENSE_DOTS responses on one demand: the row is dense (its responses drawn as
    short marks along the bar's top, not dots over it), and the caption says so."""
    from pathlib import Path

    from scorecard.cli import cli
    from scorecard.render.charts import DENSE_DOTS

    many = [
        {"date": f"2020-{m:02d}-{d:02d}", "response": f"r{m}-{d}", "verdict": "none"}
        for m in range(1, 13)
        for d in (1, 15, 28)
    ][: DENSE_DOTS + 1]
    rows = demand_timelines([{**DEMANDS[0], "evidence": many}, DEMANDS[0]], "2020-01-01", "2021")
    assert [r["dense"] for r in rows["rows"]] == [True, False] and rows["dense"]
    assert not demand_timelines(DEMANDS, "2020-01-01", "2021-01-01")["dense"]
    # the page: the dense row's track is marked; the caption names the marks only then
    out = Path(mini) / "output"
    result = runner.invoke(cli, ["build", str(mini), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    assert 'class="track dense"' not in page and "short marks" not in page
    text = (Path(mini) / "responses.yaml").read_text(encoding="utf-8")
    entry = text[text.index("  - id: r1\n") :].split("\n  - id:")[0]
    copies = "".join(
        "\n" + entry.replace("id: r1", f"id: copy{i}").rstrip("\n") + "\n"
        for i in range(DENSE_DOTS + 1)
    )
    (Path(mini) / "responses.yaml").write_text(text.rstrip("\n") + "\n" + copies, "utf-8")
    result = runner.invoke(cli, ["build", str(mini), "--format", "html,pdf"])
    assert result.exit_code == 0, result.output
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    assert page.count('class="track dense"') >= 1 and "(short marks along the top" in page
