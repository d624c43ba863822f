"""How alike two projects are, from what they say and what they work on. Pure: no Django.

The score is a weighted sum of six signals, each 0 to 1:

  text        0.40  cosine of the two texts' embeddings (the shared similarity service), or the
                    word overlap of title and description when the service is off
  outcomes    0.20  shared outcomes (Jaccard); indicators count with the outcomes they measure
  indicators  0.10  shared indicators (Jaccard)
  services    0.15  shared LGSL services (Jaccard)
  area        0.10  overlapping areas (1 if any GSS code is shared, or one project's area lies
                    within the other's: a county and a district in it, by the registry's links
                    in ``area_reach``; a project with no area says nothing)
  dates       0.05  the share of the shorter project's time that overlaps the other's

Two gates then apply, because projects in one partnership share outcomes, area and dates by
design, and the same work in another place is not a duplicate:

- text below its floor (TEXT_FLOOR for the embeddings' cosine, where unrelated public-service
  texts sit around 0.2 and 90% of pairs below 0.35; WORDS_FLOOR for the word overlap) multiplies
  the score by (text / floor) squared;
- two projects that both say their area and share none of it halve their score.

A pair is suggested at SUGGEST_AT or above. The weights, floors and threshold were chosen on the
labelled pairs in benchmarks/duplicate_projects/ (the same pairs they are measured on, so the
figures flatter them; docs/performance.md), beside text alone: shared outcomes, services and area
are what tell "another falls prevention service elsewhere" from "a falls prevention service for
the same people".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WEIGHTS = {
    "text": 0.40,
    "outcomes": 0.20,
    "indicators": 0.10,
    "services": 0.15,
    "area": 0.10,
    "dates": 0.05,
}
SUGGEST_AT = 0.55
# Below these the texts are about different things, whatever else the projects share.
TEXT_FLOOR = 0.45
WORDS_FLOOR = 0.15
ELSEWHERE = 0.5

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "we",
        "will",
        "with",
        "who",
        "which",
        "people",
        "service",
        "services",
        "project",
        "council",
    ]
)


@dataclass(frozen=True)
class ProjectFacts:
    key: int
    text: str
    outcomes: frozenset[int] = frozenset()
    indicators: frozenset[int] = frozenset()
    services: frozenset[int] = frozenset()
    areas: frozenset[str] = frozenset()
    # The areas' codes with every code whose area contains them or lies within them (the
    # registry's hierarchy, queries.facts_of); empty means the exact codes alone.
    area_reach: frozenset[str] = frozenset()
    start_on: dt.date | None = None
    end_on: dt.date | None = None


@dataclass(frozen=True)
class Overlap:
    score: float
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def suggested(self) -> bool:
        return self.score >= SUGGEST_AT

    def reasons(self) -> list[str]:
        """The signals that counted, the most to the score first, in words for the page."""
        names = {
            "text": "similar description",
            "outcomes": "shared outcomes",
            "indicators": "shared indicators",
            "services": "shared services",
            "area": "overlapping area",
            "dates": "overlapping dates",
        }
        return [
            names[name]
            for name, value in sorted(
                self.parts.items(), key=lambda item: (-WEIGHTS[item[0]] * item[1], item[0])
            )
            if value > 0 and (name != "text" or value >= WORDS_FLOOR)
        ]


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def word_overlap(a: str, b: str) -> float:
    return jaccard(words(a), words(b))


def jaccard(a: Iterable[object], b: Iterable[object]) -> float:
    first, second = set(a), set(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def date_overlap(a: ProjectFacts, b: ProjectFacts) -> float:
    if None in (a.start_on, a.end_on, b.start_on, b.end_on):
        return 0.0
    assert a.start_on and a.end_on and b.start_on and b.end_on  # for the type checker
    shared = (min(a.end_on, b.end_on) - max(a.start_on, b.start_on)).days
    shorter = min((a.end_on - a.start_on).days, (b.end_on - b.start_on).days)
    if shared <= 0 or shorter <= 0:
        return 0.0
    return min(1.0, shared / shorter)


def areas_overlap(a: ProjectFacts, b: ProjectFacts) -> bool:
    """A shared code, or a code of one within the reach of the other (containment is the same
    relation seen from either side, so one direction would do; both are asked in case only one
    side's reach was loaded)."""
    return bool(a.areas & (b.area_reach | b.areas) or b.areas & (a.area_reach | a.areas))


def overlap(a: ProjectFacts, b: ProjectFacts, *, text_similarity: float | None) -> Overlap:
    """The score of a pair; text_similarity is the embeddings' cosine, or None to use words."""
    text = word_overlap(a.text, b.text) if text_similarity is None else max(0.0, text_similarity)
    parts = {
        "text": text,
        "outcomes": jaccard(a.outcomes, b.outcomes),
        "indicators": jaccard(a.indicators, b.indicators),
        "services": jaccard(a.services, b.services),
        "area": 1.0 if areas_overlap(a, b) else 0.0,
        "dates": date_overlap(a, b),
    }
    score = sum(WEIGHTS[name] * value for name, value in parts.items())
    floor = WORDS_FLOOR if text_similarity is None else TEXT_FLOOR
    if text < floor:
        score *= (text / floor) ** 2
    if a.areas and b.areas and not parts["area"]:
        score *= ELSEWHERE
    return Overlap(score=round(score, 4), parts=parts)


def text_only(*, text_similarity: float | None, a: ProjectFacts, b: ProjectFacts) -> float:
    """The baseline the benchmark compares with."""
    return word_overlap(a.text, b.text) if text_similarity is None else text_similarity
