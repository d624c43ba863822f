"""Similar cases: text similarity plus shared structured codes, in plain Python (no Django).

A case is described by `CaseFeatures`: its title, its text (summary and body) and, per dimension
(service, function, sector...), the set of codes it carries. An empty set means *unknown*, never
"anything": a dimension counts only when both cases filled it in (IPS-X counted a blank as a
match, which case-record.md section 5 tells us not to copy). Two cases score

    text cosine (TF-IDF, stop words out, light stemming, adjacent word pairs)
    + CODE_SCALE * sum over dimensions filled on both sides of
          weight(dimension) * overlap of their codes, each code weighted by its rarity

so a shared LGSL service (specific, rare) counts far more than a shared sector or technology
(generic, common), and both know nothing about a field left blank. `Corpus` keeps the library's
statistics and an inverted index so that a query scores only the cases sharing a distinctive word
or a specific code with it (bounded work), then reranks those exactly.

Reasons come back as data (`Reason`), not sentences: the caller words and translates them.
See docs/decisions/0016-similarity.md.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from kitbag.search.text import STOPWORDS, stem, words

# Specific dimensions first. Weights are per dimension; a code's own rarity scales it further.
DEFAULT_CODE_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "service": 3.0,  # LGSL service: the most specific thing a case can say about itself
        "function": 2.0,  # LGSL function (service area)
        "innovation_type": 1.5,  # e.g. IPS-X "Engagement management"
        "phase": 1.0,  # GOV.UK phase
        "sector": 0.75,  # COFOG division: ten values for every government function
        "technology": 0.75,
        "outcome": 0.5,
        "area": 0.5,  # GSS codes of the areas served
        "nation": 0.5,  # nation or country
    }
)
# Dimensions specific enough to find candidates by (the others only rerank).
CANDIDATE_DIMENSIONS = frozenset({"service", "function", "innovation_type"})

# Words so common in write-ups of public services that they say nothing about which service.
# Rare words are weighted up by IDF anyway; these are dropped so they never appear as a reason.
_DOMAIN_STOPWORDS = """
    also use used uses using new way ways one two three make made based within across well many
    may could would shall must need needs able help helps helped provide provides provided etc
    project projects initiative aim aims order make makes allow allows via including include
    includes e g eg ie per year years time first part well public service services citizens
    government system solution tool platform
"""
DOMAIN_STOPWORDS = frozenset(_DOMAIN_STOPWORDS.split())


@dataclass(frozen=True)
class Weights:
    """How the score is made; `text_only()` is the baseline the benchmark compares against."""

    codes: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CODE_WEIGHTS)
    # One shared rare LGSL service (3.0 x ~0.85 rarity) adds about 0.25, as much as a solid text
    # cosine; a shared common sector adds a few hundredths.
    code_scale: float = 0.1
    # Known to differ (both filled in, nothing shared) takes off this fraction of the dimension's
    # weight: evidence against, where a blank is no evidence either way.
    mismatch_penalty: float = 0.0
    # Title words count this many times over: a title names the service more often than a body.
    title_repeat: int = 2
    # Word pairs ("council tax") count beside single words.
    bigrams: bool = True

    @classmethod
    def text_only(cls) -> Weights:
        return cls(codes=MappingProxyType({}))


DEFAULT_WEIGHTS = Weights()

# Bounds on the work of one query, whatever the size of the library.
CANDIDATE_TERMS = 25  # the subject's most distinctive words used to find candidates
CANDIDATE_POSTINGS = 20_000  # postings read to find them (a word in 500 cases costs 500)
RERANK = 100  # candidates scored exactly
MIN_SCORE = 0.04  # below this, nothing worth suggesting
MAX_WORD_REASONS = 4


_NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaseFeatures:
    """What similarity knows of a case. A dimension absent or empty is unknown."""

    key: str
    title: str = ""
    text: str = ""
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The lead organisation's name: its words are not counted, because "similar" means the same
    # kind of service elsewhere, and "HMRC: ..." titles would otherwise pair everything HMRC does.
    organisation: str = ""

    def __post_init__(self) -> None:
        # A blank code is no code, and an empty dimension is no dimension: cleaned once here so
        # that a blank can never match another blank, however the caller spelt it.
        cleaned = {}
        for dimension, codes in self.codes.items():
            kept = frozenset(code for code in codes if code)
            if kept:
                cleaned[dimension] = kept
        object.__setattr__(self, "codes", cleaned)

    def filled(self, dimension: str) -> frozenset[str]:
        return self.codes.get(dimension, _NOTHING)


@dataclass(frozen=True)
class Reason:
    """Why two cases match: a shared dimension's labels, or `kind="words"` with the words."""

    kind: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    text_score: float
    code_score: float
    reasons: tuple[Reason, ...] = ()


def _tokens(text: str) -> list[str]:
    return [
        word
        for word in words(text)
        if len(word) > 1
        and word.isascii()
        and not word.isdigit()
        and word not in STOPWORDS
        and word not in DOMAIN_STOPWORDS
    ]


def _terms_of(tokens: list[str], *, bigrams: bool) -> Counter[str]:
    stems = [stem(token) for token in tokens]
    counts = Counter(stems)
    if bigrams:
        # Pairs of words adjacent after stop words go: "council tax", "missed bin".
        counts.update(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b)
    return counts


# Words of organisation names that name a kind of body, not the body: "council" stays a word of
# "council tax" even in a case led by a council.
_DESIGNATIONS = """
    council councils city county borough district metropolitan london royal unitary combined
    authority authorities parish town community nhs trust foundation integrated care board health
    police fire rescue service services department ministry agency office executive commission
    government national federal state regional region municipality municipal centre center
    institute university college school schools board group partnership
"""
DESIGNATIONS = frozenset(_DESIGNATIONS.split())


def _organisation_words(name: str) -> frozenset[str]:
    return frozenset(word for word in _tokens(name) if word not in DESIGNATIONS)


def _content_tokens(text: str, organisation: frozenset[str]) -> list[str]:
    return [token for token in _tokens(text) if token not in organisation]


def term_counts(features: CaseFeatures, *, weights: Weights = DEFAULT_WEIGHTS) -> Counter[str]:
    organisation = _organisation_words(features.organisation)
    counts = _terms_of(_content_tokens(features.title, organisation), bigrams=weights.bigrams)
    for term in counts:
        counts[term] *= weights.title_repeat
    counts.update(_terms_of(_content_tokens(features.text, organisation), bigrams=weights.bigrams))
    return counts


def surface_forms(features: CaseFeatures) -> dict[str, str]:
    """Stemmed term to a word as the case wrote it, so reasons read "chatbots", not "chatbot"."""
    forms: dict[str, str] = {}
    organisation = _organisation_words(features.organisation)
    for text in (features.title, features.text):
        tokens = _content_tokens(text, organisation)
        for token in tokens:
            forms.setdefault(stem(token), token)
        for a, b in zip(tokens, tokens[1:], strict=False):
            forms.setdefault(f"{stem(a)} {stem(b)}", f"{a} {b}")
    return forms


@dataclass
class _Doc:
    features: CaseFeatures
    # 1 + ln(term count): the sublinear term frequency, fixed per case whatever the library.
    tf: dict[str, float]
    norm: float = 0.0
    norm_generation: int = -1


class Corpus:
    """The library as similarity sees it: features, document frequencies and inverted indexes.

    Add, replace or remove cases one at a time as they change; `similar` then scores a subject
    against only the cases that share a distinctive word or a specific code with it.
    """

    def __init__(
        self,
        features: Iterable[CaseFeatures] = (),
        *,
        labels: Mapping[str, Mapping[str, str]] | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        # Term statistics depend on how terms are made (title repeat, bigrams), so a corpus is
        # built for one `Weights`; code weights may still differ per query.
        self.weights = weights
        self.labels: dict[str, dict[str, str]] = {k: dict(v) for k, v in (labels or {}).items()}
        self._docs: dict[str, _Doc] = {}
        self._term_df: Counter[str] = Counter()
        self._code_df: Counter[tuple[str, str]] = Counter()
        self._term_postings: dict[str, set[str]] = {}
        self._code_postings: dict[tuple[str, str], set[str]] = {}
        # Bumped on every change: document norms depend on the IDF of every word.
        self._generation = 0
        self._idf_cache: dict[str, float] = {}
        self._idf_generation = -1
        for item in features:
            self.add(item)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def keys(self) -> set[str]:
        return set(self._docs)

    def get(self, key: str) -> CaseFeatures | None:
        doc = self._docs.get(key)
        return doc.features if doc else None

    def add(self, features: CaseFeatures) -> None:
        """Add a case, or replace the one with the same key."""
        self.remove(features.key)
        counts = term_counts(features, weights=self.weights)
        tf = {sys.intern(term): 1 + math.log(count) for term, count in counts.items()}
        self._docs[features.key] = _Doc(features=features, tf=tf)
        for term in tf:
            self._term_df[term] += 1
            self._term_postings.setdefault(term, set()).add(features.key)
        for pair in _code_pairs(features):
            self._code_df[pair] += 1
            self._code_postings.setdefault(pair, set()).add(features.key)
        self._generation += 1

    def remove(self, key: str) -> None:
        doc = self._docs.pop(key, None)
        if doc is None:
            return
        for term in doc.tf:
            self._term_df[term] -= 1
            self._term_postings[term].discard(key)
            if not self._term_df[term]:
                del self._term_df[term]
                del self._term_postings[term]
        for pair in _code_pairs(doc.features):
            self._code_df[pair] -= 1
            self._code_postings[pair].discard(key)
            if not self._code_df[pair]:
                del self._code_df[pair]
                del self._code_postings[pair]
        self._generation += 1

    # Statistics.

    def idf(self, term: str) -> float:
        # Zero for a word every case has; never negative. Cached until the library changes.
        if self._idf_generation != self._generation:
            self._idf_cache.clear()
            self._idf_generation = self._generation
        idf = self._idf_cache.get(term)
        if idf is None:
            n = len(self._docs)
            idf = self._idf_cache[term] = math.log((n + 1) / (self._term_df.get(term, 0) + 1))
        return idf

    def rarity(self, dimension: str, code: str) -> float:
        """0.25 for a code every case has, up to 1 for one no other case has."""
        n = len(self._docs)
        if n == 0:
            return 1.0
        informative = math.log((n + 1) / (self._code_df.get((dimension, code), 0) + 1))
        return 0.25 + 0.75 * informative / math.log(n + 1)

    def _vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        vector = {}
        for term, count in counts.items():
            weight = (1 + math.log(count)) * self.idf(term)
            if weight > 0:
                vector[term] = weight
        return vector

    def _norm(self, doc: _Doc) -> float:
        if doc.norm_generation != self._generation:
            doc.norm = math.sqrt(
                sum((weight * self.idf(term)) ** 2 for term, weight in doc.tf.items())
            )
            doc.norm_generation = self._generation
        return doc.norm

    # Scoring.

    def similar(
        self,
        subject: CaseFeatures,
        *,
        limit: int = 5,
        exclude: Iterable[str] = (),
        weights: Weights | None = None,
        min_score: float = MIN_SCORE,
    ) -> list[Match]:
        """The best `limit` matches for `subject` (in the corpus or not), best first."""
        weights = weights or self.weights
        excluded = set(exclude) | {subject.key}
        counts = term_counts(subject, weights=self.weights)
        vector = self._vector(counts)
        candidates = self._candidates(subject, vector, weights=weights, excluded=excluded)
        subject_norm = math.sqrt(sum(w * w for w in vector.values()))
        scored = [
            self._score(subject, vector, subject_norm, key, weights=weights) for key in candidates
        ]
        good = [match for match in scored if match.score >= min_score]
        # Ties broken by key, so the order is the same on every run and every database.
        best = heapq.nsmallest(limit, good, key=lambda m: (-m.score, m.key))
        forms = surface_forms(subject)
        return [
            self._explain(subject, vector, match, weights=weights, forms=forms) for match in best
        ]

    def compare(
        self, subject: CaseFeatures, other: CaseFeatures, *, weights: Weights | None = None
    ) -> Match:
        """Score one pair, `other` being in the corpus (or added for the occasion)."""
        weights = weights or self.weights
        if other.key not in self._docs:
            self.add(other)
        vector = self._vector(term_counts(subject, weights=self.weights))
        norm = math.sqrt(sum(w * w for w in vector.values()))
        match = self._score(subject, vector, norm, other.key, weights=weights)
        return self._explain(subject, vector, match, weights=weights, forms=surface_forms(subject))

    def _candidates(
        self,
        subject: CaseFeatures,
        vector: Mapping[str, float],
        *,
        weights: Weights,
        excluded: set[str],
    ) -> list[str]:
        """Cases sharing a distinctive word or a specific code, the likeliest RERANK of them."""
        rough: dict[str, float] = defaultdict(float)
        distinctive = heapq.nlargest(
            CANDIDATE_TERMS,
            (term for term in vector if term in self._term_df),
            key=lambda term: (vector[term], term),
        )
        # Rarest first, within a budget of postings read: the work stays bounded however large
        # the library, and a word every case has is only read when nothing rarer was shared.
        budget = CANDIDATE_POSTINGS
        for term in sorted(distinctive, key=lambda term: (self._term_df[term], term)):
            postings = self._term_postings[term]
            if len(postings) > budget and rough.keys() - excluded:
                break
            budget -= len(postings)
            gain = vector[term] * self.idf(term)
            for key in postings:
                rough[key] += gain
        for dimension in CANDIDATE_DIMENSIONS:
            weight = weights.codes.get(dimension, 0.0)
            if not weight:
                continue
            for code in subject.filled(dimension):
                postings = self._code_postings.get((dimension, code), set())
                if len(postings) > CANDIDATE_POSTINGS:
                    continue
                # On the scale of the word gains above (a rare shared word gains about 20).
                gain = 20 * weight * self.rarity(dimension, code)
                for key in postings:
                    rough[key] += gain
        for key in excluded:
            rough.pop(key, None)
        return [
            key for key, _ in heapq.nlargest(RERANK, rough.items(), key=lambda kv: (kv[1], kv[0]))
        ]

    def _score(
        self,
        subject: CaseFeatures,
        vector: Mapping[str, float],
        subject_norm: float,
        key: str,
        *,
        weights: Weights,
    ) -> Match:
        doc = self._docs[key]
        text_score = 0.0
        norm = self._norm(doc)
        if subject_norm and norm:
            tf = doc.tf
            # Sorted: the same additions in the same order, so the same score in every process.
            shared = sorted(vector.keys() & tf.keys())
            dot = sum(vector[term] * tf[term] * self.idf(term) for term in shared)
            text_score = dot / (subject_norm * norm)
        code_score = 0.0
        for dimension in sorted(subject.codes.keys() & doc.features.codes.keys()):
            weight = weights.codes.get(dimension, 0.0)
            if not weight:
                continue
            overlap = self._overlap(subject, doc.features, dimension)
            if overlap is None:
                continue
            if overlap > 0:
                code_score += weight * overlap
            else:
                code_score -= weight * weights.mismatch_penalty
        code_score *= weights.code_scale
        return Match(
            key=key,
            score=round(text_score + code_score, 6),
            text_score=round(text_score, 6),
            code_score=round(code_score, 6),
        )

    def _overlap(self, a: CaseFeatures, b: CaseFeatures, dimension: str) -> float | None:
        """None when either side left the dimension blank: unknown is not a match, nor a miss."""
        mine, theirs = a.filled(dimension), b.filled(dimension)
        if not mine or not theirs:
            return None
        shared = mine & theirs
        return sum(self.rarity(dimension, code) for code in shared) / math.sqrt(
            len(mine) * len(theirs)
        )

    def _explain(
        self,
        subject: CaseFeatures,
        vector: Mapping[str, float],
        match: Match,
        *,
        weights: Weights,
        forms: Mapping[str, str],
    ) -> Match:
        doc = self._docs[match.key]
        reasons: list[tuple[float, Reason]] = []
        for dimension, weight in weights.codes.items():
            shared = subject.filled(dimension) & doc.features.filled(dimension)
            if not shared or not weight:
                continue
            ordered = sorted(shared, key=lambda code: (-self.rarity(dimension, code), code))
            labels = self.labels.get(dimension, {})
            reasons.append(
                (
                    weight * max(self.rarity(dimension, code) for code in shared),
                    Reason(kind=dimension, labels=tuple(labels.get(c, c) for c in ordered)),
                )
            )
        reasons.sort(key=lambda pair: -pair[0])
        result = [reason for _, reason in reasons]
        shared_words = self._shared_words(vector, doc, forms)
        if shared_words:
            result.append(Reason(kind="words", labels=shared_words))
        return replace(match, reasons=tuple(result))

    def _shared_words(
        self, vector: Mapping[str, float], doc: _Doc, forms: Mapping[str, str]
    ) -> tuple[str, ...]:
        contributions = sorted(
            (
                (-(weight * doc.tf[term] * self.idf(term)), term)
                for term, weight in vector.items()
                if term in doc.tf
            ),
        )
        chosen: list[str] = []
        covered: set[str] = set()
        for _, term in contributions:
            parts = term.split(" ")
            # "council tax" says "council" and "tax" already; a word already said needs no pair.
            if all(part in covered for part in parts):
                continue
            if len(parts) == 1 and any(term in chosen_term.split(" ") for chosen_term in chosen):
                continue
            chosen = [c for c in chosen if not (len(parts) == 2 and c in parts)]
            chosen.append(term)
            covered.update(parts)
            if len(chosen) >= MAX_WORD_REASONS:
                break
        return tuple(forms.get(term, term) for term in chosen)


def _code_pairs(features: CaseFeatures) -> set[tuple[str, str]]:
    return {
        (dimension, code) for dimension in features.codes for code in features.filled(dimension)
    }
