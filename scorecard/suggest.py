"""Suggest the links nobody made: which demand a response is about, and the reverse.

Lexical matching over every language of each text: words are stemmed with the Snowball stemmer of
their language (Arabic script -> Arabic, else the text's language), a small multilingual list of
concepts kept as data (``data/suggest_terms.yaml``) maps phrases of each language to one shared
term, and texts are compared by TF-IDF cosine similarity. Each suggestion carries the words that
matched, so a person can judge it. Pure functions, no I/O beyond reading the concept list.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .model import Demand, Project, Response

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # vowel marks and tatweel
STEMMERS = {"en": "english", "ar": "arabic", "fr": "french", "es": "spanish", "de": "german"}
SENTENCE = re.compile(r"(?<=[.!?؟])\s+|\n\s*\n")
TITLE_WEIGHT = 2  # a demand's title says what it is about more than its long text


@dataclass(frozen=True)
class Suggestion:
    response: str
    demand: str
    score: float
    matched: tuple[str, ...]  # the words (or concepts) both texts share, strongest first
    passage: str = ""  # the sentence of the response that matches the demand best


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


def _stem(word: str, lang: str) -> str:
    return _stemmer("ar" if ARABIC.search(word) else lang).stemWord(word)


def tokens(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, the word as written) for each word that is not a stopword."""
    out = []
    text = ARABIC_MARKS.sub("", text)  # vowel marks would split words (they are not \w)
    for match in WORD.finditer(text):
        word = _normalize(match.group())
        if word in _stopwords() or len(word) < 2 or word.isdigit():
            continue
        out.append((_stem(word, lang), match.group()))
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
    return {first: tuple(sorted(found, key=lambda p: -len(p[1]))) for first, found in
            pairs.items()}


def bag(texts: list[tuple[str, str, int]]) -> tuple[Counter[str], dict[str, str]]:
    """Term counts of (text, lang, weight) triples, with concepts, and a readable form of each
    term (the first word that gave it)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text, lang, weight in texts:
        toks = tokens(text, lang)
        stems = [s for s, _ in toks]
        for stem, word in toks:
            counts[stem] += weight
            shown.setdefault(stem, word)
        concepts = _concepts()
        for i, stem in enumerate(stems):
            for concept, phrase in concepts.get(stem, ()):
                if tuple(stems[i:i + len(phrase)]) == phrase:
                    counts[concept] += weight
                    shown.setdefault(concept, " ".join(w for _, w in toks[i:i + len(phrase)]))
    return counts, shown


def _texts(value: dict[str, str] | None, weight: int = 1) -> list[tuple[str, str, int]]:
    return [(text, lang, weight) for lang, text in (value or {}).items()]


def demand_texts(demand: Demand) -> list[tuple[str, str, int]]:
    return (_texts(demand.title, TITLE_WEIGHT) + _texts(demand.text) + _texts(demand.met)
            + _texts(demand.partial))


def response_texts(response: Response) -> list[tuple[str, str, int]]:
    """What a response says: summary, quote and source titles; never its links or reasons."""
    out = _texts(response.summary)
    if response.quote:
        out += _texts(response.quote.text)
    for source in response.sources:
        out.append((source.title, source.lang or "en", 1))
    return out


class Matcher:
    """TF-IDF vectors of every demand and response of a project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.demands = {d.id: bag(demand_texts(d)) for d in project.demands}
        self.responses = {r.id: bag(response_texts(r)) for r in project.responses}
        docs = [c for c, _ in self.demands.values()] + [c for c, _ in self.responses.values()]
        df: Counter[str] = Counter(t for c in docs for t in c)
        n = len(docs)
        self.idf = {t: math.log((1 + n) / (1 + k)) + 1 for t, k in df.items()}
        self.vectors = {("d", k): self._vector(c) for k, (c, _) in self.demands.items()}
        self.vectors |= {("r", k): self._vector(c) for k, (c, _) in self.responses.items()}
        self.sentences = {r.id: response_texts(r) for r in project.responses}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def suggestion(self, response: str, demand: str) -> Suggestion:
        a, b = self.vectors[("r", response)], self.vectors[("d", demand)]
        shared = {t: a[t] * b[t] for t in a.keys() & b.keys()}
        words = self.responses[response][1]
        order = sorted(shared, key=lambda t: (-shared[t], t))
        matched = tuple(dict.fromkeys(words.get(t, t) for t in order[:6]))
        score = round(sum(shared.values()), 3)
        return Suggestion(response, demand, score, matched,
                          self.passage(response, demand) if score > 0 else "")

    def passage(self, response: str, demand: str) -> str:
        """The sentence of the response whose words weigh most in the demand."""
        target = self.vectors[("d", demand)]
        best, best_score = "", 0.0
        for text, lang, _ in self.sentences[response]:
            for sentence in SENTENCE.split(text):
                counts, _ = bag([(sentence, lang, 1)])
                weight = sum(target.get(t, 0.0) * self.idf.get(t, 0.0) for t in counts)
                if weight > best_score:
                    best, best_score = " ".join(sentence.split()), weight
        return best if len(best) <= 200 else best[:197].rstrip() + "..."

    def rank_demands(self, response: str) -> list[Suggestion]:
        found = [self.suggestion(response, d) for d in self.demands]
        return sorted(found, key=lambda s: (-s.score, s.demand))

    def rank_responses(self, demand: str) -> list[Suggestion]:
        found = [self.suggestion(r, demand) for r in self.responses]
        return sorted(found, key=lambda s: (-s.score, s.response))


@dataclass(frozen=True)
class Suggestions:
    for_responses: dict[str, list[Suggestion]]  # responses without links -> likely demands
    for_demands: dict[str, list[Suggestion]]  # demands without responses -> likely responses

    def to_dict(self) -> dict[str, Any]:
        """``scorecard suggest --format json``."""

        def one(s: Suggestion) -> dict[str, Any]:
            return {"response": s.response, "demand": s.demand, "score": s.score,
                    "matched": list(s.matched), "passage": s.passage}

        return {"responses": {r: [one(s) for s in ss] for r, ss in self.for_responses.items()},
                "demands": {d: [one(s) for s in ss] for d, ss in self.for_demands.items()}}


def suggest(project: Project, top: int = 3, min_score: float = 0.0) -> Suggestions:
    """The likely links of every response without links and every demand without responses."""
    matcher = Matcher(project)
    linked = {link.demand for r in project.responses for link in r.addresses}

    def keep(found: list[Suggestion]) -> list[Suggestion]:
        return [s for s in found if s.score > 0 and s.score >= min_score][:top]

    return Suggestions(
        {r.id: keep(matcher.rank_demands(r.id)) for r in project.responses if not r.addresses},
        {d.id: keep(matcher.rank_responses(d.id)) for d in project.demands
         if d.id not in linked and d.status is None})


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
    return (f"Suggested by scorecard suggest (score {s.score:.3f}; matched: "
            f"{', '.join(s.matched[:4])}); check the verdict.")


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    responses: int  # responses with at least one link (the labelled ones)
    precision_at_1: float  # share whose first suggestion is one of their real links
    recall_at_3: float  # mean share of each response's real links found in its first three


def precision_recall(ranked: dict[str, list[str]], gold: dict[str, set[str]], k: int = 3
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
