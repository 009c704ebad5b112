"""The shape of demands.yaml and responses.yaml, as pydantic models.

The models are the single source of truth for the format: validation, the JSON Schema printed by
``scorecard schema`` and the field lists in error messages all come from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .enums import DERIVED_ONLY, EXCLUDED, Kind, Rule, Status, Verdict

ID_PATTERN = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
MAX_TEXT = 20_000


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


class Period(dt.date):
    """A date as precise as the record: a day (2021-11-04), a month (2021-11) or a year (2021).

    It compares, sorts and counts as the LAST day of its period: a report dated "November 2021"
    had certainly been made by November 30, not necessarily by November 4, so it counts for
    ``--as-of 2021-11-30`` and later, the same in the command line, the page and the JSON. It
    is written (``isoformat()``, the JSON, the YAML) and shown ("November 2021") at its own
    precision."""

    __slots__ = ("precision", "_iso")
    precision: str  # "day", "month" or "year"
    _iso: str  # isoformat(), made once: documents write ~70,000 dates at 10,000 responses

    def __new__(
        cls,
        year: int,
        month: int | None = None,
        day: int | None = None,
        precision: str | None = None,
    ) -> Period:
        if precision is None:
            precision = "day" if day is not None else "month" if month is not None else "year"
        if precision == "year":
            month, day = 12, 31
        elif precision == "month":
            assert month is not None
            day = calendar.monthrange(year, month)[1]
        self = super().__new__(cls, year, month or 12, day or 31)
        self.precision = precision
        full = dt.date.isoformat(self)
        self._iso = {"day": full, "month": full[:7], "year": full[:4]}[precision]
        return self

    def __reduce__(self) -> Any:  # copies and pickles keep the precision
        return (Period, (self.year, self.month, self.day, self.precision))

    def isoformat(self) -> str:
        return self._iso

    __str__ = isoformat

    @classmethod
    def parse(cls, text: str) -> Period:
        """YYYY-MM-DD, YYYY-MM or YYYY; ValueError when it is none of these or not real."""
        found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not found:
            raise ValueError(text)
        year, month, day = (int(g) if g else None for g in found.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(text)
        if year is None or year < 1:
            raise ValueError(text)
        return cls(year, month, day)


def as_period(value: str | dt.date) -> dt.date:
    """A date of the document (ISO text at its precision) back as a date that compares as
    its last day."""
    if isinstance(value, dt.date):
        return value
    return _period(value)


@functools.lru_cache(maxsize=65536)  # pages and validation meet the same dates again and again
def _period(text: str) -> Period:
    return Period.parse(text)


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_LANG = re.compile(LANG_PATTERN)
_LANGS_SEEN: set[str] = set()  # language codes found valid
_HTTP = re.compile(r"https?://[^\s<>\"']+")


def _date(value: Any) -> Any:
    if isinstance(value, Period):
        return value
    if isinstance(value, dt.date):
        return Period(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return _date_text(value)
    raise _not_a_date(value)


@functools.lru_cache(maxsize=65536)  # 10,000 responses share few dates; refusals are not kept
def _date_text(value: str) -> Period:
    if not _DATE.fullmatch(value.strip()):
        raise _not_a_date(value)
    try:
        return _period(value)
    except ValueError:
        raise PydanticCustomError(
            "date_impossible",
            "'{value}' is not a real date (check the month and the day); write it as YYYY-MM-DD",
            {"value": value},
        ) from None


def _not_a_date(value: Any) -> PydanticCustomError:
    return PydanticCustomError(
        "date_format",
        "'{value}' is not a date; write it as "
        "YYYY-MM-DD (e.g. 2020-07-07), or YYYY-MM or YYYY when only "
        "the month or the year is known",
        {"value": _short(value)},
    )


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
            if lang in _LANGS_SEEN:  # (31,000 texts of a big campaign, in a few languages)
                continue
            if isinstance(lang, str) and _LANG.fullmatch(lang):
                _LANGS_SEEN.add(lang)
            else:
                raise PydanticCustomError(
                    "lang_code",
                    "'{lang}' is not a language code; use codes such as en, ar, fr",
                    {"lang": _short(lang)},
                )
        return value
    raise PydanticCustomError(
        "text_type", "must be text, or one text per language (en: ..., ar: ...)"
    )


Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "a day (YYYY-MM-DD), or a month (YYYY-MM) or a year "
            "(YYYY) when only that is known",
        }
    ),
]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
# One line of plain text; a block scalar's final newline is not part of it.
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
Text = Annotated[
    dict[Annotated[str, Field(pattern=LANG_PATTERN)], Annotated[str, Field(max_length=MAX_TEXT)]],
    BeforeValidator(_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_TEXT},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANG_PATTERN},
                    "additionalProperties": {"type": "string", "maxLength": MAX_TEXT},
                },
            ],
            "description": "Text in the campaign's default language, or one text per language "
            "code (en, ar, fr...).",
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(Strict):
    """Where a fact comes from: a public URL, a source article of the project, or both."""

    title: Line
    url: str | None = Field(None, max_length=2_000, description="http(s) address of the source")
    seed: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=200,
        description="file name of a source article of the project",
    )
    publisher: Line | None = None
    date: Date | None = None
    lang: str | None = Field(None, pattern=LANG_PATTERN)
    note: Line | None = None
    sha256: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the page when last checked "
        "(written by scorecard check-sources --record)",
    )
    checked: Date | None = Field(None, description="when check-sources last fetched the url")
    archive: str | None = Field(
        None,
        max_length=2_000,
        description="http(s) address of an archived copy (e.g. the "
        "Internet Archive's snapshot, written by check-sources --archive)",
    )

    @field_validator("url", "archive")
    @classmethod
    def _http(cls, url: str | None) -> str | None:
        if url is not None and not _HTTP.fullmatch(url):
            raise PydanticCustomError(
                "url_scheme",
                "'{url}' is not a web address; sources link to http:// or https:// pages only",
                {"url": _short(url)},
            )
        return url

    @model_validator(mode="after")
    def _url_or_seed(self) -> Source:
        if self.url is None and self.seed is None:
            raise PydanticCustomError(
                "source_target",
                "a source needs a url (a web address) or "
                "a seed (the file name of a source article); add one",
            )
        return self


class Quote(Strict):
    text: Text
    by: Line


class Link(Strict):
    """A response's verdict on one demand."""

    demand: Id
    verdict: Verdict
    reason: Text | None = None
    claimed: Line | None = Field(
        None,
        description="the target's own word for its status on this "
        "demand ('implemented', 'work we already do'); shown beside the "
        "verdict, never counted",
    )
    reviewed_by: Line | None = Field(
        None, description="who checked this verdict (a second person); see build --reviewed-only"
    )


def _settable(status: Status) -> Status:
    if status in DERIVED_ONLY:
        raise PydanticCustomError(
            "status_derived",
            "'{status}' comes from the data (a demand's "
            "'made' date, a target's 'asked'); it cannot be set: use "
            "another status",
            {"status": status.value},
        )
    return status


Settable = Annotated[
    Status,
    AfterValidator(_settable),
    WithJsonSchema({"enum": [s.value for s in Status if s not in DERIVED_ONLY]}),
]


class ManualStatus(Strict):
    """A status set by hand; it replaces the derived status from its date on."""

    value: Settable
    reason: Text
    date: Date


class Ruling(Strict):
    """The assessor's own status for one demand, from the assessment's date on."""

    demand: Id
    status: Settable
    reason: Text
    verified: bool | None = Field(
        None,
        description="true: the assessor checked the target's claim; false: could not confirm it",
    )
    reviewed_by: Line | None = Field(
        None, description="who checked this ruling (a second person); see build --reviewed-only"
    )


class Assessment(Strict):
    """A dated evaluation by the assessor (the campaign, an auditor, an independent body)."""

    id: Id
    date: Date
    by: Line
    target: Id | None = Field(
        None,
        description="id of the target assessed (from targets in "
        "demands.yaml); default: the one named by campaign.target",
    )
    summary: Text | None = None
    note: Text | None = Field(None, description="anything uncertain about this assessment")
    date_note: Line | None = Field(None, description="say here when the date is uncertain")
    sources: list[Source] = Field(
        default_factory=list,
        max_length=50,
        description="where the assessment was published; a warning when there is none",
    )
    rulings: list[Ruling] = Field(
        default_factory=list,
        max_length=5_000,
        description="the status of each demand it rules on; none "
        "when it gives no per-demand result",
    )


class AssessmentsFile(Strict):
    """assessments.yaml"""

    model_config = ConfigDict(title="scorecard assessments.yaml")
    assessments: list[Assessment] = Field(default_factory=list, max_length=20_000)


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
    made: Date | None = Field(
        None,
        description="when the demand was first made; default: "
        "campaign.launched. Before it, the demand is not counted",
    )
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
            if status in EXCLUDED:
                raise PydanticCustomError(
                    "points_na",
                    "'{status}' demands are left out of the score; remove '{status}' from points",
                    {"status": status.value},
                )
            if not 0 <= value <= 1:
                raise PydanticCustomError(
                    "points_range",
                    "points for '{status}' must be between 0 and 1",
                    {"status": status.value},
                )
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
    reviewed: Date | None = Field(
        None,
        description="when the record was last checked: the "
        "default as-of date. Default: the date of the latest response "
        "or ruling",
    )
    url: str | None = Field(
        None,
        pattern=r"^https?://\S+$",
        description="where the scorecard is published (canonical address)",
    )
    license: Line | None = Field(
        None, description="the license of the data, e.g. CC-BY-4.0 (an SPDX identifier) or its name"
    )
    publisher: Line | None = Field(
        None,
        description="who publishes this scorecard and answers for its statuses (a newsroom, an "
        "NGO, the campaign itself); named on the page and the report, and as their author. "
        "Default: the organizers",
    )
    corrections: Line | None = Field(
        None,
        description="how a reader reports an error: an e-mail address or a web address, shown "
        "beside the publisher",
    )
    note: Text | None = Field(None, description="anything uncertain about the campaign")
    sources: list[Source] = Field(default_factory=list, max_length=200)


class Asked(Strict):
    """What was put to a target, and when."""

    date: Date | None = Field(
        None,
        description="when the demands were put to the target; default: each demand's 'made' date",
    )
    demands: list[Id] | None = Field(
        None,
        max_length=5_000,
        description="the demands asked "
        "(ids); default: all. [] for a target compared but asked "
        "nothing",
    )


def _asked(value: Any) -> Any:
    """``asked: 2020-06-17`` is short for ``asked: {date: 2020-06-17}``."""
    return value if value is None or isinstance(value, dict) else {"date": value}


class Target(Strict):
    """One of several organizations answering the same demands (see Project.targets)."""

    id: Id
    name: Line
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    note: Text | None = Field(None, description="anything uncertain about this target's data")
    asked: Annotated[
        Asked | None,
        BeforeValidator(_asked),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                            "demands": {
                                "type": "array",
                                "items": {"type": "string", "pattern": ID_PATTERN},
                            },
                        },
                    },
                    {"type": "null"},
                ]
            }
        ),
    ] = Field(
        None,
        description="the date the demands were put to this target, or {date, demands}: "
        "the date and the ids of the demands asked. Default: every demand, from its 'made' date",
    )

    def was_asked(self, demand: str) -> bool:
        return self.asked is None or self.asked.demands is None or demand in self.asked.demands


class DemandsFile(Strict):
    """demands.yaml"""

    model_config = ConfigDict(title="scorecard demands.yaml")
    campaign: Campaign
    targets: list[Target] = Field(
        default_factory=list,
        max_length=100,
        description="optional: several targets answering the same "
        "demands; one of them is named by campaign.target",
    )
    scoring: Scoring = Field(default_factory=Scoring)
    groups: list[Group] = Field(default_factory=list, max_length=100)
    demands: list[Demand] = Field(min_length=1, max_length=5_000)


class Response(Strict):
    id: Id
    target: Id | None = Field(
        None,
        description="id of the target that responded (from targets "
        "in demands.yaml); default: the one named by campaign.target",
    )
    date: Date
    date_note: Line | None = Field(None, description="say here when the date is uncertain")
    kind: Kind
    speaker: Line | None = None
    title: Text | None = Field(
        None,
        description="a few words naming this response, shown after its kind and speaker "
        "wherever it is listed (Policy, Facebook Newsroom: QAnon banned); give one when "
        "several responses share a kind and a speaker",
    )
    summary: Text
    quote: Quote | None = None
    note: Text | None = None
    sources: list[Source] = Field(min_length=1, max_length=50)
    addresses: list[Link] = Field(default_factory=list, max_length=5_000)


class ResponsesFile(Strict):
    """responses.yaml"""

    model_config = ConfigDict(title="scorecard responses.yaml")
    responses: list[Response] = Field(default_factory=list, max_length=20_000)


class Project(BaseModel):
    """Both files, validated, plus where they came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    demands_file: DemandsFile
    responses_file: ResponsesFile
    assessments_file: AssessmentsFile = Field(default_factory=AssessmentsFile)  # optional file
    root: Any = None  # pathlib.Path of the project folder
    # The copies of the source articles cited by ``seed:`` found in ROOT/sources (load.py)
    source_files: dict[str, bytes] = Field(default_factory=dict)
    inputs: dict[str, str] = Field(default_factory=dict)  # file name -> SHA-256 of its bytes

    @property
    def campaign(self) -> Campaign:
        return self.demands_file.campaign

    @functools.cached_property  # (kept by model_copy; not a field: not compared, not dumped)
    def response_data(self) -> dict[str, dict[str, Any]]:
        """Each response as JSON-ready data (``model_dump(mode="json")``), by id: what the
        documents write of it. Dumped once here, or given by validation from the cache, which
        stores the files dumped so (70 ms at 10,000 responses). A copy with other responses
        than a subset of these (``model_copy(update=...)``) must be made without it."""
        return {r.id: r.model_dump(mode="json") for r in self.responses}

    @property
    def demands(self) -> list[Demand]:
        return self.demands_file.demands

    @property
    def responses(self) -> list[Response]:
        return self.responses_file.responses

    @property
    def assessments(self) -> list[Assessment]:
        return self.assessments_file.assessments

    @property
    def targets(self) -> list[Target]:
        """Who answers the demands, the primary target first, then in file order. A campaign
        with no ``targets:`` list has one, named by ``campaign.target``, with its name's slug as
        its id."""
        name = self.campaign.target
        listed = self.demands_file.targets or [
            Target(id=slug(name, fallback="target"), name=name, url=None, note=None)
        ]
        return sorted(listed, key=lambda t: t.name != name)

    def all_sources(self) -> list[Source]:
        """Every source the campaign cites: its own, its demands', responses' and rulings'."""
        found = list(self.campaign.sources)
        found += [s for d in self.demands for s in d.sources]
        found += [s for r in self.responses for s in r.sources]
        found += [s for a in self.assessments for s in a.sources]
        return found

    def is_primary(self, target: Target) -> bool:
        """The primary target (named by ``campaign.target``) has the main page and the
        top-level fields of scorecard.json."""
        return target.name == self.campaign.target

    def for_target(self, target_id: str) -> Project:
        """The same campaign with only the responses of one target (by its id)."""
        first = self.targets[0].id
        mine = [r for r in self.responses if (r.target or first) == target_id]
        rulings = [a for a in self.assessments if (a.target or first) == target_id]
        return self.model_copy(
            update={
                "responses_file": ResponsesFile.model_construct(responses=mine),
                "assessments_file": AssessmentsFile.model_construct(assessments=rulings),
            }
        )


def slug(text: str, words: int | None = None, fallback: str = "") -> str:
    """An id made from a text: lower-case ASCII letters and digits, words joined by dashes, at
    most 64 characters ('Facebook' -> 'facebook'; ``words``: keep only the first so many)."""
    found = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(found)[:64].strip("-") or fallback


def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file, generated from the models (``scorecard schema``)."""
    out = {
        "demands": DemandsFile.model_json_schema(),
        "responses": ResponsesFile.model_json_schema(),
        "assessments": AssessmentsFile.model_json_schema(),
    }
    for schema in out.values():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out
