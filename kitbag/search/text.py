"""Query parsing, scoring, highlighting and snippets: pure Python, no Django, same on every database.

Both backends only decide *which* documents match. Everything a person sees (order, scores,
highlighted titles, snippets) is computed here from the stored text, so SQLite and PostgreSQL give
identical results for identical matched sets (docs/decisions/0012-search.md).
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# PostgreSQL's english.stop, word for word. A query word PostgreSQL would silently drop must be
# dropped for SQLite too, or FTS5 would demand a word PostgreSQL ignores and the backends would
# match different documents.
_POSTGRES_ENGLISH_STOP = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing a an the and
but if or because as until while of at by for with about against between into through during
before after above below to from up down in out on off over under again further then once here
there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now
"""
STOPWORDS = frozenset(_POSTGRES_ENGLISH_STOP.split())

# Bounds on what one query may ask of the database, whatever is typed or pasted.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12

# Title matters most, then the lower-weight "extra" text (tags, organisation names), then the body.
FIELD_WEIGHTS = {"title": 10.0, "extra": 4.0, "body": 1.0}
BM25_K1 = 1.2
BM25_B = 0.75
SNIPPET_WORDS = 30

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUOTED = re.compile(r'"([^"]*)"')


def fold(text: str) -> str:
    """Lower case without diacritics, so 'Ynys Môn' and 'ynys mon' are the same words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Folded words of a text, in order; what both backends' tokenizers roughly agree on."""
    return _WORD.findall(fold(text))


def is_indexable(word: str) -> bool:
    # Only ASCII letters and digits reach SQL: the terms are then safe inside an FTS5 string or a
    # tsquery lexeme, and single letters (PostgreSQL keeps some, FTS5 keeps all) cannot differ.
    return len(word) > 1 and word.isascii() and word.isalnum() and word not in STOPWORDS


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripper for scoring and highlighting only; the databases stem for matching."""
    for suffix, replacement, min_length in (
        ("ies", "y", 5),
        ("sses", "ss", 6),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_length and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class ParsedQuery:
    """What a person asked for: every term must match; phrases must also appear in order."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    # The last word, when typed without a trailing space, also matches words it begins.
    prefix: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.terms and self.prefix is None

    def all_words(self) -> tuple[str, ...]:
        return self.terms + ((self.prefix,) if self.prefix else ())


def parse_query(raw: str) -> ParsedQuery:
    """Turn whatever was typed into words; every search syntax character is simply dropped."""
    text = raw[:MAX_QUERY_CHARS]
    phrases: list[tuple[str, ...]] = []
    for quoted in _QUOTED.findall(text):
        phrase = tuple(w for w in words(quoted) if is_indexable(w))
        if len(phrase) > 1:
            phrases.append(phrase)
    # An unbalanced quote is just a character: the words after it are ordinary terms.
    ends_in_word = bool(text) and text[-1].isalnum() and text.count('"') % 2 == 0
    all_terms = [w for w in words(text) if is_indexable(w)]
    terms: list[str] = []
    for term in all_terms:
        if term not in terms:
            terms.append(term)
    terms = terms[:MAX_TERMS]
    prefix = None
    if ends_in_word and all_terms and words(text)[-1] == all_terms[-1]:
        last = all_terms[-1]
        # A word that is also typed elsewhere in full is not a prefix.
        if all_terms.count(last) == 1 and last in terms:
            terms.remove(last)
            prefix = last
    return ParsedQuery(terms=tuple(terms), phrases=tuple(phrases), prefix=prefix)


def _matches(token: str, query: ParsedQuery) -> bool:
    return any(
        _word_matches(token, word, is_prefix=word == query.prefix) for word in query.all_words()
    )


def contains_phrases(texts: Sequence[str], query: ParsedQuery) -> bool:
    """True when every quoted phrase appears, word after word, in one of the texts."""
    for phrase in query.phrases:
        wanted = [stem(w) for w in phrase]
        found = False
        for text in texts:
            tokens = [stem(w) for w in words(text) if is_indexable(w)]
            if any(
                tokens[i : i + len(wanted)] == wanted for i in range(len(tokens) - len(wanted) + 1)
            ):
                found = True
                break
        if not found:
            return False
    return True


@dataclass
class FieldStats:
    """Average field lengths over the matched set, for BM25's length normalisation."""

    average_length: dict[str, float] = field(default_factory=dict)

    @classmethod
    def over(cls, documents: Sequence[dict[str, str]]) -> FieldStats:
        averages = {}
        for name in FIELD_WEIGHTS:
            lengths = [len(words(doc[name])) for doc in documents]
            averages[name] = (sum(lengths) / len(lengths)) if lengths else 0.0
        return cls(average_length=averages)


def _word_matches(token: str, query_word: str, *, is_prefix: bool) -> bool:
    if stem(token) == stem(query_word):
        return True
    return is_prefix and token.startswith(query_word)


def score(document: dict[str, str], query: ParsedQuery, stats: FieldStats) -> float:
    """BM25 per field, weighted by field; rounded so that equal scores are exactly equal."""
    total = 0.0
    for name, weight in FIELD_WEIGHTS.items():
        tokens = words(document[name])
        if not tokens:
            continue
        average = stats.average_length.get(name) or 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * len(tokens) / average)
        for query_word in query.all_words():
            is_prefix = query_word == query.prefix
            frequency = sum(
                1 for token in tokens if _word_matches(token, query_word, is_prefix=is_prefix)
            )
            if frequency:
                total += weight * frequency * (BM25_K1 + 1) / (frequency + norm)
    return round(total, 6) if math.isfinite(total) else 0.0


_SPLIT = re.compile(r"([^\W_]+)", re.UNICODE)


def highlight(text: str, query: ParsedQuery) -> str:
    """HTML-escaped text with <mark> around matched words; safe to mark safe in a template."""
    parts = _SPLIT.split(text)
    out = []
    for i, part in enumerate(parts):
        # split() with one group puts the words at odd positions.
        if i % 2 == 1 and is_indexable(fold(part)) and _matches(fold(part), query):
            out.append(f"<mark>{html.escape(part)}</mark>")
        else:
            out.append(html.escape(part))
    return "".join(out)


def snippet(document: dict[str, str], query: ParsedQuery, *, length: int = SNIPPET_WORDS) -> str:
    """About `length` words around the most matches in the body (or extra), highlighted."""
    best_text, best_start, best_hits = "", 0, -1
    for name in ("body", "extra"):
        chunks = document[name].split()
        if not chunks:
            continue
        hits = [
            any(_matches(w, query) for w in words(chunk) if is_indexable(w)) for chunk in chunks
        ]
        for start in range(max(1, len(chunks) - length + 1)):
            count = sum(hits[start : start + length])
            if count > best_hits:
                best_text, best_start, best_hits = document[name], start, count
        if best_hits > 0:
            break
    chunks = best_text.split()
    window = chunks[best_start : best_start + length]
    text = " ".join(window)
    if best_start > 0:
        text = "… " + text
    if best_start + length < len(chunks):
        text = text + " …"
    return highlight(text, query)
