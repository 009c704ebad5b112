"""The shape of demands.yaml and responses.yaml, as pydantic models.

The models are the single source of truth for the format: validation, the JSON Schema printed by
``scorecard schema`` and the field lists in error messages all come from here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
MAX_TEXT = 20_000


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


VERDICT_STATUS = {
    Verdict.full: Status.met,
    Verdict.partial: Status.partial,
    Verdict.promised: Status.promised,
    Verdict.refused: Status.refused,
    Verdict.none: Status.not_addressed,
}
DEFAULT_POINTS = {
    Status.met: 1.0,
    Status.partial: 0.5,
    Status.promised: 0.0,
    Status.refused: 0.0,
    Status.not_addressed: 0.0,
    Status.no_response: 0.0,
}


def _date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise PydanticCustomError("date_format", "'{value}' is not a date; write it as "
                                  "YYYY-MM-DD, e.g. 2020-07-07", {"value": _short(value)})
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("date_impossible", "'{value}' is not a real date (check the "
                                  "month and the day); write it as YYYY-MM-DD",
                                  {"value": value}) from None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any, info: ValidationInfo) -> Any:
    """A localized text: one string (in the default language) or {lang: string}."""
    if isinstance(value, str):
        lang = (info.context or {}).get("lang", "en")
        return {lang: value}
    if isinstance(value, dict):
        for lang in value:
            if not re.fullmatch(LANG_PATTERN, lang):
                raise PydanticCustomError("lang_code", "'{lang}' is not a language code; use "
                                          "codes such as en, ar, fr", {"lang": _short(lang)})
        return value
    raise PydanticCustomError("text_type", "must be text, or one text per language "
                              "(en: ..., ar: ...)")


Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
Line = Annotated[str, Field(min_length=1, max_length=2_000)]
Text = Annotated[
    dict[Annotated[str, Field(pattern=LANG_PATTERN)], Annotated[str, Field(max_length=MAX_TEXT)]],
    BeforeValidator(_text),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "maxLength": MAX_TEXT},
            {"type": "object", "propertyNames": {"pattern": LANG_PATTERN},
             "additionalProperties": {"type": "string", "maxLength": MAX_TEXT}},
        ],
        "description": "Text in the campaign's default language, or one text per language "
                       "code (en, ar, fr...).",
    }),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(Strict):
    """Where a fact comes from: a public URL, a source article of the project, or both."""

    title: Line
    url: str | None = Field(None, max_length=2_000, description="http(s) address of the source")
    seed: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200,
                             description="file name of a source article of the project")
    publisher: Line | None = None
    date: Date | None = None
    lang: str | None = Field(None, pattern=LANG_PATTERN)
    note: Line | None = None
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$",
                               description="SHA-256 of the page when last checked "
                               "(written by scorecard check-sources --record)")
    checked: Date | None = Field(None, description="when check-sources last fetched the url")
    archive: str | None = Field(None, max_length=2_000,
                                description="http(s) address of an archived copy (e.g. the "
                                "Internet Archive's snapshot, written by check-sources --archive)")

    @field_validator("url", "archive")
    @classmethod
    def _http(cls, url: str | None) -> str | None:
        if url is not None and not re.fullmatch(r"https?://[^\s<>\"']+", url):
            raise PydanticCustomError("url_scheme", "'{url}' is not a web address; sources link "
                                      "to http:// or https:// pages only", {"url": _short(url)})
        return url

    @model_validator(mode="after")
    def _url_or_seed(self) -> Source:
        if self.url is None and self.seed is None:
            raise PydanticCustomError("source_target", "a source needs a url (a web address) or "
                                      "a seed (the file name of a source article); add one")
        return self


class Quote(Strict):
    text: Text
    by: Line


class Link(Strict):
    """A response's verdict on one demand."""

    demand: Id
    verdict: Verdict
    reason: Text | None = None


class ManualStatus(Strict):
    """A status set by hand; it replaces the derived status from its date on."""

    value: Status
    reason: Text
    date: Date


class Group(Strict):
    id: Id
    title: Text


class Demand(Strict):
    id: Id
    group: Id | None = None
    title: Text
    text: Text
    met: Text | None = Field(None, description="what counts as met")
    partial: Text | None = Field(None, description="what counts as partly met")
    weight: float = Field(1.0, ge=0, le=1000)
    due: Date | None = None
    note: Text | None = None
    status: ManualStatus | None = None
    sources: list[Source] = Field(default_factory=list, max_length=200)


class Scoring(Strict):
    rule: Rule = Rule.latest
    points: dict[Status, float] = Field(default_factory=dict)

    @field_validator("points")
    @classmethod
    def _range(cls, points: dict[Status, float]) -> dict[Status, float]:
        for status, value in points.items():
            if status is Status.na:
                raise PydanticCustomError("points_na", "n/a demands are left out of the score; "
                                          "remove 'n/a' from points")
            if not 0 <= value <= 1:
                raise PydanticCustomError("points_range", "points for '{status}' must be between "
                                          "0 and 1", {"status": status.value})
        return points

    def points_for(self, status: Status) -> float:
        return self.points.get(status, DEFAULT_POINTS.get(status, 0.0))


class Campaign(Strict):
    title: Text
    target: Line
    organizers: list[Line] = Field(default_factory=list, max_length=200)
    launched: Date | None = None
    lang: str = Field("en", pattern=LANG_PATTERN)
    description: Text | None = None
    due: Date | None = None
    url: str | None = Field(None, pattern=r"^https?://\S+$",
                            description="where the scorecard is published (canonical address)")
    license: Line | None = Field(None, description="the license of the data, e.g. CC-BY-4.0 "
                                 "(an SPDX identifier) or its name")
    note: Text | None = Field(None, description="anything uncertain about the campaign")
    sources: list[Source] = Field(default_factory=list, max_length=200)


class Target(Strict):
    """One of several organizations answering the same demands (see scorecard/targets.py)."""

    id: Id
    name: Line
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    note: Text | None = Field(None, description="anything uncertain about this target's data")


class DemandsFile(Strict):
    """demands.yaml"""

    model_config = ConfigDict(title="scorecard demands.yaml")
    campaign: Campaign
    targets: list[Target] = Field(default_factory=list, max_length=100,
                                  description="optional: several targets answering the same "
                                  "demands; one of them is named by campaign.target")
    scoring: Scoring = Field(default_factory=Scoring)
    groups: list[Group] = Field(default_factory=list, max_length=100)
    demands: list[Demand] = Field(min_length=1, max_length=5_000)


class Response(Strict):
    id: Id
    target: Id | None = Field(None, description="id of the target that responded (from targets "
                              "in demands.yaml); default: the one named by campaign.target")
    date: Date
    date_note: Line | None = Field(None, description="say here when the date is uncertain")
    kind: Kind
    speaker: Line | None = None
    summary: Text
    quote: Quote | None = None
    note: Text | None = None
    sources: list[Source] = Field(min_length=1, max_length=50)
    addresses: list[Link] = Field(default_factory=list, max_length=5_000)


class ResponsesFile(Strict):
    """responses.yaml"""

    model_config = ConfigDict(title="scorecard responses.yaml")
    responses: list[Response] = Field(default_factory=list, max_length=100_000)


class Project(BaseModel):
    """Both files, validated, plus where they came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    demands_file: DemandsFile
    responses_file: ResponsesFile
    root: Any = None  # pathlib.Path of the project folder

    @property
    def campaign(self) -> Campaign:
        return self.demands_file.campaign

    @property
    def demands(self) -> list[Demand]:
        return self.demands_file.demands

    @property
    def responses(self) -> list[Response]:
        return self.responses_file.responses



def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file, generated from the models (``scorecard schema``)."""
    out = {"demands": DemandsFile.model_json_schema(),
           "responses": ResponsesFile.model_json_schema()}
    for schema in out.values():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out
