"""Suggest the links nobody made: which demand a response is about, and the reverse.

The ranking is BM25 (the ``bm25s`` library) over each demand's title, text and criteria, the
response being the query. Words are stemmed with the Snowball stemmer of their language (Arabic
script -> Arabic, else the text's language), and a small multilingual list of concepts kept as
data (``data/suggest_terms.yaml``) maps phrases of each language to one shared term, so an Arabic
or French response still finds an English demand. On top of BM25, the signals the data carries:

- a response cannot address a demand before the demand was made (the demand's ``made`` date
  when it has one, else the campaign's launch): such pairs are never suggested;
- a word that every demand of a group has says which group is meant, not which demand: within
  the group it weighs ``GROUP_SHARED`` of its weight, and the response's match with the group as
  a whole (its title and all its demands) is added for every demand of the group;
- a demand the response names by id ("D4"), by number ("recommendation 4") or by its quoted
  title weighs as much as ``NAMED`` distinctive words.

Scores read as 0 to 1: ``raw / (raw + HALF)``, where raw counts distinctive shared words (a word
only one demand has, once, weighs about 1), so four distinctive words make 0.5. Nothing below
``FLOOR`` is suggested; a suggestion is "unsure" when it is weak or another demand scores nearly
as high for the same response. Each carries the words and signals that matched, so a person can
judge it. Pure functions, no I/O beyond reading the concept list; nothing is printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from .model import Demand, Project, Response

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # vowel marks and tatweel
STEMMERS = {"en": "english", "ar": "arabic", "fr": "french", "es": "spanish", "de": "german"}
ID_WORD = re.compile(r"[^\W_](?:[\w.-]*[^\W_])?")
# Sentences end at . ! ? or a blank line, but not after "No." (a law's number) or a title.
SENTENCE = re.compile(
    r"(?<=[.!?؟])(?<!\bNo\.)(?<!\bno\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)"
    r"(?<!\bSt\.)\s+|\n\s*\n"
)
QUOTED = re.compile(r"\"([^\"\n]{4,300})\"|“([^”\n]{4,300})”|«([^»\n]{4,300})»|‘([^’\n]{4,300})’")

TITLE_WEIGHT = 2  # a demand's title says what it is about more than its long text
K1, B = 1.2, 0.75  # BM25's usual constants
QUERY_TF = 1.0  # a word the response repeats counts 1 + QUERY_TF * log(times)
GROUP_SHARED = 0.3  # weight, within its group, of a word every demand of the group has
GROUP_MIX = 0.5  # share of the response's match with the whole group added to each demand
NAMED = 8.0  # a demand named by id, number or quoted title: as much as 8 distinctive words
HALF = 4.0  # the raw score (in distinctive words) that reads as 0.5
FLOOR = 0.2  # no suggestion below this score
SURE = 0.5  # below this a suggestion is unsure
CLOSE = 0.8  # ... and also when another demand has at least this share of its raw score


@dataclass(frozen=True)
class Suggestion:
    response: str
    demand: str
    score: float  # 0 to 1: 0.5 is about four distinctive words in common
    matched: tuple[str, ...]  # the words (or concepts) both texts share, strongest first
    passage: str = ""  # the sentence of the response that matches the demand best
    signals: tuple[str, ...] = ()  # what else counted: "names D4", "quotes its title"...
    unsure: bool = False  # weak, or another demand scores nearly as high for this response


@functools.cache
def _terms() -> dict[str, Any]:
    import yaml

    path = resources.files("scorecard") / "data" / "suggest_terms.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all text


@functools.cache
def _stemmer(lang: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMERS.get(lang.split("-")[0], "english"))


def _normalize(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).lower()
    if ARABIC.search(word):
        word = ARABIC_MARKS.sub("", word)
        word = re.sub("[أإآ]", "ا", word).replace("ى", "ي").replace("ة", "ه")
    return word


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(_normalize(w) for words in _terms()["stopwords"].values() for w in words)


@functools.cache
def _number_pattern() -> re.Pattern[str]:
    """A word of ``_numbered`` then a number: "recommendation 4", "Recommendation No. 4"."""
    words = sorted({w for ws in _terms()["numbered"].values() for w in ws}, key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])("
        + "|".join(map(re.escape, words))
        + r")\s*(?:no\.?|n°|#|number|numéro|رقم)?\s*(\d{1,4})(?![\w-])",
        re.IGNORECASE,
    )


def _stem(word: str, lang: str) -> str:
    return _stemmer("ar" if ARABIC.search(word) else lang).stemWord(word)


@functools.lru_cache(maxsize=500_000)
def _term(word: str, lang: str) -> str | None:
    """The stem of a word as written, or None for a stopword, a number or a single letter."""
    word = _normalize(word)
    if word in _stopwords() or len(word) < 2 or word.isdigit():
        return None
    return _stem(word, lang)


def tokens(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, the word as written) for each word that is not a stopword."""
    out = []
    text = ARABIC_MARKS.sub("", text)  # vowel marks would split words (they are not \w)
    for match in WORD.finditer(text):
        word = match.group()
        stem = _term(word, lang)
        if stem is not None:
            out.append((stem, word))
    return out


@functools.cache
def _concepts() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """(concept, stemmed phrase) pairs by the phrase's first stem."""
    pairs: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for concept, by_lang in _terms()["concepts"].items():
        for lang, phrases in by_lang.items():
            for phrase in phrases:
                stems = tuple(s for s, _ in tokens(phrase, lang))
                if stems:
                    pairs.setdefault(stems[0], []).append((f"~{concept}", stems))
    return {first: tuple(sorted(found, key=lambda p: -len(p[1]))) for first, found in pairs.items()}


def terms(text: str, lang: str) -> list[tuple[str, str]]:
    """The stems of a text and the concepts it mentions ("~audit"), each with its words."""
    toks = tokens(text, lang)
    stems = [s for s, _ in toks]
    out = list(toks)
    concepts = _concepts()
    for i, stem in enumerate(stems):
        for concept, phrase in concepts.get(stem, ()):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                out.append((concept, " ".join(w for _, w in toks[i : i + len(phrase)])))
    return out


def bag(texts: list[tuple[str, str, int]]) -> tuple[Counter[str], dict[str, str]]:
    """Term counts of (text, lang, weight) triples, with concepts, and a readable form of each
    term (the first word that gave it)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text, lang, weight in texts:
        for term, word in terms(text, lang):
            counts[term] += weight
            shown.setdefault(term, word)
    return counts, shown


def _texts(value: dict[str, str] | None, weight: int = 1) -> list[tuple[str, str, int]]:
    return [(text, lang, weight) for lang, text in (value or {}).items()]


def demand_texts(demand: Demand) -> list[tuple[str, str, int]]:
    return (
        _texts(demand.title, TITLE_WEIGHT)
        + _texts(demand.text)
        + _texts(demand.met)
        + _texts(demand.partial)
    )


def response_texts(response: Response) -> list[tuple[str, str, int]]:
    """What a response says: summary, quote and source titles; never its links or reasons."""
    out = _texts(response.summary)
    if response.quote:
        out += _texts(response.quote.text)
    for source in response.sources:
        out.append((source.title, source.lang or "en", 1))
    return out


def _readable(words: Any, most: int = 6) -> tuple[str, ...]:
    """The matched words once each: a word already said within a phrase ("civil rights", then
    "rights") is not repeated."""
    out: list[str] = []
    said: set[str] = set()
    for word in words:
        parts = set(word.lower().split())
        if parts <= said:
            continue
        out.append(word)
        said |= parts
    return tuple(out[:most])


def made(demand: Demand, project: Project) -> dt.date | None:
    """When a demand was made: its own date if the format gives it one, else the launch."""
    return getattr(demand, "made", None) or project.campaign.launched


def _document(texts: list[tuple[str, str, int]]) -> list[str]:
    doc = []
    for text, lang, weight in texts:
        doc += [t for t, _ in terms(text, lang)] * weight
    return doc


def _weights(docs: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    """BM25 weights of each term (rows, numbered by ``vocab``) in each document (columns), in
    units of one distinctive word: a word only one document has, once, at average length."""
    import bm25s

    weights = np.zeros((len(vocab), len(docs)), dtype=np.float32)
    if not any(docs):
        return weights
    index = bm25s.BM25(k1=K1, b=B, method="lucene")
    index.index([d or [""] for d in docs], show_progress=False)
    scores = index.scores
    indptr = np.asarray(scores["indptr"])
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    by_id = {i: vocab[t] for t, i in index.vocab_dict.items() if t in vocab}
    keep = np.array([i in by_id for i in range(len(indptr) - 1)], dtype=bool)[rows]
    mapped = np.array([by_id.get(i, 0) for i in range(len(indptr) - 1)])[rows]
    weights[mapped[keep], np.asarray(scores["indices"])[keep]] = np.asarray(scores["data"])[keep]
    n = len(docs)
    unit = math.log(1 + (n - 1 + 0.5) / 1.5)  # BM25's idf of a word one document has
    return weights / unit


class Matcher:
    """BM25 weights of every demand's words, every response's words, and the signals."""

    def __init__(self, project: Project) -> None:
        self.project = project
        demands = project.demands
        self.ids = [d.id for d in demands]
        self.column = {d: i for i, d in enumerate(self.ids)}
        docs = [_document(demand_texts(d)) for d in demands]
        self.vocab: dict[str, int] = {}
        for doc in docs:
            for t in doc:
                self.vocab.setdefault(t, len(self.vocab))
        weights = _weights(docs, self.vocab)

        # Words every demand of a group has tell the group, not the demand.
        self.group_of = [d.group for d in demands]
        members: dict[str, list[int]] = {}
        for i, g in enumerate(self.group_of):
            if g is not None:
                members.setdefault(g, []).append(i)
        self.shared: dict[str, set[str]] = {}  # by group: the terms all its demands have
        names = list(self.vocab)  # term by row
        for g, cols in members.items():
            if len(cols) < 2:
                continue
            rows = np.flatnonzero((weights[:, cols] > 0).all(axis=1))
            if rows.size:
                weights[np.ix_(rows, cols)] *= GROUP_SHARED
                self.shared[g] = {names[i] for i in rows.tolist()}
        self.weights = weights

        # The response's match with each group as a whole, added to each of its demands. (Words
        # of a group's title that no demand has are outside the vocabulary: they add nothing.)
        self.group_weights = None
        if members:
            titles = {g.id: g.title for g in project.demands_file.groups}
            keys = sorted(members) + [f"\0{i}" for i, g in enumerate(self.group_of) if g is None]
            gdocs = []
            for key in keys:
                if key.startswith("\0"):
                    gdocs.append(docs[int(key[1:])])
                else:
                    doc = _document(_texts(titles.get(key), TITLE_WEIGHT))
                    for i in members[key]:
                        doc += docs[i]
                    gdocs.append(doc)
            gw = _weights(gdocs, self.vocab)
            slot = {k: j for j, k in enumerate(keys)}
            spread = [
                slot[g] if g is not None else slot[f"\0{i}"] for i, g in enumerate(self.group_of)
            ]
            self.group_weights = GROUP_MIX * gw[:, spread]

        self.made = [made(d, project) for d in demands]
        self.responses = {r.id: r for r in project.responses}
        self.sentences: dict[str, list[tuple[str, np.ndarray]]] = {}
        self.query: dict[str, tuple[np.ndarray, dict[int, str], np.ndarray]] = {}
        for r in project.responses:
            self._read(r)
        self.rows = {r: i for i, r in enumerate(self.responses)}
        self.scores = self._score_all()
        # Each response's best and second best raw scores, and where the best is: how close
        # the nearest other demand comes, without scanning the row again for each suggestion.
        self.top2 = np.zeros((len(self.responses), 3))
        if len(self.ids) and len(self.responses):
            at = self.scores.argmax(axis=1)
            first = self.scores[np.arange(len(at)), at]
            second = (
                np.partition(self.scores, -2, axis=1)[:, -2]
                if len(self.ids) > 1
                else np.zeros(len(at))
            )
            self.top2 = np.column_stack([first, second, at])

    def _read(self, response: Response) -> None:
        """A response's sentences (each with the ids of its terms the demands know), its terms,
        how often it uses each, and the words behind them."""
        sentences = []
        ids: dict[int, str] = {}
        counts: Counter[int] = Counter()
        vocab = self.vocab
        for text, lang, _ in response_texts(response):
            for sentence in SENTENCE.split(text):
                known = set()
                for t, word in terms(sentence, lang):
                    i = vocab.get(t)
                    if i is not None:
                        ids.setdefault(i, word)
                        counts[i] += 1
                        known.add(i)
                sentences.append((sentence, np.fromiter(known, dtype=np.int64, count=len(known))))
        self.sentences[response.id] = sentences
        tf = np.array([counts[i] for i in ids], dtype=np.float32)
        self.query[response.id] = (
            np.fromiter(ids, dtype=np.int64, count=len(ids)),
            ids,
            1 + QUERY_TF * np.log(tf),
        )

    def _named(self, response: Response) -> dict[int, str]:
        """The demands a response names by id, by number or by quoted title."""
        found: dict[int, str] = {}
        texts = [t for t, _, _ in response_texts(response)]
        whole = "\n".join(texts)
        ids = self._id_words
        for match in ID_WORD.finditer(whole):
            for i in ids.get(match.group().lower(), ()):
                found[i] = f"names {self.ids[i]}"
        numbers = self._numbers
        for match in _number_pattern().finditer(ARABIC_MARKS.sub("", whole)):
            for i in numbers.get(int(match.group(2)), ()):
                found.setdefault(i, f"names {match.group(1)} {match.group(2)}")
        for match in QUOTED.finditer(whole):
            quoted = next(g for g in match.groups() if g)
            stems = {s for s, _ in tokens(quoted, self.project.campaign.lang)}
            if len(stems) < 2:
                continue
            for i, title in enumerate(self._titles):
                if any(len(t) >= 2 and t <= stems and len(t) >= 0.6 * len(stems) for t in title):
                    found.setdefault(i, "quotes its title")
        return found

    @functools.cached_property
    def _id_words(self) -> dict[str, list[int]]:
        """Demand ids that can be told from words: with a letter and a digit ("D4", "rec-12")."""
        found: dict[str, list[int]] = {}
        for i, demand_id in enumerate(self.ids):
            if re.search(r"\d", demand_id) and re.search(r"[^\W\d_]", demand_id):
                found.setdefault(demand_id.lower(), []).append(i)
        return found

    @functools.cached_property
    def _numbers(self) -> dict[int, list[int]]:
        """Demands by the number that names them: the number their id ends with ("D4",
        "rec-4"), or, when no id has one, their place in the list."""
        by_number: dict[int, list[int]] = {}
        numbered = [re.search(r"(\d+)$", d) for d in self.ids]
        if any(numbered):
            for i, m in enumerate(numbered):
                if m:
                    by_number.setdefault(int(m.group(1)), []).append(i)
        else:
            by_number = {i + 1: [i] for i in range(len(self.ids))}
        return by_number

    @functools.cached_property
    def _titles(self) -> list[list[set[str]]]:
        """The stems of each demand's title, in each of its languages."""
        return [
            [{s for s, _ in tokens(text, lang)} for lang, text in d.title.items()]
            for d in self.project.demands
        ]

    def _score_all(self) -> np.ndarray:
        """Raw scores (distinctive words) of every response (rows) and demand (columns)."""
        n = len(self.ids)
        out = np.zeros((len(self.responses), n), dtype=np.float32)
        self.signals: dict[tuple[int, int], list[str]] = {}
        made_ = np.array([m.toordinal() if m else -1 for m in self.made], dtype=np.int64)
        latest = int(made_.max()) if made_.size else -1
        for row, (rid, response) in enumerate(self.responses.items()):
            ids, _, qw = self.query[rid]
            if ids.size:
                out[row] = qw @ self.weights[ids]
                if self.group_weights is not None:
                    out[row] += qw @ self.group_weights[ids]
            for col, signal in self._named(response).items():
                out[row, col] += NAMED
                self.signals.setdefault((row, col), []).append(signal)
            day = response.date.toordinal()
            early = np.flatnonzero(made_ > day) if day < latest else ()
            if len(early):
                out[row, early] = 0.0
                for col in early.tolist():
                    self.signals[(row, col)] = ["dated before the demand was made"]
        return out

    def _score(self, raw: float) -> float:
        return round(raw / (raw + HALF), 3) if raw > 0 else 0.0

    def suggestion(self, response: str, demand: str) -> Suggestion:
        row, col = self.rows[response], self.column[demand]
        raw = float(self.scores[row, col])
        ids, words, qw = self.query[response]
        matched: tuple[str, ...] = ()
        if ids.size and raw > 0:
            contrib = qw * self.weights[ids, col]
            if self.group_weights is not None:
                contrib = contrib + qw * self.group_weights[ids, col]
            order = np.lexsort((ids, -contrib))
            matched = _readable(words[int(ids[k])] for k in order[:8] if contrib[k] > 0)
        score = self._score(raw)
        first, second, at = self.top2[row]
        best_other = second if int(at) == col else first  # compared raw: not saturated
        unsure = bool(score < SURE or float(best_other) >= CLOSE * raw)
        return Suggestion(
            response,
            demand,
            score,
            matched,
            self.passage(response, demand) if raw > 0 else "",
            tuple(self.signals.get((row, col), ())),
            unsure,
        )

    def passage(self, response: str, demand: str) -> str:
        """The sentence of the response whose words weigh most in the demand."""
        col = self.column[demand]
        best, best_score = "", 0.0
        for sentence, ids in self.sentences[response]:
            weight = float(self.weights[ids, col].sum()) if ids.size else 0.0
            if weight > best_score:
                best, best_score = sentence, weight
        if not best:  # no word in common: the sentence that names the demand, if one does
            named = re.compile(rf"(?<![\w-]){re.escape(demand)}(?![\w-])", re.IGNORECASE)
            best = next((x for x, _ in self.sentences[response] if named.search(x)), "")
        best = " ".join(best.split())
        return best if len(best) <= 200 else best[:197].rstrip() + "..."

    def _order(self, values: np.ndarray, keys: list[str], top: int | None) -> list[int]:
        """Indices by falling score, ties by key; only the first ``top`` when given."""
        idx = np.arange(values.size)
        if top is not None and top < values.size:
            cut = np.partition(values, values.size - top)[values.size - top]
            idx = np.flatnonzero(values >= cut)
        return sorted(idx.tolist(), key=lambda i: (-values[i], keys[i]))[:top]

    def rank_demands(self, response: str, top: int | None = None) -> list[Suggestion]:
        row = self.scores[self.rows[response]]
        return [self.suggestion(response, self.ids[i]) for i in self._order(row, self.ids, top)]

    def rank_responses(self, demand: str, top: int | None = None) -> list[Suggestion]:
        column = self.scores[:, self.column[demand]]
        keys = list(self.responses)
        return [self.suggestion(keys[i], demand) for i in self._order(column, keys, top)]


@dataclass(frozen=True)
class Suggestions:
    for_responses: dict[str, list[Suggestion]]  # responses without links -> likely demands
    for_demands: dict[str, list[Suggestion]]  # demands without responses -> likely responses

    def to_dict(self) -> dict[str, Any]:
        """``scorecard suggest --format json``."""

        def one(s: Suggestion) -> dict[str, Any]:
            return {
                "response": s.response,
                "demand": s.demand,
                "score": s.score,
                "unsure": s.unsure,
                "matched": list(s.matched),
                "signals": list(s.signals),
                "passage": s.passage,
            }

        return {
            "responses": {r: [one(s) for s in ss] for r, ss in self.for_responses.items()},
            "demands": {d: [one(s) for s in ss] for d, ss in self.for_demands.items()},
        }


def suggest(project: Project, top: int = 3, min_score: float = 0.0) -> Suggestions:
    """The likely links of every response without links and every demand without responses;
    none below ``FLOOR`` (or ``min_score`` when it is higher)."""
    matcher = Matcher(project)
    linked = {link.demand for r in project.responses for link in r.addresses}
    floor = max(FLOOR, min_score)

    def keep(found: list[Suggestion]) -> list[Suggestion]:
        return [s for s in found if s.score >= floor][:top]

    return Suggestions(
        {r.id: keep(matcher.rank_demands(r.id, top)) for r in project.responses if not r.addresses},
        {
            d.id: keep(matcher.rank_responses(d.id, top))
            for d in project.demands
            if d.id not in linked and d.status is None
        },
    )


def candidates(found: Suggestions) -> list[Suggestion]:
    """Every suggested (response, demand) pair once: responses' suggestions first."""
    seen: dict[tuple[str, str], Suggestion] = {}
    for group in (found.for_responses, found.for_demands):
        for ranked in group.values():
            for s in ranked:
                seen.setdefault((s.response, s.demand), s)
    return list(seen.values())


def reason(s: Suggestion) -> str:
    """The reason written with a link that was accepted from a suggestion."""
    signals = f"; {', '.join(s.signals)}" if s.signals else ""
    unsure = ", unsure" if s.unsure else ""
    return (
        f"Suggested by scorecard suggest (score {s.score:.3f}{unsure}; matched: "
        f"{', '.join(s.matched[:4])}{signals}); check the verdict."
    )


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    responses: int  # responses with at least one link (the labelled ones)
    precision_at_1: float  # share whose first suggestion is one of their real links
    recall_at_3: float  # mean share of each response's real links found in its first three


def precision_recall(
    ranked: dict[str, list[str]], gold: dict[str, set[str]], k: int = 3
) -> Evaluation:
    """Precision at 1 and recall at k of rankings against the real links."""
    labelled = [r for r in gold if gold[r]]
    if not labelled:
        return Evaluation(0, 0.0, 0.0)
    p1 = sum(bool(ranked[r][:1]) and ranked[r][0] in gold[r] for r in labelled) / len(labelled)
    rk = sum(len(set(ranked[r][:k]) & gold[r]) / len(gold[r]) for r in labelled) / len(labelled)
    return Evaluation(len(labelled), round(p1, 3), round(rk, 3))


def evaluate(project: Project, k: int = 3) -> Evaluation:
    """Hide every link of the project and see how well the suggestions find them again. The
    matcher never reads the links (nor their reasons), so hiding them is not needed."""
    matcher = Matcher(project)
    gold = {r.id: {link.demand for link in r.addresses} for r in project.responses}
    ranked = {r: [s.demand for s in matcher.rank_demands(r)] for r in gold if gold[r]}
    return precision_recall(ranked, gold, k)
