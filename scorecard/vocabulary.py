"""The words of the interface: what each status, verdict, rule and kind of response is called
and what it means. Marked for translation (``N_``) and translated where they are shown; match.py
computes statuses without them."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Mapping
from typing import Any

from .i18n import N_
from .model import Kind, Rule, Status, Verdict

STATUS_LABELS = {
    Status.met: N_("Met"),
    Status.partial: N_("Partly met"),
    Status.promised: N_("Promised"),
    Status.refused: N_("Refused"),
    Status.not_addressed: N_("Not addressed"),
    Status.no_response: N_("No response"),
    Status.na: N_("Not applicable"),
    Status.not_yet_made: N_("Not yet made"),
    Status.not_asked: N_("Not asked"),
}
KIND_LABELS = {
    Kind.statement: N_("statement"),
    Kind.letter: N_("letter"),
    Kind.meeting: N_("meeting"),
    Kind.policy: N_("policy"),
    Kind.enforcement: N_("enforcement"),
    Kind.hire: N_("hire"),
    Kind.report: N_("report"),
    Kind.product: N_("product"),
    Kind.other: N_("other"),
}
STATUS_DEFINITIONS = {
    Status.met: N_("A response did what the demand asked (verdict 'full')."),
    Status.partial: N_("A response did part of what the demand asked (verdict 'partial')."),
    Status.promised: N_(
        "The target committed to act or claimed to, with nothing shown yet (verdict 'promised')."
    ),
    Status.refused: N_("The target declined to do what the demand asked (verdict 'refused')."),
    Status.not_addressed: N_(
        "Responses touched the demand but offered nothing on it (only 'none' verdicts)."
    ),
    Status.no_response: N_("No response in this record addresses the demand."),
    Status.na: N_("Set by hand as not applicable; left out of the score."),
    Status.not_yet_made: N_(
        "The demand had not been made yet on this date; left out of the score."
    ),
    Status.not_asked: N_(
        "The demand was not put to this target, only compared; left out of the score."
    ),
}
VERDICT_DEFINITIONS = {
    Verdict.full: N_("does what was asked"),
    Verdict.partial: N_("does part of what was asked"),
    Verdict.promised: N_("commits or claims, nothing shown yet"),
    Verdict.none: N_("touches the demand, offers nothing"),
    Verdict.refused: N_("declines"),
}
RULE_DEFINITIONS = {
    Rule.latest: N_(
        "Latest verdict wins: a demand takes the status of the most recent response "
        "that gave it a verdict other than 'none', so a later refusal overrides an "
        "earlier step."
    ),
    Rule.best: N_(
        "Best verdict ever: a demand takes the best status any response has given it "
        "(met, then partial, promised, refused)."
    ),
}


@functools.lru_cache(maxsize=256)  # asked again for each response the feed names
def kind_title(kind: str, tr: Any = None) -> str:
    """A response's kind as the start of its title ("Meeting"), in the language of ``tr``."""
    label = (tr or gettext.NullTranslations()).gettext(KIND_LABELS[Kind(kind)])
    return label[:1].upper() + label[1:]


def response_head(response: Mapping[str, Any], tr: Any = None) -> str:
    """The start of what a response is called: its kind ("Meeting"), or "Other response" for
    one of kind other with neither speaker nor title (not "Other" alone)."""
    if response["kind"] == "other" and not (response.get("speaker") or response.get("title")):
        return (tr or gettext.NullTranslations()).gettext("Other response")
    return kind_title(response["kind"], tr)


def response_title(
    response: Mapping[str, Any], tr: Any = None, text: Callable[[Any], str] | None = None
) -> str:
    """What a response is called, in plain text: its kind and speaker ("Meeting, Mark
    Zuckerberg"), then its own title when it has one ("Policy, Facebook Newsroom: QAnon
    banned"; ``text``: a campaign text in the language of ``tr``, default its first). The
    page's and the report's rtitle isolate the speaker and the title besides."""
    tr = tr or gettext.NullTranslations()
    title, speaker = response_head(response, tr), response.get("speaker")
    if speaker:
        title += tr.gettext(", ") + speaker
    if response.get("title"):
        named = text(response["title"]) if text else next(iter(response["title"].values()))
        title += tr.gettext(": ") + named
    return title


def score_summary(
    counts: Mapping[str, int], applicable: int, tr: Any = None, number: Callable[[int], str] = str
) -> str:
    """ "1 of 10 met, 3 partly": the score in words, in the language of ``tr`` (a gettext
    translation; English without one)."""
    tr = tr or gettext.NullTranslations()
    if not applicable:  # every demand left out (a target compared, not asked): no "0 of 0"
        return tr.gettext("Not scored")
    met, partial = counts.get(Status.met.value, 0), counts.get(Status.partial.value, 0)
    text = tr.ngettext("%(met)s of %(total)s met", "%(met)s of %(total)s met", met) % {
        "met": number(met),
        "total": number(applicable),
    }
    if not partial:
        return text
    return tr.ngettext(
        "%(summary)s, %(partial)s partly", "%(summary)s, %(partial)s partly", partial
    ) % {"summary": text, "partial": number(partial)}
