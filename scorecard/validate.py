"""Stage 2, validate: loaded data -> the typed model, with every problem of both files found at
once and told in plain words, located at file:line:col."""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import budget
from .errors import DataError, Problem, display
from .load import (
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    Loaded,
    format_path,
    load_file,
    source_files,
    unlisted,
)
from .model import AssessmentsFile, DemandsFile, Project, ResponsesFile

DEMANDS = "demands.yaml"
RESPONSES = "responses.yaml"
ASSESSMENTS = "assessments.yaml"  # optional: the assessor's dated rulings


def load_project(
    root: Path, cache_dir: Path | None = None, strict: bool = False
) -> tuple[Project, list[Problem]]:
    """Load and validate a campaign folder; returns the project and its warnings.

    Raises DataError listing every problem found (with ``strict``, warnings count as errors).
    ``cache_dir``: parsed files, and a campaign validated before, are read from there when
    their bytes are unchanged (cache.py); its warnings are reported again as they were."""
    project, found_warnings = _validated(root, cache_dir)
    if strict and found_warnings:
        raise DataError("the campaign data has warnings and --strict is on", found_warnings)
    seeds = {s.seed for s in project.all_sources() if s.seed}
    project = project.model_copy(update={"source_files": source_files(root, seeds)})
    return project, found_warnings


# The validated files of a campaign, in the cache: (Project field, its model class).
_FILES = (
    ("demands_file", DemandsFile),
    ("responses_file", ResponsesFile),
    ("assessments_file", AssessmentsFile),
)


def _validated(root: Path, cache_dir: Path | None) -> tuple[Project, list[Problem]]:
    """The project (without its source articles) and its warnings, from the cache when the
    same input files, shown under the same names, were validated by the same code before
    (only a campaign without errors is kept)."""
    from . import cache

    digests = _input_digests(root) if cache_dir is not None else None
    name = _entry_name(root, digests) if digests is not None else None
    stored = cache.read_entry(cache_dir, name) if cache_dir and name else None
    if stored is not None:
        lang, files, problems = stored
        project = Project(
            root=root,
            inputs=digests,
            **{
                field: model.model_validate(files[field], context={"lang": lang})
                for field, model in _FILES
            },
        )
        return _with_data(project, files), [Problem(*p) for p in problems]
    project, found_warnings = _validate_files(root, cache_dir)
    if cache_dir is not None:
        name = _entry_name(root, project.inputs)  # the bytes validated, read once by load
        # every field, defaults too: what the documents write of each response
        files = {field: getattr(project, field).model_dump(mode="json") for field, _ in _FILES}
        problems = [
            (p.file, p.line, p.column, p.path, p.message, p.severity, p.more)
            for p in found_warnings
        ]
        cache.store(cache_dir, name, (project.campaign.lang, files, problems))
        _with_data(project, files)
    return project, found_warnings


def _with_data(project: Project, files: dict[str, Any]) -> Project:
    """The project with its ``response_data`` taken from the files as the cache stores them
    (every field dumped, defaults too), not dumped again."""
    data = {r["id"]: r for r in files["responses_file"]["responses"]}
    project.__dict__["response_data"] = data  # (as functools.cached_property stores it)
    return project


def _entry_name(root: Path, digests: dict[str, str]) -> str:
    """The cache entry of a campaign's input files ({file: SHA-256}), and the names its
    problems are shown under."""
    from . import cache

    return cache.validated_entry_name(
        [(file, display(root / file), digest) for file, digest in digests.items()]
    )


def _input_digests(root: Path) -> dict[str, str] | None:
    """{file: SHA-256} of each input file there is, or None when one is missing, not a
    regular file or too large (validation then says why, without reading it)."""
    found = {}
    for name in (DEMANDS, RESPONSES, ASSESSMENTS):
        path = root / name
        try:
            if not path.exists() and name == ASSESSMENTS:
                continue  # optional
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                return None
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    return found


def _validate_files(root: Path, cache_dir: Path | None) -> tuple[Project, list[Problem]]:
    loaded = []
    problems: list[Problem] = []
    for name in (DEMANDS, RESPONSES):
        path = root / name
        shown = display(path)
        if not path.is_file():
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"{name} was not found; a campaign folder "
                    "holds demands.yaml and responses.yaml (run 'scorecard init "
                    "DIR' to start one)",
                )
            )
            loaded.append(Loaded(shown))
            continue
        try:
            loaded.append(load_file(path, shown, cache_dir))
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, "", f"cannot be read: {exc.strerror}"))
            loaded.append(Loaded(shown))
    assessments = None
    path = root / ASSESSMENTS
    if path.exists():
        try:
            assessments = load_file(path, display(path), cache_dir)
        except OSError as exc:
            problems.append(Problem(display(path), 1, 1, "", f"cannot be read: {exc.strerror}"))
            assessments = Loaded(display(path))
    project, more = validate(loaded[0], loaded[1], root=root, assessments=assessments)
    problems += more
    errors = [p for p in problems if p.severity == "error"]
    found_warnings = [p for p in problems if p.severity == "warning"]
    if errors or project is None:
        raise DataError("the campaign data is not valid", errors)
    return project, found_warnings


def validate(
    demands: Loaded, responses: Loaded, root: Path | None = None, assessments: Loaded | None = None
) -> tuple[Project | None, list[Problem]]:
    """Validate the loaded files together (assessments.yaml is optional). Returns the project
    (None if any error) and all problems, errors and warnings alike."""
    problems = list(demands.problems) + list(responses.problems)
    lang = _default_lang(demands.data)
    dfile = (
        _model(DemandsFile, demands, lang, problems)
        if demands.data is not None or not demands.problems
        else None
    )
    rfile = (
        _model(ResponsesFile, responses, lang, problems)
        if responses.data is not None or not responses.problems
        else None
    )
    afile = AssessmentsFile()
    if assessments is not None:
        problems += assessments.problems
        if assessments.data is not None or not assessments.problems:
            afile = _model(AssessmentsFile, assessments, lang, problems)
    problems += cross_check(demands, responses)
    problems += check_targets(demands, responses)
    if assessments is not None:
        problems += check_assessments(demands, assessments)
    problems += budget.check(demands, responses, assessments)
    problems = _capped(sorted(set(problems)))
    if (
        dfile is None
        or rfile is None
        or afile is None
        or any(p.severity == "error" for p in problems)
    ):
        return None, problems
    inputs = {DEMANDS: demands.sha256, RESPONSES: responses.sha256}
    if assessments is not None:
        inputs[ASSESSMENTS] = assessments.sha256
    project = Project(
        demands_file=dfile,
        responses_file=rfile,
        assessments_file=afile,
        root=root,
        inputs={k: v for k, v in inputs.items() if v},
    )
    return project, problems + warnings(project, demands, responses, assessments)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS per file, the first ones in line order, then one line, at the first
    problem not listed, that says how many more there are (at least: the loader and the
    model's check stop explaining past the cap and leave a count, ``Problem.more``)."""
    kept: list[Problem] = []
    count: Counter[str] = Counter()
    more: Counter[str] = Counter()
    first: dict[str, Problem] = {}
    for problem in problems:  # sorted: by file, then line and column
        if problem.more:
            more[problem.file] += problem.more
        else:
            count[problem.file] += 1
            if count[problem.file] <= MAX_PROBLEMS:
                kept.append(problem)
                continue
            more[problem.file] += 1
        if problem.file not in first or problem < first[problem.file]:
            first[problem.file] = problem
    for file, at in first.items():
        kept.append(unlisted(file, at.line, at.column, more[file]))
    return sorted(kept)


def _default_lang(data: Any) -> str:
    try:
        lang = data["campaign"]["lang"]
        return lang if isinstance(lang, str) else "en"
    except (TypeError, KeyError):
        return "en"


def _model(model: type[BaseModel], loaded: Loaded, lang: str, problems: list[Problem]) -> Any:
    if loaded.data is None and not loaded.problems:
        problems.append(loaded.problem((), "the file holds no data; see docs/format.md"))
        return None
    if not isinstance(loaded.data, dict):
        kind = "a list" if isinstance(loaded.data, list) else "a single value"
        keys = ", ".join(f"'{k}'" for k in model.model_fields)
        problems.append(
            loaded.problem(
                (), f"the file holds {kind}; it should be a mapping with the keys {keys}"
            )
        )
        return None
    try:
        return model.model_validate(loaded.data, context={"lang": lang})
    except ValidationError as exc:
        problems.extend(_translate(exc, model, loaded))
        return None


def _translate(exc: ValidationError, model: type[BaseModel], loaded: Loaded) -> Iterable[Problem]:
    seen: set[tuple] = set()
    ordered = _in_line_order(exc, loaded)
    for loc, error in ordered:
        if len(seen) >= MAX_PROBLEMS:  # past this, the rest is noise (and slow to explain)
            rest = {
                (*loaded.where(loc_, key=error_["type"] == "extra_forbidden"), format_path(loc_))
                for loc_, error_ in ordered
            } - seen
            line, col = loaded.where(loc, key=error["type"] == "extra_forbidden")
            if rest:
                yield unlisted(loaded.file, line, col, len(rest))
            return
        kind = error["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            parent = _model_at(model, loc[:-1])
            fields = list(parent.model_fields) if parent else []
            message = f"'{key}' is not a known key"
            guess = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
            message += (
                f"; did you mean '{guess[0]}'?"
                if guess
                else f"; the keys allowed here are: {', '.join(fields)}"
            )
            problem = loaded.problem(loc, message, key=True)
        else:
            problem = loaded.problem(loc, _plain(error, loaded.data, loc))
        ident = (problem.line, problem.column, problem.path)
        if ident not in seen:  # a union reports one error per branch; one line is enough
            seen.add(ident)
            yield problem


def _in_line_order(exc: ValidationError, loaded: Loaded) -> list[tuple[tuple, dict]]:
    """pydantic's errors (data path, error), in the order of their place in the file: pydantic
    lists them field by field (an unknown key after every other error of its mapping)."""
    found: list[tuple[Any, int, tuple, Any]] = []
    for i, error in enumerate(exc.errors(include_url=False)):
        loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
        loc = _data_path(loc, loaded.data)
        found.append((loaded.where(loc, key=error["type"] == "extra_forbidden"), i, loc, error))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(loc, error) for _, _, loc, error in found]


def _data_path(loc: tuple, data: Any) -> tuple:
    """Drop the parts of a pydantic location that name union branches, not data."""
    out: list[Any] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and out[-1:] != [part]:
            out.append(part)  # a missing key: still worth naming
            node = None
        else:
            continue
    return tuple(out)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = (
            current.model_fields.get(part)
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _plain(error: Any, data: Any, loc: tuple) -> str:
    kind = error["type"]
    value = error.get("input")
    shown = repr(value) if not isinstance(value, str) else f"'{value[:60]}'"
    if kind == "missing":
        return f"'{loc[-1]}' is required here; add it" if loc else "a required key is missing"
    if kind == "enum":
        options = error.get("ctx", {}).get("expected", "")
        options = options.replace("'", "").replace(" or ", ", ")
        guess = difflib.get_close_matches(str(value), [o.strip() for o in options.split(",")], 1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return f"{shown} is not allowed here; use one of: {options}{hint}"
    if kind == "string_pattern_mismatch":
        field = loc[-1] if loc else ""
        if field in ("id", "group", "demand"):
            return (
                f"{shown} is not a valid id; ids use only letters, digits and dashes "
                "in plain ASCII (A-Z, 0-9, -; e.g. D1, fb-2020-07-01-letter)"
            )
        if field == "lang" or (len(loc) > 1 and isinstance(loc[-1], str) and len(loc[-1]) <= 3):
            return f"{shown} is not a language code; use codes such as en, ar, fr"
        if field == "seed":
            return f"{shown} is not a file name; give the source article's file name only"
        return f"{shown} is not in the expected form"
    if kind in ("string_type",):
        return f"must be text, not {_kind_of(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list (lines starting with '- '), not {_kind_of(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping (lines of 'key: value'), not {_kind_of(value)}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{shown} is not a number; write a number such as 1 or 0.5"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{shown} is out of range: {error['msg'].lower()}"
    if kind == "too_short":
        if loc and loc[-1] == "sources":
            return "at least one source is required; add a source with a title and a url"
        return f"must not be empty ({error['msg'].lower()})"
    if kind == "too_long":
        return f"is too long ({error['msg'].lower()}); shorten it or split it"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({error['msg'].lower()}); shorten it"
    if kind == "bool_parsing":
        return f"{shown} is not yes/no; write true or false"
    if kind == "url_parsing":
        return f"{shown} is not a web address"
    return error["msg"]


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"'{value}'"


def _items(data: Any, key: str) -> list[tuple[int, dict]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


# Letters typed for the digits they look like: Dl for D1, DO for D0.
_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    options = list(options)
    lowered = {o.lower(): o for o in options}
    if value.lower() in lowered:
        return f"; did you mean '{lowered[value.lower()]}'?"
    # full-width or styled characters (D１), then letters that look like digits (Dl)
    plain = unicodedata.normalize("NFKC", value)
    for candidate in (plain, plain.translate(_LOOKALIKES)):
        if candidate in options:
            return f"; did you mean '{candidate}'?"
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    if guess:
        return f"; did you mean '{guess[0]}'?"
    if len(options) <= 12:
        return f"; known ones are: {', '.join(options)}"
    return ""


def unique(
    loaded: Loaded, key: str, what: str, problems: list[Problem], field: str = "id"
) -> dict[str, int]:
    """The index of each ``field`` value of the items under ``key``; a value seen twice is a
    problem located at the second one, naming the line of the first."""
    first: dict[str, int] = {}
    for i, item in _items(loaded.data, key):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        if value in first:
            line = loaded.where((key, first[value], field))[0]
            hint = (
                "ids must be unique: rename one"
                if field == "id"
                else f"give each {what} its own {field}"
            )
            problems.append(
                loaded.problem(
                    (key, i, field),
                    f"'{value}' is already the {field} of another {what} (line {line}); {hint}",
                )
            )
        else:
            first[value] = i
    return first


def cross_check(demands: Loaded, responses: Loaded) -> list[Problem]:
    """Checks that span items and files: unique ids, known groups and demands."""
    problems: list[Problem] = []

    groups = unique(demands, "groups", "group", problems)
    demand_ids = unique(demands, "demands", "demand", problems)
    unique(responses, "responses", "response", problems)
    hints = MAX_PROBLEMS  # a guess costs time: only for the problems that will be listed
    for i, item in _items(demands.data, "demands"):
        group = item.get("group")
        if groups and group is None and "group" not in item:
            problems.append(
                demands.problem(
                    ("demands", i), f"this demand has no 'group'; add one of: {', '.join(groups)}"
                )
            )
        elif isinstance(group, str) and group not in groups:
            hints -= 1
            hint = (
                (_did_you_mean(group, groups) if hints >= 0 else "")
                if groups
                else "; add a 'groups' list to the file, or remove 'group'"
            )
            problems.append(
                demands.problem(("demands", i, "group"), f"'{group}' is not a group{hint}")
            )
    if not isinstance(demands.data, dict):
        return problems  # nothing to check the links against
    hints = MAX_PROBLEMS
    for i, item in _items(responses.data, "responses"):
        for j, link in _items(item, "addresses"):
            ref = link.get("demand")
            path = ("responses", i, "addresses", j, "demand")
            if isinstance(ref, str) and ref not in demand_ids:
                hints -= 1
                hint = _did_you_mean(ref, demand_ids) if hints >= 0 else ""
                problems.append(
                    responses.problem(path, f"'{ref}' is not a demand in {DEMANDS}{hint}")
                )
        seen: dict[str, int] = {}
        for j, link in _items(item, "addresses"):
            ref = link.get("demand")
            if isinstance(ref, str):
                if ref in seen:
                    problems.append(
                        responses.problem(
                            ("responses", i, "addresses", j, "demand"),
                            f"this response already addresses '{ref}' "
                            f"(addresses[{seen[ref]}]); give each demand one verdict per response",
                        )
                    )
                seen.setdefault(ref, j)
    return problems


def check_targets(demands: Loaded, responses: Loaded) -> list[Problem]:
    """The targets list and each response's ``target``, located at file:line:col."""
    problems: list[Problem] = []
    data = demands.data if isinstance(demands.data, dict) else {}
    listed = _items(data, "targets")
    ids = unique(demands, "targets", "target", problems)
    names = unique(demands, "targets", "target", problems, field="name")
    campaign = data.get("campaign")
    main = campaign.get("target") if isinstance(campaign, dict) else None
    if listed and isinstance(main, str) and names and main not in names:
        problems.append(
            demands.problem(
                ("campaign", "target"),
                f"'{main}' is not the name of any target in 'targets'; "
                "campaign.target names the primary target, so it must be one of the names listed"
                f"{_did_you_mean(main, names)}",
            )
        )
    for i, item in _items(responses.data, "responses"):
        ref = item.get("target")
        if not isinstance(ref, str) or ref in ids:
            continue
        path = ("responses", i, "target")
        if not listed:
            problems.append(
                responses.problem(
                    path,
                    f"'{ref}' is not a target: demands.yaml has "
                    "no 'targets' list; add one (id and name of each "
                    "target) or remove 'target'",
                )
            )
        else:
            problems.append(
                responses.problem(
                    path, f"'{ref}' is not a target in demands.yaml{_did_you_mean(ref, ids)}"
                )
            )
    from .i18n import available

    languages = available()
    for i, item in listed:  # a target's page would be named like a language's page
        if item.get("id") in languages:
            problems.append(
                demands.problem(
                    ("targets", i, "id"),
                    f"'{item['id']}' is also a language code: this target's pages "
                    f"(scorecard.{item['id']}.html) would take the place of the pages in that "
                    f"language; give it another id, e.g. '{item['id']}-org'",
                )
            )
    demand_ids = [d["id"] for _, d in _items(data, "demands") if isinstance(d.get("id"), str)]
    for i, item in _items(data, "targets"):
        asked = item.get("asked")
        asked_ids = asked.get("demands") if isinstance(asked, dict) else None
        for j, ref in enumerate(asked_ids if isinstance(asked_ids, list) else []):
            if isinstance(ref, str) and demand_ids and ref not in demand_ids:
                problems.append(
                    demands.problem(
                        ("targets", i, "asked", "demands", j),
                        f"'{ref}' is not a demand{_did_you_mean(ref, demand_ids)}",
                    )
                )
    return problems


def check_assessments(demands: Loaded, assessments: Loaded) -> list[Problem]:
    """assessments.yaml against demands.yaml: unique ids, known demands and targets, one
    ruling per demand in an assessment."""
    problems: list[Problem] = []
    unique(assessments, "assessments", "assessment", problems)
    data = demands.data if isinstance(demands.data, dict) else {}
    demand_ids = [d["id"] for _, d in _items(data, "demands") if isinstance(d.get("id"), str)]
    target_ids = [t["id"] for _, t in _items(data, "targets") if isinstance(t.get("id"), str)]
    hints = MAX_PROBLEMS
    for i, item in _items(assessments.data, "assessments"):
        ref = item.get("target")
        if isinstance(ref, str) and ref not in target_ids:
            where: tuple[str | int, ...] = ("assessments", i, "target")
            problems.append(
                assessments.problem(
                    where,
                    (f"'{ref}' is not a target in {DEMANDS}{_did_you_mean(ref, target_ids)}")
                    if target_ids
                    else (
                        f"'{ref}' is not a target: {DEMANDS} has no 'targets' "
                        "list; add one (id and name of each target) or remove "
                        "'target'"
                    ),
                )
            )
        seen: dict[str, int] = {}
        for j, ruling in _items(item, "rulings"):
            ref = ruling.get("demand")
            if not isinstance(ref, str):
                continue
            where = ("assessments", i, "rulings", j, "demand")
            if demand_ids and ref not in demand_ids:
                hints -= 1
                hint = _did_you_mean(ref, demand_ids) if hints >= 0 else ""
                problems.append(
                    assessments.problem(where, f"'{ref}' is not a demand in {DEMANDS}{hint}")
                )
            elif ref in seen:
                problems.append(
                    assessments.problem(
                        where,
                        (
                            f"this assessment already rules on '{ref}' "
                            f"(rulings[{seen[ref]}]); give each demand one ruling per assessment"
                        ),
                    )
                )
            seen.setdefault(ref, j)
    return problems


def warnings(
    project: Project, demands: Loaded, responses: Loaded, assessments: Loaded | None = None
) -> list[Problem]:
    """Things that are allowed but worth a look; ``--strict`` makes them errors."""
    found: list[Problem] = []
    addressed = {link.demand for r in project.responses for link in r.addresses}
    addressed |= {ru.demand for a in project.assessments for ru in a.rulings}
    for i, assessment in enumerate(project.assessments):
        if not assessment.sources and assessments is not None:
            found.append(
                assessments.problem(
                    ("assessments", i, "id"),
                    f"'{assessment.id}' "
                    "cites no source; add where the assessment was "
                    "published (sources: title and url)",
                    severity="warning",
                )
            )
    for i, demand in enumerate(project.demands):
        if demand.id not in addressed and demand.status is None:
            found.append(
                demands.problem(
                    ("demands", i, "id"),
                    f"no response addresses '{demand.id}' yet; it shows as no-response",
                    severity="warning",
                )
            )
    launched = project.campaign.launched
    for i, response in enumerate(project.responses):
        if not response.addresses:
            found.append(
                responses.problem(
                    ("responses", i, "id"),
                    f"'{response.id}' addresses no demand; it is shown as addressing nothing",
                    severity="warning",
                )
            )
        if launched and response.date < launched:
            found.append(
                responses.problem(
                    ("responses", i, "date"),
                    f"{response.date} is before the campaign was launched ({launched})",
                    severity="warning",
                )
            )
    return found
