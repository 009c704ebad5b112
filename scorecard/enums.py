"""The values the format allows: verdicts, statuses, rules and kinds of response.

The single source of them: the model (model.py), the JSON Schema, the command line's choices and
the messages all take them from here. Kept apart from the model so that the command line can
offer them without importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DERIVED_ONLY", "EXCLUDED", "Kind", "Rule", "Status", "Verdict"]


class Verdict(StrEnum):
    full = "full"
    partial = "partial"
    promised = "promised"
    none = "none"
    refused = "refused"


class Status(StrEnum):
    met = "met"
    partial = "partial"
    promised = "promised"
    refused = "refused"
    not_addressed = "not-addressed"
    no_response = "no-response"
    na = "n/a"
    not_yet_made = "not-yet-made"  # derived: before the demand's `made` date
    not_asked = "not-asked"  # derived: a demand the target was not asked


# Left out of the score and of its denominator.
EXCLUDED = frozenset({Status.na, Status.not_yet_made, Status.not_asked})
# Only the data can give these, never a ruling or a status set by hand.
DERIVED_ONLY = frozenset({Status.not_yet_made, Status.not_asked})


class Rule(StrEnum):
    latest = "latest"
    best = "best"


class Kind(StrEnum):
    statement = "statement"
    letter = "letter"
    meeting = "meeting"
    policy = "policy"
    enforcement = "enforcement"
    hire = "hire"
    report = "report"
    product = "product"
    other = "other"
