"""The PDF's budget is per report (each report is laid out alone, in parts), with a generous
bound on all the reports of a build together: the example in three languages builds with the
default, and a refusal still says what, how much and how to fix."""

from __future__ import annotations

import pytest
from conftest import ROOT

from scorecard import budget
from scorecard.build import load, report_htmls
from scorecard.document import documents
from scorecard.errors import ScorecardError
from scorecard.render.html import Renderer


def _example():
    project, _ = load(ROOT)
    return documents(project)


def test_the_example_in_three_languages_is_within_the_default_budget() -> None:
    docs = _example()
    reports = report_htmls(Renderer(), docs, ("en", "ar", "fr"))
    assert len(reports) == 3 * len(docs.docs) == 9
    weights = [budget.pdf_weight(html) for html in reports.values()]
    # Together over the old budget of the whole build (40,000), each far under one report's.
    assert sum(weights) > 40_000
    assert max(weights) < budget.MAX_PDF_WEIGHT // 10


def test_one_report_over_the_budget_is_refused_and_the_advice_works() -> None:
    """Every report is weighed before the refusal, so the --pdf-budget it names lets them all
    through (it once named the first report's weight, and the Arabic one, heavier, was refused
    on the next try)."""
    docs = _example()
    with pytest.raises(ScorecardError) as refused:
        report_htmls(Renderer(), docs, ("en", "ar"), budget=2_000)
    message = str(refused.value)
    assert message.startswith("the heaviest of the 6 PDF reports of this build ")
    assert "more than the 2,000 the PDF stage lays out" in message
    assert "nothing was written" in message and "--pdf-budget " in message
    needed = int(message.split("--pdf-budget ")[1].split(":")[0].replace(",", ""))
    assert len(report_htmls(Renderer(), docs, ("en", "ar"), budget=needed)) == 6
    with pytest.raises(ScorecardError) as one:
        budget.check_pdf(next(iter(report_htmls(Renderer(), docs, ("en",)).values())), 2_000)
    assert str(one.value).startswith("the PDF report would weigh ")


def test_the_reports_of_a_build_together_have_a_bound() -> None:
    docs = _example()
    weights = [
        budget.pdf_weight(html)
        for html in report_htmls(Renderer(), docs, ("en", "ar", "fr")).values()
    ]
    # A budget each report is within, whose total bound the nine together pass.
    limit = max(max(weights), sum(weights) // budget.MAX_PDF_REPORTS - 100)
    with pytest.raises(ScorecardError) as refused:
        report_htmls(Renderer(), docs, ("en", "ar", "fr"), budget=limit)
    message = str(refused.value)
    assert message.startswith("the 9 PDF reports of this build (one per target and language)")
    needed = int(message.split("--pdf-budget ")[1].split(":")[0].replace(",", ""))
    assert needed * budget.MAX_PDF_REPORTS >= sum(weights)
    assert len(report_htmls(Renderer(), docs, ("en", "ar", "fr"), budget=needed)) == 9
