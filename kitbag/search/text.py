"""Query parsing, scoring, highlighting and snippets: pure Python, no Django, same on every database.

Both backends only decide *which* documents match. Everything a person sees (order, scores,
highlighted titles, snippets) is computed here from the stored text, so SQLite and PostgreSQL give
identical results for identical matched sets (docs/decisions/0012-search.md).
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import Stemmer

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

SNIPPET_WORDS = 30

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUOTED = re.compile(r'"([^"]*)"')


def fold(text: str) -> str:
    """Lower case without diacritics, so 'Ynys Môn' and 'ynys mon' are the same words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Folded words of a text, in order; what both backends' tokenizers roughly agree on."""
    return _WORD.findall(fold(text))


def is_indexable(word: str) -> bool:
    # Only ASCII letters and digits reach SQL: the terms are then safe inside an FTS5 string or a
    # tsquery lexeme, and single letters (PostgreSQL keeps some, FTS5 keeps all) cannot differ.
    return (
        len(word) > 1
        and word.isascii()
        and word.isalnum()
        and word not in STOPWORDS
        and not is_facet_token(word)
    )


# A facet value's word in the text index: letters then digits only, so that neither database's
# stemmer or parser changes it, and in a shape no real word has.
_FACET_TOKEN = re.compile(r"zf[0-9]{20}")

# Facet filters as the text index reads them: AND across facets, OR within one.
FacetFilter = tuple[tuple[str, ...], ...]


def facet_token(name: str, value: str) -> str:
    """The word standing for one facet value (name and value) in the text index, where the
    database intersects it with the query's words before anything is listed or ranked."""
    digest = hashlib.blake2b(f"{name}\x1f{value}".encode(), digest_size=8).digest()
    return f"zf{int.from_bytes(digest, 'big'):020d}"


def is_facet_token(word: str) -> bool:
    return _FACET_TOKEN.fullmatch(word) is not None


def facet_tokens(facets: Mapping[str, Sequence[str]]) -> str:
    """A document's facet words, for the text index's facet column, sorted."""
    return " ".join(
        sorted(facet_token(name, value) for name, values in facets.items() for value in values)
    )


def facet_filter(filters: Mapping[str, Sequence[str]] | None) -> FacetFilter:
    """Filters as facet words: one group per facet given values (any of a group may match, every
    group must), in a fixed order; a facet given no values does not restrict."""
    groups = []
    for name, values in sorted((filters or {}).items()):
        wanted = sorted({facet_token(name, str(value)) for value in values})
        if wanted:
            groups.append(tuple(wanted))
    return tuple(groups)


_STEMMERS = threading.local()


@functools.lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """The Snowball English stemmer, PostgreSQL's own, so ranking and highlights agree with what
    PostgreSQL matched and come close to FTS5's Porter stemmer (docs/decisions/0015)."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        # One per thread: a Stemmer keeps state between calls.
        stemmer = _STEMMERS.english = Stemmer.Stemmer("english")
    return str(stemmer.stemWord(word))


@dataclass(frozen=True)
class Alternative:
    """One way a concept may appear in a text: a word, a run of words, or a word's beginning."""

    words: tuple[str, ...]
    # 1 for what was typed (or a spelling of it), less for a synonym or a part of a phrase.
    weight: float = 1.0
    is_prefix: bool = False
    # Ranking looks alternatives up in dicts tens of times per document: hashing the fields
    # afresh each time was a tenth of a search's time at scale, under the profiler.
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.words, self.weight, self.is_prefix)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True)
class ParsedQuery:
    """What a person asked for: its words, quoted phrases (which must appear in order), and the
    concepts those words stand for, each with the synonyms and spellings that also count."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    # The last word, when typed without a trailing space, also matches words it begins.
    prefix: str | None = None
    # One entry per idea in the query, in the order typed; a document matches a concept when it
    # contains any of its alternatives. Empty only when the query is.
    concepts: tuple[tuple[Alternative, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.terms and self.prefix is None

    def all_words(self) -> tuple[str, ...]:
        return self.terms + ((self.prefix,) if self.prefix else ())

    def alternatives(self) -> tuple[Alternative, ...]:
        """Every alternative of every concept, once each, in a stable order."""
        seen: dict[Alternative, None] = {}
        for concept in self.concepts:
            for alternative in concept:
                seen.setdefault(alternative, None)
        return tuple(seen)


def parse_query(raw: str, *, synonyms: SynonymTable | None = None) -> ParsedQuery:
    """Turn whatever was typed into words; every search syntax character is simply dropped.
    `synonyms` defaults to the built-in groups (queries.search adds the stored one-way pairs)."""
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
    typed = [t for t in all_terms if t in terms or t == prefix]
    return ParsedQuery(
        terms=tuple(terms),
        phrases=tuple(phrases),
        prefix=prefix,
        concepts=concepts_of(_dedupe(typed), prefix=prefix, synonyms=synonyms),
    )


def _dedupe(items: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# How many answers a marker keeps of each kind before it starts again.
_MARKER_KEEPS = 20000


_Answer = TypeVar("_Answer")


def _remember(kept: dict[str, _Answer], key: str, value: _Answer) -> _Answer:
    if len(kept) >= _MARKER_KEEPS:
        kept.clear()
    kept[key] = value
    return value


@functools.lru_cache(maxsize=32)
def _marker(query: ParsedQuery) -> _Marker:
    return _Marker(query)


class _Marker:
    """Which words of a text to mark for a query: its words' stems, synonyms included."""

    def __init__(self, query: ParsedQuery) -> None:
        stems = {stem(w) for w in query.all_words()}
        prefixes = [query.prefix] if query.prefix else []
        for alternative in query.alternatives():
            stems.update(stem(w) for w in alternative.words)
            if alternative.is_prefix:
                prefixes.extend(alternative.words)
        self.stems = frozenset(stems)
        self.prefixes = tuple(dict.fromkeys(prefixes))
        # Answers already worked out: a page's twenty snippets and forty highlights meet the same
        # words again and again, and a marker is kept for the query's next search too.
        self._chunks: dict[str, int] = {}
        self._parts: dict[str, bool] = {}

    def __bool__(self) -> bool:
        # False for an empty query: nothing to mark.
        return bool(self.stems or self.prefixes)

    def __call__(self, token: str) -> bool:
        return stem(token) in self.stems or any(token.startswith(p) for p in self.prefixes)

    def chunk_hits(self, chunk: str) -> int:
        """any_in, remembered."""
        found = self._chunks.get(chunk)
        if found is None:
            found = _remember(self._chunks, chunk, self.any_in(chunk))
        return found

    def marks(self, part: str) -> bool:
        """Whether highlight marks this word of a text, remembered."""
        found = self._parts.get(part)
        if found is None:
            folded = fold(part)
            found = _remember(self._parts, part, is_indexable(folded) and self(folded))
        return found

    def any_in(self, chunk: str) -> int:
        """1 if any indexable word of a piece of text is marked: what snippets count, word by
        word through whole bodies, so written for speed (the same tests as __call__)."""
        stems, prefixes = self.stems, self.prefixes
        for word in _WORD.findall(chunk.lower() if chunk.isascii() else fold(chunk)):
            if (
                len(word) > 1
                and word not in STOPWORDS
                and word.isascii()
                and word.isalnum()
                and (stem(word) in stems or (prefixes and word.startswith(prefixes)))
            ):
                return 1
        return 0


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


_SPLIT = re.compile(r"([^\W_]+)", re.UNICODE)


def highlight(text: str, query: ParsedQuery) -> str:
    """HTML-escaped text with <mark> around matched words; safe to mark safe in a template."""
    marked = _marker(query)
    if not marked:
        return html.escape(text)
    parts = _SPLIT.split(text)
    out = []
    # Unmarked text is escaped a run at a time: escaping works character by character.
    unmarked_from = 0
    # split() with one group puts the words at odd positions.
    for i in range(1, len(parts), 2):
        if marked.marks(parts[i]):
            out.append(html.escape("".join(parts[unmarked_from:i])))
            out.append(f"<mark>{html.escape(parts[i])}</mark>")
            unmarked_from = i + 1
    out.append(html.escape("".join(parts[unmarked_from:])))
    return "".join(out)


def snippet(document: dict[str, str], query: ParsedQuery, *, length: int = SNIPPET_WORDS) -> str:
    """About `length` words around the most matches in the body (or extra), highlighted."""
    best_text, best_start, best_hits = "", 0, -1
    marked = _marker(query)
    for name in ("body", "extra"):
        chunks = document[name].split()
        if not chunks:
            continue
        if not marked:
            best_text, best_start = document[name], 0
            break
        hits = [marked.chunk_hits(chunk) for chunk in chunks]
        # The window's count, moved along one word at a time.
        count = sum(hits[:length])
        for start in range(max(1, len(chunks) - length + 1)):
            if start:
                count += hits[start + length - 1] - hits[start - 1]
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


# --- Synonyms, spellings and ranking -------------------------------------------------------------

# Words and phrases officers use for the same thing, in UK public-service language and in the
# language of the cases they search (much of it written in US English or by other countries).
# Each group is a set of interchangeable alternatives, written as folded words; a query that
# contains any member (as consecutive words) also finds the others. Acronyms live here too: "asb"
# finds "anti social behaviour" and the reverse. Keep groups tight: a member must mean the same
# as the others wherever it appears, or it will drag in noise for every query that uses the group.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("ai", "artificial intelligence"),
    ("ml", "machine learning"),
    ("nlp", "natural language processing"),
    ("llm", "large language model", "generative ai", "genai", "gpt"),
    ("ocr", "optical character recognition", "text recognition"),
    ("rpa", "robotic process automation", "software robot"),
    ("iot", "internet of things"),
    ("dlt", "distributed ledger", "blockchain"),
    (
        "chatbot",
        "chat bot",
        "virtual assistant",
        "digital assistant",
        "virtual agent",
        "conversational agent",
        "conversational ai",
        "voicebot",
        "voice assistant",
        "webchat",
        "virtual clerk",
    ),
    ("asb", "anti social behaviour", "antisocial behaviour", "nuisance"),
    ("fly tipping", "flytipping", "illegal dumping", "dumped rubbish", "dumped waste"),
    ("litter", "rubbish", "garbage", "trash"),
    ("bin", "waste container", "refuse container"),
    ("bin collection", "waste collection", "refuse collection", "rubbish collection"),
    ("gp", "general practice", "general practitioner", "primary care", "health centre"),
    ("gp surgery", "gp practice", "general practice", "medical centre", "doctors surgery"),
    ("nhs", "national health service"),
    ("emergency department", "accident and emergency"),
    ("anpr", "number plate recognition", "licence plate recognition", "plate recognition"),
    ("cctv", "video surveillance", "surveillance camera"),
    ("facial recognition", "face recognition"),
    ("id", "identity"),
    ("eid", "electronic identity", "digital identity", "digital id"),
    ("translate", "translation", "machine translation"),
    ("transcription", "transcribe", "speech recognition", "speech to text"),
    ("self driving", "autonomous", "driverless"),
    ("traffic light", "traffic signal"),
    ("planning application", "building permit", "construction application", "planning permission"),
    ("jobseeker", "job seeker", "unemployed"),
    ("dropout", "school dropout", "early school leaver"),
    ("neet", "not in education employment or training"),
    ("send", "special educational needs"),
    ("pothole", "road damage", "road defect"),
    ("email", "mail", "correspondence"),
    ("social care", "social services", "care services"),
    ("older people", "elderly", "older adults", "senior citizens"),
    ("safeguarding", "child protection"),
    ("looked after children", "children in care"),
    ("benefit", "welfare", "social assistance", "social security"),
    ("benefit fraud", "welfare fraud"),
    ("council", "municipality", "local authority", "city council", "local government"),
    ("council tax", "local tax", "municipal tax", "property tax"),
    ("police", "policing", "law enforcement"),
    ("procurement", "purchasing", "tendering"),
    ("waiting list", "waiting time", "queue"),
    ("asylum seeker", "refugee"),
    ("qualification", "diploma", "degree certificate", "credential"),
    ("covid", "coronavirus", "sars cov"),
    ("recruitment", "hiring", "recruiting"),
    ("air quality", "air pollution"),
    ("flood", "flooding"),
    ("homeless", "homelessness", "rough sleeping", "rough sleeper"),
    ("tenant", "tenancy", "social housing"),
    ("dwp", "department for work and pensions"),
    ("hmrc", "revenue and customs", "tax authority", "tax administration"),
    ("dvla", "driver and vehicle licensing agency"),
    ("ev", "electric vehicle"),
    ("cv", "curriculum vitae", "resume"),
    ("fraud", "fraudulent"),
    ("case law", "jurisprudence", "court decisions", "court rulings"),
    ("minutes", "verbatim report", "transcript"),
    ("land registry", "land register", "cadastre", "cadaster"),
    ("dementia", "alzheimer"),
)

# A synonym or acronym found counts a little less than the word typed, so a case in the typed
# words leads a case in other words of the same meaning.
SYNONYM_WEIGHT = 0.8
# One word of a phrase found alone ("tax" for "council tax") counts for much less.
PART_WEIGHT = 0.4

# British spellings typed against American ones written (and back): the ending, and what it may
# also be. A variant that is no word at all matches nothing and costs nothing.
_SPELLINGS = (
    (re.compile(r"is(e|ed|es|ing|er|ers|ation|ations)$"), r"iz\1"),
    (re.compile(r"iz(e|ed|es|ing|er|ers|ation|ations)$"), r"is\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|hood|hoods|al)?$"), r"or\1"),
    (re.compile(r"(?<=[^aeiou])re(s)?$"), r"er\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"programme(s)?$"), r"program\1"),
    (re.compile(r"([aeiou])ll(ing|ed|er|ers)$"), r"\1l\2"),
    (re.compile(r"ageing$"), "aging"),
)

# BM25F: each field's term counts are weighted and length-normalised, then saturated together.
FIELD_WEIGHTS = {"title": 4.0, "extra": 1.5, "body": 1.0}
FIELD_B = {"title": 0.5, "extra": 0.75, "body": 0.75}
# Typical field lengths in words, fixed so that a score never depends on what else matched.
AVERAGE_LENGTH = {"title": 8.0, "extra": 20.0, "body": 90.0}
BM25_K1 = 1.2
# Documents matching more of a query's concepts lead those matching fewer: the score is multiplied
# by (share of the query's IDF matched) to this power. BM25's sum already favours them; a mild
# power measured best (docs/decisions/0015: 2 and above cost nDCG on held-out queries).
COORDINATION_POWER = 0.5
# Every concept found in the title: the case is about exactly that.
TITLE_ALL_CONCEPTS_BOOST = 1.3
# Typed words found side by side, as typed: up to this much more when every pair is.
ADJACENCY_BOOST = 0.3


def _variants(word: str) -> list[str]:
    found = []
    for pattern, replacement in _SPELLINGS:
        variant = pattern.sub(replacement, word)
        if variant != word and variant not in found:
            found.append(variant)
    return found


def _member_words(member: str) -> tuple[str, ...]:
    # As a query is parsed: stop words ("and", "to") never reach the database or the ranking.
    return tuple(w for w in member.split() if is_indexable(w))


@dataclass(frozen=True, eq=False)
class SynonymTable:
    """What each known word or phrase (as stems) also stands for, and how to spell each for the
    database. Built from SYNONYM_GROUPS, whose members all stand for one another, and from
    one-way pairs ("potholes" finds "road maintenance", not the reverse) such as the former
    names of LGSL services (SearchSynonym rows, decision 0036)."""

    # Stems of a member -> stems of every member it finds, itself included.
    index: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]
    # Stems of a member -> its words as first written: the database stems for itself.
    member_words: Mapping[tuple[str, ...], tuple[str, ...]]
    longest: int

    @classmethod
    def build(
        cls,
        groups: Sequence[Sequence[str]],
        one_way: Sequence[tuple[str, str]] = (),
    ) -> SynonymTable:
        index: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        member_words: dict[tuple[str, ...], tuple[str, ...]] = {}

        def stems_of(member: str) -> tuple[str, ...]:
            # As typed words are read: folded ("Potholes" as "potholes"), split, no stop words.
            words_of = _member_words(" ".join(words(member)))
            stems = tuple(stem(w) for w in words_of)
            # Members that stem alike ("robotic", "robot") are one alternative, as first written.
            member_words.setdefault(stems, words_of)
            return stems

        for group in groups:
            members = tuple(m for m in (stems_of(member) for member in group) if m)
            for member in members:
                # A member in two groups finds the members of both.
                index[member] = tuple(dict.fromkeys(index.get(member, ()) + members))
        for phrase, means in one_way:
            typed, found = stems_of(phrase), stems_of(means)
            if typed and found and typed != found:
                index[typed] = tuple(dict.fromkeys(index.get(typed, (typed,)) + (found,)))
        return cls(
            index=index,
            member_words=member_words,
            longest=max((len(member) for member in index), default=1),
        )


BUILTIN_SYNONYMS = SynonymTable.build(SYNONYM_GROUPS)


@functools.lru_cache(maxsize=8)
def synonym_table(one_way: tuple[tuple[str, str], ...]) -> SynonymTable:
    """The built-in groups with these one-way pairs, built once per set of pairs."""
    return SynonymTable.build(SYNONYM_GROUPS, one_way) if one_way else BUILTIN_SYNONYMS


def concepts_of(
    typed: Sequence[str], *, prefix: str | None, synonyms: SynonymTable | None = None
) -> tuple[tuple[Alternative, ...], ...]:
    """Group the typed words into concepts, each with its synonyms and spellings.

    The longest run of consecutive typed words that is a synonym group member becomes one concept
    ("fly tipping", "council tax"); every other word is a concept of its own. Only indexable words
    arrive here, so every alternative is ASCII letters and digits.
    """
    table = synonyms or BUILTIN_SYNONYMS
    stems = [stem(w) for w in typed]
    concepts: list[tuple[Alternative, ...]] = []
    i = 0
    while i < len(typed):
        for size in range(min(table.longest, len(typed) - i), 0, -1):
            run = tuple(stems[i : i + size])
            if run in table.index:
                words_typed = tuple(typed[i : i + size])
                alternatives = [Alternative(words_typed)]
                # A last word typed without a space may still be growing ("ai" on the way to
                # "aid"); alone, it keeps its prefix match beside its synonyms.
                if size == 1 and typed[i] == prefix:
                    alternatives.append(Alternative(words_typed, is_prefix=True))
                for member in table.index[run]:
                    if member != run:
                        alternatives.append(Alternative(table.member_words[member], SYNONYM_WEIGHT))
                # "council tax" is also partly about tax: each word alone counts for a little.
                if size > 1:
                    alternatives += [
                        Alternative((w,), PART_WEIGHT, is_prefix=w == prefix) for w in words_typed
                    ]
                concepts.append(tuple(dict.fromkeys(alternatives)))
                i += size
                break
        else:
            word = typed[i]
            alternatives = [Alternative((word,), is_prefix=word == prefix)]
            alternatives += [
                Alternative((variant,), is_prefix=word == prefix) for variant in _variants(word)
            ]
            concepts.append(tuple(dict.fromkeys(alternatives)))
            i += 1
    return tuple(concepts)


_FIELDS = ("title", "extra", "body")


def terms_of(document: dict[str, str]) -> str:
    """What SearchDocument.terms holds: each field's folded words without stop words, a line each,
    then the same words stemmed, a line each, padded as Scorable reads them (stemming is what
    ranking would otherwise spend its time on)."""
    lines = [
        " ".join(w for w in words(document[name]) if len(w) > 1 and w not in STOPWORDS)
        for name in _FIELDS
    ]
    return "\n".join(
        [*lines, *(_padded(" ".join(stem(w) for w in line.split())) for line in lines)]
    )


def token_lines(terms: str) -> list[str]:
    """The unstemmed word lines of SearchDocument.terms, one per field."""
    return terms.split("\n")[: len(_FIELDS)]


@functools.lru_cache(maxsize=4096)
def _stems_of(alternative: Alternative) -> tuple[str, ...]:
    return tuple(stem(w) for w in alternative.words)


def inverse_document_frequency(*, matching: int, total: int) -> float:
    return math.log(1 + (total - matching + 0.5) / (matching + 0.5))


Counts = dict[Alternative, dict[str, int]]


class _Prepared:
    """A query's alternatives with their stems worked out once, for counting in many documents."""

    def __init__(self, query: ParsedQuery) -> None:
        self.alternatives = [(a, _stems_of(a)) for a in query.alternatives()]
        # The typed words of neighbouring concepts: the last of one, the first of the next.
        typed = [concept[0].words for concept in query.concepts]
        self.pairs = [
            (stem(left[-1]), stem(right[0])) for left, right in zip(typed, typed[1:], strict=False)
        ]
        # What Scorable counts: stems with two spaces between (so that neighbouring matches are
        # each counted), and the typed prefix after one space.
        self.patterns = [
            (a, " " + "  ".join(stems) + " ", " " + a.words[0] if a.is_prefix else "")
            for a, stems in self.alternatives
        ]
        self.pair_patterns = [f" {first}  {second} " for first, second in self.pairs]


def prepare(query: ParsedQuery) -> _Prepared:
    return _Prepared(query)


class Ranking:
    """BM25F over a query's concepts, times coordination, with the document frequencies fixed.

    What depends on the query alone (each concept's importance, each alternative's IDF) is
    worked out once here, not again for each of the thousand documents a search may rank.
    """

    def __init__(
        self,
        query: ParsedQuery,
        idf: dict[Alternative, float],
        *,
        absent_importance: float = 0.0,
    ) -> None:
        self.concepts = [
            (
                # A concept weighs what its rarest way of being said weighs: missing "documents"
                # from "translate documents" costs little, missing "translate" costs a lot.
                max((idf.get(alternative, 0.0) for alternative in concept), default=0.0),
                [(alternative, idf.get(alternative, 0.0)) for alternative in concept],
            )
            for concept in query.concepts
        ]
        # For `covered` alone: a concept no document contains weighs what a word found nowhere
        # would (the score leaves it out, since it can favour no document over another).
        self.coverage_weights = [
            importance if importance > 0 else absent_importance for importance, _ in self.concepts
        ]

    def covered(self, counts: Counts) -> float:
        """The share of the query's weight that the document contains, 0 to 1: how much of
        what was asked its words can speak for. A document holding only the commonest word of
        a long question covers little of it, however well it scores against the others."""
        possible = sum(self.coverage_weights)
        if not possible:
            return 0.0
        held = sum(
            weight
            for weight, (_, alternatives) in zip(self.coverage_weights, self.concepts, strict=True)
            if any(counts.get(alternative) for alternative, _ in alternatives)
        )
        return held / possible

    def score(
        self, counts: Counts, lengths: dict[str, int], adjacent_pairs: int = 0
    ) -> tuple[float, int]:
        """The document's score, and how many concepts matched.

        A concept scores through its best alternative, so a synonym never adds to the word it
        stands for. Rounded so that equal scores are exactly equal on every machine.
        """
        if not self.concepts or not counts:
            return 0.0, 0
        norms = {
            name: 1 - FIELD_B[name] + FIELD_B[name] * length / AVERAGE_LENGTH[name]
            for name, length in lengths.items()
        }
        total = 0.0
        matched = 0
        coverage = 0.0
        possible = 0.0
        in_title = 0
        for importance, alternatives in self.concepts:
            possible += importance
            best = 0.0
            best_weight = 0.0
            title_hit = False
            for alternative, alternative_idf in alternatives:
                found = counts.get(alternative)
                if not found:
                    continue
                weighted = 0.0
                for name, count in found.items():
                    weighted += FIELD_WEIGHTS[name] * count / norms[name]
                title_hit = title_hit or ("title" in found and alternative.weight > PART_WEIGHT)
                value = alternative_idf * weighted * (BM25_K1 + 1) / (weighted + BM25_K1)
                value *= alternative.weight
                best = max(best, value)
                best_weight = max(best_weight, alternative.weight)
            if best:
                matched += 1
                coverage += min(1.0, best_weight) * importance
                total += best
                in_title += title_hit
        if possible:
            total *= (coverage / possible) ** COORDINATION_POWER
        concepts = len(self.concepts)
        if concepts > 1 and in_title == concepts:
            total *= TITLE_ALL_CONCEPTS_BOOST
        if adjacent_pairs:
            total *= 1 + ADJACENCY_BOOST * adjacent_pairs / (concepts - 1)
        return (round(total, 6) if math.isfinite(total) else 0.0), matched


def _padded(stems_line: str) -> str:
    """Stems with two spaces between and one at each end: " a  b " (Scorable counts in it)."""
    return " " + stems_line.replace(" ", "  ") + " " if stems_line else ""


class Scorable:
    """A document's terms as the ranking reads them when it ranks many documents: each field's
    stems as one padded string (stored so in SearchDocument.terms), so counting a query's words
    is substring counting, done in C, with nothing copied or split per word.

    An alternative of several words counts where its stems stand in a row; a run of one word
    repeated ("bin bin") counts once per pair of them.
    """

    __slots__ = ("lengths", "stems", "stems_block", "tokens")

    def __init__(self, terms: str) -> None:
        lines = terms.split("\n")
        size = len(_FIELDS)
        tokens = lines[:size] + [""] * (size - len(lines[:size]))
        if len(lines) == 2 * size:
            stems = lines[size:]
            if any(line and line[0] != " " for line in stems):
                # Stems stored one space apart, as written on 2026-12-01 before padding.
                stems = [_padded(line) for line in stems]
        else:
            # Terms written before stems were stored beside the words.
            stems = [_padded(" ".join(stem(w) for w in line.split())) for line in tokens]
        self.tokens = tokens
        self.stems = stems
        # Every field at once, to rule out an alternative with one search rather than three:
        # most of a query's alternatives (its synonyms, spellings) are in no field at all.
        self.stems_block = "\n".join(stems)
        self.lengths = {
            name: line.count("  ") + 1 if line else 0
            for name, line in zip(_FIELDS, stems, strict=True)
        }

    def counts(self, prepared: _Prepared) -> Counts:
        counts: Counts = {}
        spaced: list[str] | None = None
        for alternative, pattern, prefix in prepared.patterns:
            by_stem = pattern in self.stems_block
            if prefix:
                # Words beginning with what was typed; a word sharing only the stem
                # ("policy" for "policies") is counted through the stem instead.
                if spaced is None:
                    spaced = [" " + line for line in self.tokens]
                if not by_stem and not any(prefix in line for line in spaced):
                    continue
            elif not by_stem:
                continue
            for index, name in enumerate(_FIELDS):
                n = self.stems[index].count(pattern) if by_stem else 0
                if prefix and spaced is not None:
                    n = max(spaced[index].count(prefix), n)
                if n:
                    counts.setdefault(alternative, {})[name] = n
        return counts

    def adjacent_pairs(self, prepared: _Prepared) -> int:
        return sum(
            1
            for pattern in prepared.pair_patterns
            if any(pattern in padded for padded in self.stems)
        )


# Spelling: a typed word that nothing contains, one edit from a word the index holds, is
# corrected to that word ("chatbt" -> "chatbot"; decision 0036). Shorter words are left alone:
# one edit from a three-letter word is too many other words.
CORRECTABLE_MIN_LENGTH = 4
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def vocabulary_words(terms: str) -> set[str]:
    """The distinct folded words of a document's stored terms (title, extra and body lines)."""
    found: set[str] = set()
    for line in terms.split("\n")[: len(_FIELDS)]:
        found.update(line.split())
    return found


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion of a letter away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def correction(
    word: str,
    vocabulary: Mapping[str, int],
    *,
    neighbours: Sequence[str] = (),
    synonyms: SynonymTable | None = None,
) -> str | None:
    """The indexed word one edit from `word` that most documents contain, or None: when the word
    is too short, has digits, or is indexed itself. A word that makes a known phrase with a
    word typed beside it comes first ("fly tiping" is "fly tipping", not "fly typing"); then
    the most documents, then alphabetical order."""
    if len(word) < CORRECTABLE_MIN_LENGTH or not word.isalpha() or word in vocabulary:
        return None
    table = synonyms or BUILTIN_SYNONYMS
    around = [stem(neighbour) for neighbour in neighbours]

    def in_phrase(candidate: str) -> bool:
        own = stem(candidate)
        return any((n, own) in table.index or (own, n) in table.index for n in around)

    candidates = [
        (not in_phrase(candidate), -vocabulary[candidate], candidate)
        for candidate in one_edit_away(word)
        if candidate in vocabulary and len(candidate) >= CORRECTABLE_MIN_LENGTH
    ]
    return min(candidates)[2] if candidates else None


def correctable_words(query: ParsedQuery, found: set[Alternative]) -> list[tuple[str, list[str]]]:
    """The typed words to try correcting, each with the words typed either side of it: each a
    concept of its own, with no synonym that could have found something instead, of which no
    alternative was found in any document."""
    wanted = []
    concepts = query.concepts
    for index, concept in enumerate(concepts):
        typed = concept[0]
        if len(typed.words) != 1 or any(a.weight < 1.0 for a in concept):
            continue
        if not any(alternative in found for alternative in concept):
            neighbours = []
            if index > 0:
                neighbours.append(concepts[index - 1][0].words[-1])
            if index + 1 < len(concepts):
                neighbours.append(concepts[index + 1][0].words[0])
            wanted.append((typed.words[0], neighbours))
    return wanted
