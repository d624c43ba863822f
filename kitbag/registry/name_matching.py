"""Name resolution, the pure part: normalising names, finding candidates and scoring them.

No Django here, so the rules can be tested and benchmarked on their own; `resolver.py` builds a
`NameIndex` from the database and turns its `Outcome` into the public `Match`/`Resolution`.
The scheme and its thresholds are explained in docs/decisions/0005-name-resolution.md.

Six stages, each tried only when the ones before found nothing, each scoring below them:

1. exact: the normalised name (case, accents, punctuation, "&", a leading "The", well-known
   abbreviations such as "LB", "CC" or "S" for South expanded) equals a normalised official name
   or alias;
2. core: both sides are equal once designation words ("County Council", "London Borough of",
   "Cyngor Sir", "The Mayor and Burgesses of", "Constabulary", "NHS Trust"...) are removed; which
   words are removed depends on the kind of body, so "Avon and Somerset Constabulary" never loses
   "Constabulary" when it is compared with councils;
3. fuzzy: rapidfuzz's normalised Indel similarity between cores, above a threshold and clear
   of the runner-up by a margin; never for a name that is the start of a body's name;
4. initialism: a name written like an initialism ("LBTH", "BwD", "B&NES") that one body's name
   gives ("London Borough of Tower Hamlets");
5. short form: a name that is the start of exactly one body's name, the rest beginning with a
   connector ("Telford" for Telford and Wrekin, "Stockton" for Stockton-on-Tees);
6. department: when the whole name finds nothing at all, the name without what follows a
   separator, or without department words at its end ("Suffolk County Council - Children's
   Services", "Camden Council (Planning)", "Norfolk County Council Children's Services").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

LOCAL_AUTHORITY = "local-authority"
POLICE_FORCE = "police-force"
NHS_TRUST = "nhs-trust"
CENTRAL_GOVERNMENT = "central-government"
OTHER = "other"
# Mirrors models.OrganisationKind; a test keeps the two in step.
KINDS: tuple[str, ...] = (LOCAL_AUTHORITY, POLICE_FORCE, NHS_TRUST, CENTRAL_GOVERNMENT, OTHER)

# Scores. An exact match of an official name is the only certainty; every step away from it
# costs something, so a caller can sort, and set its own bar above ours.
EXACT_OFFICIAL = 1.0
EXACT_ALIAS = 0.97
# Expanding an abbreviation ("CC" is County Council or City Council) is a small guess.
EXPANSION_PENALTY = 0.02
CORE = 0.9
# A fuzzy score is FUZZY_WEIGHT x similarity, so the best fuzzy match stays below CORE.
FUZZY_WEIGHT = 0.85
FUZZY_THRESHOLD = 0.82
FUZZY_RUNNER_UP_THRESHOLD = 0.75
# The runner-up must need at least this many more single-character insertions or deletions (a
# substitution is two): a count of edits, unlike a difference of similarities, means the same
# for "Camdn" as for "East Northammptonshire".
FUZZY_MARGIN_EDITS = 2
# Bodies that share a core are told apart by their full names when these differ by this much.
FULL_NAME_MARGIN = 0.05
# In shorter names a one-letter slip turns one place into another ("Hull"/"Hill"), and
# abbreviations ("DfE", "HMT") are one slip away from almost any short word.
FUZZY_MIN_QUERY_LENGTH = 5
FUZZY_MIN_NAME_LENGTH = 4
# When several bodies match equally well, the winner of the tie loses a little score: more when
# chosen because it is the current body (the name alone does not settle it) than when chosen for
# a better kind of match (an official name over an alias, a closer full name).
PREFERRED_MATCH_PENALTY = 0.05
CURRENT_PREFERENCE_PENALTY = 0.1
# A police force or NHS trust found by a name that does not say "Police" or "NHS".
UNNAMED_KIND_PENALTY = 0.1
# The later stages score below the lowest fuzzy match (FUZZY_WEIGHT x FUZZY_THRESHOLD = 0.697),
# and each below the one before: an initialism says less than a misspelt name, a short form less
# than an initialism, and a name found once a department is removed is worth its own score times
# DEPARTMENT_WEIGHT, which is below every short form.
INITIALISM = 0.68
SHORT_FORM = 0.64
DEPARTMENT_WEIGHT = 0.6
# Initialisms shorter than this are not told apart ("TH" is Tower Hamlets and Tameside Hospital).
INITIALISM_MIN_LENGTH = 3
INITIALISM_MAX_LENGTH = 8

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")

# One spelling for words that are written several ways; applied to every name and query alike.
_CANONICAL_TOKENS: dict[str, str] = {
    "saint": "st",
    "beds": "bedfordshire",
    "berks": "berkshire",
    "bucks": "buckinghamshire",
    "cambs": "cambridgeshire",
    "glos": "gloucestershire",
    "hants": "hampshire",
    "herts": "hertfordshire",
    "lancs": "lancashire",
    "leics": "leicestershire",
    "lincs": "lincolnshire",
    "northants": "northamptonshire",
    "notts": "nottinghamshire",
    "oxon": "oxfordshire",
    "staffs": "staffordshire",
    "wilts": "wiltshire",
    "worcs": "worcestershire",
    "derbys": "derbyshire",
    "gloucs": "gloucestershire",
    "shrops": "shropshire",
    "warks": "warwickshire",
    "yorks": "yorkshire",
    "bham": "birmingham",
    "soton": "southampton",
    "gt": "great",
}
# Abbreviations that stand before a place ("S Gloucestershire", "NE Lincs", "Co Durham"): written
# out only when another word follows, so that an initialism such as "SE" (Sport England) or the
# "S" of "DE&S" keeps its meaning.
_PLACE_PREFIXES: dict[str, tuple[str, ...]] = {
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "nth": ("north",),
    "sth": ("south",),
    "ne": ("north", "east"),
    "nw": ("north", "west"),
    "se": ("south", "east"),
    "sw": ("south", "west"),
    "co": ("county",),
}
_PLACE_PREFIX_WORDS = frozenset(_PLACE_PREFIXES)

# Abbreviations tried in full at the exact stage. "CC" is genuinely two things, so both are
# tried; a prefix designation written after the name ("Camden LB") is moved to the front.
_EXPANSIONS: dict[str, tuple[str, ...]] = {
    "cc": ("county council", "city council"),
    "dc": ("district council",),
    "bc": ("borough council",),
    "mbc": ("metropolitan borough council",),
    "mdc": ("metropolitan district council",),
    "cbc": ("county borough council",),
    "lb": ("london borough of",),
    "ft": ("foundation trust",),
    "rb": ("royal borough of",),
    "rbc": ("royal borough of",),
}
_PREFIX_EXPANSIONS = frozenset({"lb", "rb", "rbc"})
_MAX_EXPANDED_KEYS = 4

# Designation words: what a body is rather than which one it is. Each phrase belongs to a kind
# (None: any kind) and is removed only when comparing with bodies of that kind.
_LOCAL_AUTHORITY_DESIGNATIONS = (
    "london borough of",
    "london borough",
    "london boro",
    "royal borough of",
    "royal borough",
    "metropolitan borough council",
    "metropolitan district council",
    "metropolitan borough",
    "metropolitan district",
    "county borough council",
    "county borough",
    "borough council of",
    "borough council",
    "district council",
    "county council",
    "city council",
    "city and county of",
    "city and district",
    "city of",
    "borough of",
    "county of",
    "council of the",
    "council of",
    "unitary authority",
    "mayoral combined county authority",
    "mayoral combined authority",
    "combined county authority",
    "combined authority",
    "council",
    "borough",
    "district",
    "county",
    "city",
    "metropolitan",
    "corporation",
    "ua",
    "cc",
    "dc",
    "bc",
    "mbc",
    "mdc",
    "cbc",
    "lb",
    "rb",
    "rbc",
    "ca",
    "cca",
    "mca",
    # Welsh and Gaelic council words; mutated forms (e.g. "Sir Gâr") stay part of the name.
    "cyngor",
    "bwrdeistref sirol",
    "bwrdeistref",
    "sirol",
    "dinas a sir",
    "dinas",
    "sir",
    "comhairle",
)
# The names councils contract under. Kept out of _MISSPELLABLE_DESIGNATIONS: "Lord" or "Mayor" one
# slip away is more often a word of a name than a designation.
_CORPORATE_DESIGNATIONS = (
    "mayor and burgesses of",
    "mayor aldermen and burgesses of",
    "lord mayor and citizens of",
    "lord mayor aldermen and citizens of",
    "mayor and citizens of",
    "mayor and commonalty and citizens of",
    "common council of",
)
_DESIGNATIONS: dict[str | None, tuple[str, ...]] = {
    None: ("the",),
    LOCAL_AUTHORITY: _LOCAL_AUTHORITY_DESIGNATIONS + _CORPORATE_DESIGNATIONS,
    POLICE_FORCE: (
        "police service of",
        "police service",
        "police force",
        "police",
        "constabulary",
        "heddlu",
    ),
    NHS_TRUST: (
        "nhs foundation trust",
        "nhs ft",
        "nhs trust",
        "foundation trust",
        "nhs foundation",
        "nhs",
        "trust",
    ),
    CENTRAL_GOVERNMENT: (),
    OTHER: ("limited", "ltd", "plc", "llp", "cic"),
}
# Words that every name of a kind carries ("Kent Police", "Solent NHS Trust").
_KIND_MARKERS: dict[str, frozenset[str]] = {
    POLICE_FORCE: frozenset({"police", "constabulary", "heddlu"}),
    NHS_TRUST: frozenset({"nhs", "trust"}),
}
# Left dangling when a designation in the middle of a name goes ("Bristol, City of").
_CONNECTORS = frozenset({"and", "of", "the", "a"})
# Names that are made of designation words but are not designations: the City of London is not
# London, and its "City" is part of its name.
_PROTECTED_PHRASES: dict[str, tuple[str, ...]] = {"city": ("city", "of", "london")}
# A name that says "Council" does not mean a body that calls itself an Authority: the Greater
# London Council and the metropolitan county councils (abolished in 1986) are not today's
# Greater London Authority and combined authorities, which share their places' names.
_COUNCIL_WORDS = frozenset({"council", "cc", "dc", "bc", "mbc", "mdc", "cbc", "cyngor"})
_AUTHORITY_WORD = "authority"
# What may begin the words a short form leaves out: "Telford" (and Wrekin), "Stockton" (on Tees),
# "Barrow" (in Furness). Not "of": "Isle" is not the Isle of Wight.
_SHORT_FORM_CONNECTORS = frozenset({"and", "with", "upon", "on", "under", "in"})
# Words left out, in every combination, when initials are taken: "LBTH" and "LBoTH", "BwD" and
# "BD", "LBRuT", "B&NES" and "BANES".
_INITIALISM_CONNECTORS = frozenset({"of", "and", "the", "with", "upon", "on", "in", "under", "for"})
_MAX_INITIALISM_CONNECTORS = 4
_INITIALISM_PART = re.compile(r"[0-9A-Za-z&]+")
_VOWELS = frozenset("aeiou")
# A name and a department or address written after it: " - ", " – ", " — ", "(", ":", ",", "/",
# "|", ";". The name is taken before the last of them first, so that a comma inside a name
# ("Bournemouth, Christchurch and Poole Council - Planning") survives.
_SEPARATOR = re.compile(r"\s[-\u2013\u2014]+\s|[(\[:,/|;]|\s[\u2013\u2014]|[\u2013\u2014]\s")
# Words of departments, services and teams, removed from the end of a name that finds nothing
# ("Norfolk County Council Children's Services"). Not "fire", "rescue", "pension", "fund",
# "trust", "town" or "police": those name other bodies (Kent Fire and Rescue Service, Greater
# Manchester Pension Fund, Birmingham Children's Trust).
# fmt: off
_DEPARTMENT_WORDS = frozenset({
    "department", "dept", "directorate", "service", "services", "team", "unit", "division",
    "section", "office", "children", "childrens", "adult", "adults", "social", "care", "health",
    "wellbeing", "education", "learning", "skills", "schools", "school", "housing", "homes",
    "homelessness", "planning", "development", "control", "building", "highways", "highway",
    "roads", "transport", "transportation", "parking", "environment", "environmental", "waste",
    "management", "recycling", "parks", "leisure", "culture", "libraries", "library", "museums",
    "archives", "trading", "standards", "licensing", "revenues", "revenue", "benefits", "finance",
    "financial", "legal", "procurement", "commissioning", "audit", "public", "protection",
    "regeneration", "economic", "economy", "property", "estates", "facilities", "resources",
    "corporate", "customer", "customers", "registrars", "registration", "electoral", "elections",
    "democratic", "governance", "hr", "ict", "it", "digital", "communications", "policy",
    "performance", "neighbourhoods", "neighbourhood", "communities", "community", "safeguarding",
    "families", "family", "young", "people", "youth", "maintenance", "street", "streetscene",
    "cleansing", "insurance", "payroll", "chief", "executive", "executives", "place", "growth",
    "infrastructure", "tax",
})
# fmt: on
_DEPARTMENT_CONNECTORS = frozenset({"and", "of", "the", "for", "a"})
# Places too broad to stand for one body: "City of London" must not make "London" its name.
_STOP_CORES = frozenset(
    {
        "london",
        "england",
        "wales",
        "scotland",
        "northern ireland",
        "uk",
        "united kingdom",
        "britain",
        "great britain",
    }
)
# A slip in one of these designation words ("Councl", "Boruogh") still marks a designation.
_MISSPELLABLE_DESIGNATIONS: dict[str, tuple[str, ...]] = {
    kind: tuple(
        sorted(
            {
                word
                for phrase in (*_DESIGNATIONS[None], *_DESIGNATIONS[kind])
                if phrase not in _CORPORATE_DESIGNATIONS
                for word in phrase.split()
                if len(word) >= 4
            }
        )
    )
    for kind in KINDS
}

_PhraseTable = dict[str, tuple[tuple[str, ...], ...]]


def _phrase_table(kind: str | None) -> _PhraseTable:
    phrases = [tuple(p.split()) for p in _DESIGNATIONS[None]]
    if kind is None:
        phrases += [tuple(p.split()) for k in KINDS for p in _DESIGNATIONS[k]]
    else:
        phrases += [tuple(p.split()) for p in _DESIGNATIONS[kind]]
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(set(phrases), key=len, reverse=True):
        table.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in table.items()}


# Keyed by kind; None holds every kind's designations, for telling a fragment from a name.
_PHRASE_TABLES: dict[str | None, _PhraseTable] = {
    kind: _phrase_table(kind) for kind in (None, *KINDS)
}


def tokens(name: str) -> tuple[str, ...]:
    """The words of a name in one canonical spelling: the basis of every comparison."""
    if not name.isascii():
        name = _ascii(name)
    text = name.casefold().replace("&", " and ").translate(_APOSTROPHES)
    words = [_CANONICAL_TOKENS.get(w, w) for w in _NOT_ALPHANUMERIC.sub(" ", text).split()]
    if not _PLACE_PREFIX_WORDS.isdisjoint(words):
        written_out: list[str] = []
        for word in words[:-1]:
            written_out += _PLACE_PREFIXES.get(word, (word,))
        words = [*written_out, words[-1]]
    if len(words) > 1 and words[0] == "the":
        del words[0]
    return tuple(words)


def _ascii(name: str) -> str:
    if name.isascii():
        return name
    name = _repair_mojibake(name)
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )


def _repair_mojibake(text: str) -> str:
    """UTF-8 once decoded as Windows-1252 ("Sir Ynys Mï¿½n") back to what it was; real
    accented text ("Ynys Môn") is never valid UTF-8 that way, so it is left alone."""
    with contextlib.suppress(UnicodeError):
        text = text.encode("cp1252").decode("utf-8")
    # A character lost upstream leaves a replacement mark: the rest of the word still counts.
    return text.replace("\ufffd", "")


def normalise(name: str) -> str:
    """The exact-stage key: "The Royal Borough of Kensington & Chelsea" and
    "royal borough of kensington and chelsea" have the same one."""
    return " ".join(tokens(name))


def expanded_keys(words: Sequence[str]) -> list[str]:
    """Keys for a name with its abbreviations written out ("LB Camden": "london borough of
    camden"); empty when it has none."""
    if not any(w in _EXPANSIONS for w in words):
        return []
    prefix: list[str] = []
    rest = list(words)
    for abbreviation in _PREFIX_EXPANSIONS:
        if abbreviation in rest[1:]:
            rest.remove(abbreviation)
            prefix.append(abbreviation)
    keys = [""]
    for word in prefix + rest:
        options = _EXPANSIONS.get(word, (word,))
        keys = [f"{key} {option}".strip() for key in keys for option in options]
        keys = keys[:_MAX_EXPANDED_KEYS]
    return keys


def _strip(words: Sequence[str], table: _PhraseTable) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        protected = _PROTECTED_PHRASES.get(words[i])
        if protected and tuple(words[i : i + len(protected)]) == protected:
            kept += protected
            i += len(protected)
            continue
        for phrase in table.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            kept.append(words[i])
            i += 1
    while kept and kept[0] in _CONNECTORS:
        del kept[0]
    while kept and kept[-1] in _CONNECTORS:
        del kept[-1]
    return kept


def core(words: Sequence[str], kind: str | None) -> str:
    """What is left once the designations of `kind` (None: of every kind) are removed; empty
    for a bare designation ("County Council") or a place too broad to name one body."""
    stripped = " ".join(_strip(words, _PHRASE_TABLES[kind]))
    return "" if stripped in _STOP_CORES else stripped


def _mentions(words: Sequence[str], kind: str, vocabulary: frozenset[str]) -> bool:
    """Whether a name says it is of `kind` ("Kent Police", even "Kent Plice")."""
    markers = _KIND_MARKERS[kind]
    if markers.intersection(words):
        return True
    return any(
        len(word) >= 4
        and word not in vocabulary
        and any(OSA.distance(word, marker, score_cutoff=1) <= 1 for marker in markers)
        for word in words
    )


def _word_count(text: str) -> int:
    return sum(1 for word in text.split() if word not in _CONNECTORS)


def _with_designations_corrected(
    words: Sequence[str], kind: str, vocabulary: frozenset[str]
) -> list[str]:
    """Words one slip away from a designation of `kind` spelt right ("Councl": "council"), so
    that they are removed with it; a word that is a name in the registry is left alone."""
    corrected = []
    for word in words:
        if len(word) >= 4 and word not in vocabulary:
            for designation in _MISSPELLABLE_DESIGNATIONS[kind]:
                if OSA.distance(word, designation, score_cutoff=1) <= 1:
                    word = designation
                    break
        corrected.append(word)
    return corrected


def initialisms(words: Sequence[str]) -> set[str]:
    """The initials of a name, leaving out each combination of its connectors ("London Borough
    of Richmond upon Thames": "lbrut", "lbrt", "lborut"...); only those long enough to tell
    bodies apart."""
    initials = [word[0] for word in words]
    optional = [i for i, word in enumerate(words) if word in _INITIALISM_CONNECTORS]
    if len(optional) > _MAX_INITIALISM_CONNECTORS:
        combinations = [frozenset(), frozenset(optional)]
    else:
        combinations = [
            frozenset(i for bit, i in enumerate(optional) if mask >> bit & 1)
            for mask in range(1 << len(optional))
        ]
    found = set()
    for left_out in combinations:
        key = "".join(letter for i, letter in enumerate(initials) if i not in left_out)
        if INITIALISM_MIN_LENGTH <= len(key) <= INITIALISM_MAX_LENGTH:
            found.add(key)
    return found


def initialism_keys(query: str) -> list[str]:
    """What a query written as an initialism stands for, as keys of `initialisms()`: "B&NES"
    gives "bnes" and "banes", "L.B.T.H." gives "lbth", "IOW Council" gives "iowc" and "iow".
    Empty unless it looks like one: a single word with two capitals ("BwD", "RBKC"), no vowels
    ("lbth") or an "&" ("b&nes"), or single letters; "Kent" or "Hill" are not initialisms."""
    parts = _INITIALISM_PART.findall(_ascii(query))
    if parts and parts[0].casefold() == "the":
        del parts[0]
    council = bool(parts) and parts[-1].casefold() == "council"
    if council:
        del parts[-1]
    if len(parts) > 1 and all(len(part) == 1 and part.isalpha() for part in parts):
        written = "".join(parts).upper()
    elif len(parts) == 1:
        written = parts[0]
    else:
        return []
    letters = written.replace("&", "")
    if not letters.isalpha() or "&" in (written[0], written[-1]):
        return []
    lower = letters.casefold()
    capitals = sum(1 for ch in letters if ch.isupper())
    if capitals < 2 and not _VOWELS.isdisjoint(lower) and "&" not in written:
        return []
    keys = [lower]
    if "&" in written:
        keys.append(written.casefold().replace("&", "a"))
    if council:
        keys = [f"{key}c" for key in keys] + keys
    return [key for key in keys if INITIALISM_MIN_LENGTH <= len(key) <= INITIALISM_MAX_LENGTH]


_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def name_heads(query: str) -> list[str]:
    """The query, then what comes before each separator, longest first: "Leeds City Council:
    Adults and Health" gives itself and "Leeds City Council"."""
    cuts = {match.start() for match in _SEPARATOR.finditer(query)}
    heads = [query]
    for cut in sorted(cuts, reverse=True):
        head = query[:cut].strip()
        if head and head not in heads:
            heads.append(head)
    return heads


def without_department_words(text: str) -> str | None:
    """`text` without the department or service words at its end ("Norfolk County Council
    Children's Services": "Norfolk County Council"); None when there are none, or nothing else."""
    words = list(_WORD.finditer(text))
    kept = len(words)
    removed = False
    while kept:
        word = words[kept - 1].group().casefold().translate(_APOSTROPHES)
        if word in _DEPARTMENT_WORDS:
            removed = True
        elif word not in _DEPARTMENT_CONNECTORS:
            break
        kept -= 1
    if not removed or not kept:
        return None
    return text[: words[kept].start()].strip()


@dataclass(frozen=True, slots=True)
class Body:
    id: int
    kind: str
    end_date: dt.date | None = None

    def is_current(self, today: dt.date) -> bool:
        return self.end_date is None or self.end_date > today


@dataclass(frozen=True, slots=True)
class Name:
    body_id: int
    text: str
    official: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    body_id: int
    score: float
    stage: str  # "exact", "core", "fuzzy", "initialism", "short" or "department"


@dataclass(frozen=True, slots=True)
class Outcome:
    best: Candidate | None
    alternatives: list[Candidate] = field(default_factory=list)


_NOTHING = Outcome(best=None)


class NameIndex:
    """Every name of every body, keyed for the three stages. Built once, then read-only."""

    def __init__(self, bodies: Iterable[Body], names: Iterable[Name]) -> None:
        self.bodies: dict[int, Body] = {body.id: body for body in bodies}
        self.kinds: tuple[str, ...] = tuple(
            k for k in KINDS if any(b.kind == k for b in self.bodies.values())
        )
        # normalised name -> {body id: is an official name}
        self._exact: dict[str, dict[int, bool]] = {}
        # kind -> core -> body ids
        self._cores: dict[str, dict[str, tuple[int, ...]]] = {k: {} for k in self.kinds}
        vocabulary: set[str] = set()
        cores: dict[str, dict[str, set[int]]] = {k: {} for k in self.kinds}
        # body id -> its normalised names, for telling apart bodies that share a core
        self._names: dict[int, list[str]] = {}
        initials: dict[str, set[int]] = {}
        # kind -> the first words of a core -> {body id: whether a connector can follow them}
        prefixes: dict[str, dict[str, dict[int, bool]]] = {k: {} for k in self.kinds}
        says_authority: set[int] = set()
        says_council: set[int] = set()
        for name in names:
            body = self.bodies.get(name.body_id)
            if body is None:
                continue
            words = tokens(name.text)
            if not words:
                continue
            if name.official:
                # Aliases may hold misspellings ("glasgow city coucil"): not proof of a real word.
                vocabulary.update(words)
            key = " ".join(words)
            self._names.setdefault(body.id, []).append(key)
            by_body = self._exact.setdefault(key, {})
            by_body[body.id] = by_body.get(body.id, False) or name.official
            body_core = core(words, body.kind)
            if body_core:
                cores[body.kind].setdefault(body_core, set()).add(body.id)
                core_words = body_core.split()
                for end in range(1, len(core_words)):
                    by_body = prefixes[body.kind].setdefault(" ".join(core_words[:end]), {})
                    connector = core_words[end] in _SHORT_FORM_CONNECTORS
                    by_body[body.id] = by_body.get(body.id, False) or connector
            for key in initialisms(words):
                initials.setdefault(key, set()).add(body.id)
            if _AUTHORITY_WORD in words:
                says_authority.add(body.id)
            if not _COUNCIL_WORDS.isdisjoint(words):
                says_council.add(body.id)
        self._initialisms = {key: tuple(sorted(ids)) for key, ids in initials.items()}
        self._prefixes = {
            k: {prefix: tuple(by_body.items()) for prefix, by_body in by_prefix.items()}
            for k, by_prefix in prefixes.items()
        }
        # Bodies that call themselves an Authority and never a Council.
        self._authorities = frozenset(says_authority - says_council)
        for kind, by_core in cores.items():
            self._cores[kind] = {c: tuple(sorted(ids)) for c, ids in by_core.items()}
        self._choices: dict[str, list[str]] = {
            k: [c for c in self._cores[k] if len(c) >= FUZZY_MIN_NAME_LENGTH] for k in self.kinds
        }
        self._word_counts = {c: _word_count(c) for by_core in self._cores.values() for c in by_core}
        self._vocabulary = frozenset(vocabulary)

    def __len__(self) -> int:
        return len(self.bodies)

    def resolve(
        self, query: str, *, kind: str | None = None, limit: int = 5, today: dt.date
    ) -> Outcome:
        if kind is None:
            kinds = self.kinds
        elif kind in self.kinds:
            kinds = (kind,)
        else:
            return _NOTHING
        outcome = self._resolve(query, kinds, kind, limit, today, fuzzy=True)
        if outcome.best is None and not outcome.alternatives:
            outcome = self._without_department(query, kinds, kind, limit, today)
        return outcome

    def _resolve(
        self,
        query: str,
        kinds: Sequence[str],
        kind: str | None,
        limit: int,
        today: dt.date,
        *,
        fuzzy: bool,
    ) -> Outcome:
        """Every stage but the last (department) on the whole of `query`; the fuzzy stage only
        if `fuzzy`."""
        words = tokens(query)
        if not words:
            return _NOTHING
        exact = self._exact_candidates(words, kinds)
        # Past the exact stage a bare place name means its council: a police force or NHS trust
        # ranks below it unless the name says "Police" or "NHS", and is not guessed at.
        unnamed = frozenset(
            k
            for k in kinds
            if kind is None and k in _KIND_MARKERS and not _mentions(words, k, self._vocabulary)
        )
        excluded = self._authorities if not _COUNCIL_WORDS.isdisjoint(words) else frozenset()
        cores = {k: core(words, k) for k in kinds}
        by_core: dict[int, float] = {}
        for k, query_core in cores.items():
            score = CORE - UNNAMED_KIND_PENALTY if k in unnamed else CORE
            for body_id in self._cores[k].get(query_core, ()) if query_core else ():
                if body_id not in excluded:
                    by_core[body_id] = score
        if exact:
            return self._decide(exact, "exact", by_core, limit, today, query_key="")
        if not core(words, None) and not any(
            cores[k] for k in kinds if k in _KIND_MARKERS and k not in unnamed
        ):
            # Nothing but designation words ("Council", "NHS Trust"), unless it is a name such
            # as "Metropolitan Police" whose one word is a designation only for councils.
            return _NOTHING
        if by_core:
            return self._decide(by_core, "core", {}, limit, today, query_key=" ".join(words))
        guessable = [k for k in kinds if k not in unnamed]
        started = self._bodies_starting_with(cores, guessable, excluded)
        if started:
            # The start of a body's name is not a slip: "Barrow" is not Harrow, whatever the
            # spelling says, when Barrow-in-Furness exists; the short form decides, or nothing.
            return self._short_form(started, limit)
        guessed = self._fuzzy(words, guessable, limit, today, excluded) if fuzzy else _NOTHING
        if guessed.best is not None:
            return guessed
        initialism = self._initialism(query, kinds, limit, today, excluded)
        if initialism.best is not None:
            return _outcome(initialism.best, initialism.alternatives + guessed.alternatives, limit)
        return guessed if guessed.alternatives else initialism

    def _bodies_starting_with(
        self, cores: dict[str, str], kinds: Sequence[str], excluded: frozenset[int]
    ) -> dict[int, bool]:
        """Bodies whose core begins with the query's, and whether a connector follows it there."""
        found: dict[int, bool] = {}
        for k in kinds:
            for body_id, connector in self._prefixes[k].get(cores[k], ()):
                if body_id not in excluded:
                    found[body_id] = found.get(body_id, False) or connector
        return found

    def _short_form(self, started: dict[int, bool], limit: int) -> Outcome:
        """The one body a short form can mean, when what it leaves out begins with a connector
        ("Telford" and Wrekin); with more than one, or another word next ("Epping" Forest,
        "Great" Yarmouth), nothing, and they are the alternatives."""
        if len(started) == 1:
            ((body_id, connector),) = started.items()
            if connector:
                return Outcome(best=Candidate(body_id, SHORT_FORM, "short"))
        return _outcome(None, [Candidate(i, SHORT_FORM, "short") for i in started], limit)

    def _initialism(
        self,
        query: str,
        kinds: Sequence[str],
        limit: int,
        today: dt.date,
        excluded: frozenset[int],
    ) -> Outcome:
        """The body whose name gives the initialism the query is written as: the only one, or
        the only current one ("SCDC" is South Cambridgeshire, not the former Suffolk Coastal)."""
        owners = {
            body_id
            for key in initialism_keys(query)
            for body_id in self._initialisms.get(key, ())
            if self.bodies[body_id].kind in kinds and body_id not in excluded
        }
        if not owners:
            return _NOTHING
        best_id, scores = self._break_tie(dict.fromkeys(owners, INITIALISM), today)
        others = [Candidate(i, s, "initialism") for i, s in scores.items() if i != best_id]
        best = Candidate(best_id, scores[best_id], "initialism") if best_id is not None else None
        return _outcome(best, others, limit)

    def _without_department(
        self, query: str, kinds: Sequence[str], kind: str | None, limit: int, today: dt.date
    ) -> Outcome:
        """For a name that found nothing at all: the name before a separator, or without
        department words at its end, longest first. A head that is ambiguous stops the
        search: "Kingston Council - Housing" is not guessed at. A part of a name is not matched
        fuzzily: a slip there is a guess on a guess ("Parish Council, Little Snoring" is not the
        British Council)."""
        for head in name_heads(query):
            outcome = _NOTHING
            if head != query:
                outcome = self._resolve(head, kinds, kind, limit, today, fuzzy=False)
            if outcome.best is None and not outcome.alternatives:
                rest = without_department_words(head)
                if rest:
                    outcome = self._resolve(rest, kinds, kind, limit, today, fuzzy=False)
            if outcome.best is not None or outcome.alternatives:
                return _weighted(outcome, DEPARTMENT_WEIGHT)
        return _NOTHING

    def _exact_candidates(self, words: Sequence[str], kinds: Sequence[str]) -> dict[int, float]:
        found: dict[int, float] = {}
        keys = [(" ".join(words), 0.0)]
        keys += [(key, EXPANSION_PENALTY) for key in expanded_keys(words)]
        for key, penalty in keys:
            for body_id, official in self._exact.get(key, {}).items():
                if self.bodies[body_id].kind not in kinds:
                    continue
                score = (EXACT_OFFICIAL if official else EXACT_ALIAS) - penalty
                found[body_id] = max(score, found.get(body_id, 0.0))
        return found

    def _decide(
        self,
        candidates: dict[int, float],
        stage: str,
        weaker: dict[int, float],
        limit: int,
        today: dt.date,
        *,
        query_key: str,
    ) -> Outcome:
        """Pick the best of candidates found by one stage; `weaker` only adds alternatives."""
        best_id, scores = self._break_tie(candidates, today, query_key)
        others = [Candidate(i, s, stage) for i, s in scores.items() if i != best_id]
        others += [Candidate(i, s, "core") for i, s in weaker.items() if i not in scores]
        best = Candidate(best_id, scores[best_id], stage) if best_id is not None else None
        return _outcome(best, others, limit)

    def _break_tie(
        self, candidates: dict[int, float], today: dt.date, query_key: str = ""
    ) -> tuple[int | None, dict[int, float]]:
        """The winner (None when there is none) and every candidate's score after the tie.

        Tied candidates are told apart by, in turn: an official name over an alias (exact stage),
        the closest full name to `query_key` ("Dorset County Counsil" is the former county, not
        the Dorset Council that shares its core), and a current body over former ones.
        """
        if len(candidates) == 1:
            return next(iter(candidates)), candidates
        top = max(candidates.values())
        leaders = [i for i, s in candidates.items() if s >= top - 1e-9]
        scores = dict(candidates)
        if len(leaders) == 1:
            scores[leaders[0]] = top - PREFERRED_MATCH_PENALTY
            return leaders[0], scores
        for i in leaders:
            scores[i] = top - CURRENT_PREFERENCE_PENALTY
        closest = self._closest_full_name(leaders, query_key) if query_key else None
        if closest is not None:
            scores[closest] = top - PREFERRED_MATCH_PENALTY
            return closest, scores
        current = [i for i in leaders if self.bodies[i].is_current(today)]
        return (current[0] if len(current) == 1 else None), scores

    def _closest_full_name(self, body_ids: Sequence[int], query_key: str) -> int | None:
        closeness = sorted(
            (max(fuzz.ratio(query_key, name) for name in self._names[i]) / 100, i) for i in body_ids
        )
        (runner_up, _), (closest, body_id) = closeness[-2:]
        return body_id if closest - runner_up >= FULL_NAME_MARGIN else None

    def _fuzzy(
        self,
        words: Sequence[str],
        kinds: Sequence[str],
        limit: int,
        today: dt.date,
        excluded: frozenset[int],
    ) -> Outcome:
        # body id -> (similarity, edits, the core it matched, the query's core for its kind)
        found: dict[int, tuple[float, int, str, str]] = {}
        for k in kinds:
            query_core = core(_with_designations_corrected(words, k, self._vocabulary), k)
            if query_core in self._cores[k]:
                # The slip was in a designation word: the rest is exact.
                for body_id in self._cores[k][query_core]:
                    if body_id not in excluded:
                        found[body_id] = (1.0, 0, query_core, query_core)
                continue
            if len(query_core) < FUZZY_MIN_QUERY_LENGTH:
                continue
            query_words = _word_count(query_core)
            for choice, similarity, _ in process.extract(
                query_core,
                self._choices[k],
                scorer=fuzz.ratio,
                # Below the threshold still counts as a runner-up ("Brnet" is nearer Barnet
                # than Brent, but not by much).
                score_cutoff=FUZZY_RUNNER_UP_THRESHOLD * 100,
                limit=None,
            ):
                # Slips are within words; an extra or missing word makes another name
                # ("One North East" is not "North East").
                if self._word_counts[choice] != query_words:
                    continue
                edits = Indel.distance(query_core, choice)
                for body_id in self._cores[k][choice]:
                    if body_id in excluded:
                        continue
                    if similarity / 100 > found.get(body_id, _NOT_FOUND)[0]:
                        found[body_id] = (similarity / 100, edits, choice, query_core)
        if not found:
            return _NOTHING
        top_similarity, top_edits, top_core, top_query = max(found.values())
        if top_similarity < FUZZY_THRESHOLD:
            return _NOTHING
        scores = {i: FUZZY_WEIGHT * s for i, (s, _, _, _) in found.items()}
        if any(
            edits - top_edits < FUZZY_MARGIN_EDITS
            # Slips are rarely at the start of a name: a runner-up only just outside the margin
            # that begins more like the query makes the best a guess ("Denbyshire" is two edits
            # from Derbyshire, four from Denbighshire, and begins like the second).
            or (
                edits - top_edits == FUZZY_MARGIN_EDITS
                and _common_start(query, choice) > _common_start(top_query, top_core)
            )
            for _, edits, choice, query in found.values()
            if choice != top_core
        ):
            return _outcome(None, [Candidate(i, s, "fuzzy") for i, s in scores.items()], limit)
        leaders = {i: scores[i] for i, (_, _, c, _) in found.items() if c == top_core}
        best_id, leader_scores = self._break_tie(leaders, today, " ".join(words))
        scores.update(leader_scores)
        others = [Candidate(i, s, "fuzzy") for i, s in scores.items() if i != best_id]
        best = Candidate(best_id, scores[best_id], "fuzzy") if best_id is not None else None
        return _outcome(best, others, limit)


_NOT_FOUND = (0.0, 0, "", "")


def _common_start(a: str, b: str) -> int:
    """How many first letters `a` and `b` share."""
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared


def _outcome(best: Candidate | None, others: list[Candidate], limit: int) -> Outcome:
    if best is not None:
        # An alternative found by a weaker stage, or one that lost a tie, never outranks the
        # best match, whatever its own score would have been.
        others = [Candidate(c.body_id, min(c.score, best.score), c.stage) for c in others]
    return Outcome(best=best, alternatives=_ranked(others, limit))


def _weighted(outcome: Outcome, weight: float) -> Outcome:
    """An outcome found for part of a name: every score times `weight`, staged "department"."""

    def weighted(candidate: Candidate) -> Candidate:
        return Candidate(candidate.body_id, candidate.score * weight, "department")

    best = weighted(outcome.best) if outcome.best is not None else None
    return Outcome(best=best, alternatives=[weighted(c) for c in outcome.alternatives])


def _ranked(candidates: list[Candidate], limit: int) -> list[Candidate]:
    candidates.sort(key=lambda c: (-c.score, c.body_id))
    return candidates[: max(limit, 0)]
