"""Synthetic campaigns for the benchmark: N demands and M responses, written as demands.yaml and
responses.yaml in the same style people write them (block text, Markdown, several sources).

The text is realistic in shape: sentences drawn from a stock of phrases, so phrases repeat the
way they do in a real campaign (the same boilerplate, the same speakers), Markdown emphasis,
links and lists, some Arabic titles, 1 to 4 sources per response, 0 to 3 demands per response.
Everything comes from a seeded random generator: the same arguments give the same files.

    python bench/gen.py 100 1000 DIR
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SUBJECTS = [
    "The company",
    "Its chief executive",
    "A spokesperson",
    "The policy team",
    "The oversight board",
    "Its civil rights team",
    "The trust and safety group",
    "The vice president for global affairs",
]
VERBS = [
    "announced",
    "said it would review",
    "declined to commit to",
    "published",
    "expanded",
    "promised to study",
    "launched a pilot of",
    "paused",
    "refused to change",
    "reported progress on",
]
OBJECTS = [
    "its hate speech policy",
    "the labels on newsworthy posts",
    "a civil rights audit",
    "refunds for advertisers",
    "the politician exemption",
    "moderation of private groups",
    "a human contact for harassed users",
    "transparency reports on hate content",
    "an independent review of its algorithms",
    "the removal of militia groups",
    "its approach to misinformation about voting",
]
TAILS = [
    "after a meeting with the organizers",
    "in a post on its blog",
    "in a letter to the coalition",
    "at a press conference",
    "according to people familiar with the matter",
    "weeks after the boycott began",
    "without giving a date",
    "in its quarterly enforcement report",
]
BOILERPLATE = (
    "We have made real progress over the years, but we have more work to do, and "
    "we will keep investing in people and technology to keep hate off our platform."
)
PUBLISHERS = [
    "Reuters",
    "The Verge",
    "NPR",
    "The New York Times",
    "Associated Press",
    "The Guardian",
    "Axios",
    "CNN Business",
    "Wired",
    "Le Monde",
    "Al Jazeera",
]
SPEAKERS = [
    "Mark Zuckerberg, CEO",
    "Sheryl Sandberg, COO",
    "Nick Clegg, VP Global Affairs",
    "Guy Rosen, VP Integrity",
    "A company spokesperson",
    None,
]
KINDS = [
    "statement",
    "letter",
    "meeting",
    "policy",
    "enforcement",
    "hire",
    "report",
    "product",
    "other",
]
VERDICTS = ["full", "partial", "partial", "promised", "promised", "none", "refused"]
ARABIC = ["المساءلة", "الشفافية", "الحقوق المدنية", "الدعم", "اللياقة"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def paragraph(rng: random.Random, n: int) -> str:
    words = " ".join(sentence(rng) for _ in range(n))
    if rng.random() < 0.3:  # Markdown emphasis and a link, as people write them
        words = words.replace(" policy", " **policy**", 1)
        words += f" See [the announcement](https://example.org/{rng.randrange(10**6)})."
    return words


def summary(rng: random.Random) -> str:
    if rng.random() < 0.15:  # the same boilerplate, word for word, in many responses
        return BOILERPLATE + "\n"
    text = paragraph(rng, rng.randint(2, 4))
    if rng.random() < 0.2:
        text += "\n\n" + "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.3:
        text += "\n\n" + paragraph(rng, rng.randint(1, 3))
    return text + "\n"


def source(rng: random.Random, date: str) -> dict:
    publisher = rng.choice(PUBLISHERS)
    n = rng.randrange(3000)  # a limited pool: the same article is cited by several responses
    return {
        "title": f"{rng.choice(OBJECTS).capitalize()}: what changed ({n})",
        "publisher": publisher,
        "url": f"https://news.example.com/{publisher.lower().replace(' ', '-')}/{n}",
        "date": date,
        "lang": "en",
    }


def campaign(n_demands: int, n_responses: int, seed: int = 1) -> tuple[dict, dict]:
    rng = random.Random(seed)
    n_groups = max(1, min(20, n_demands // 10 or 1))
    groups = [
        {
            "id": f"g{i + 1}",
            "title": {"en": f"Group {i + 1}: {rng.choice(OBJECTS)}", "ar": rng.choice(ARABIC)},
        }
        for i in range(n_groups)
    ]
    demands = []
    for i in range(n_demands):
        d = {
            "id": f"D{i + 1}",
            "group": groups[i * n_groups // n_demands]["id"],
            "title": f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)}",
            "text": paragraph(rng, rng.randint(1, 3)) + "\n",
            "met": sentence(rng),
            "partial": sentence(rng),
        }
        if rng.random() < 0.1:
            d["weight"] = rng.choice([2, 0.5, 3])
        if rng.random() < 0.05:
            d["note"] = sentence(rng)
        demands.append(d)
    days = sorted(
        f"{2020 + k // 365}-{(k % 365) // 31 + 1:02d}-{(k % 365) % 28 + 1:02d}"
        for k in (rng.randrange(3 * 365) for _ in range(n_responses))
    )
    responses = []
    for i, date in enumerate(days):
        r: dict = {"id": f"r-{date}-{i + 1}", "date": date, "kind": rng.choice(KINDS)}
        speaker = rng.choice(SPEAKERS)
        if speaker:
            r["speaker"] = speaker
        r["summary"] = summary(rng)
        if rng.random() < 0.3:
            r["quote"] = {"text": sentence(rng), "by": speaker or "A spokesperson"}
        r["sources"] = [source(rng, date) for _ in range(rng.randint(1, 4))]
        touched = rng.sample(
            range(1, n_demands + 1), min(n_demands, rng.choice([0, 1, 1, 1, 2, 2, 3]))
        )
        r["addresses"] = [
            {"demand": f"D{k}", "verdict": rng.choice(VERDICTS), "reason": sentence(rng)}
            for k in touched
        ]
        responses.append(r)
    head = {
        "campaign": {
            "title": f"Synthetic campaign ({n_demands} demands)",
            "target": "ExampleCorp",
            "organizers": ["Coalition A", "Coalition B", "Coalition C"],
            "launched": "2020-01-01",
            "lang": "en",
            "description": paragraph(rng, 4) + "\n",
        },
        "groups": groups,
        "demands": demands,
    }
    return head, {"responses": responses}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def write(folder: Path, n_demands: int, n_responses: int, seed: int = 1) -> Path:
    """Write demands.yaml and responses.yaml of a synthetic campaign into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in zip(
        ("demands.yaml", "responses.yaml"), campaign(n_demands, n_responses, seed), strict=True
    ):
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (folder / name).write_text(
            f"# Synthetic campaign made by bench/gen.py\n{text}", encoding="utf-8"
        )
    return folder


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("demands", type=int, help="how many demands")
    ap.add_argument("responses", type=int, help="how many responses")
    ap.add_argument("folder", type=Path, help="where to write demands.yaml and responses.yaml")
    args = ap.parse_args()
    write(args.folder, args.demands, args.responses)
