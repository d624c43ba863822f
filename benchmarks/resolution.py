"""Name resolution speed and accuracy, on the registry in the database.

Resolves every name in the registry (official names, short names, aliases) and messy variants of
them (case, punctuation, abbreviations, one typo), and, as a baseline in the same process, looks
the same strings up in a dict. Prints names per second for both (median of several runs), their
ratio, and how often the variants find the right body.

Then resolves the hand-labelled council names in resolution/messy_names.json (initialisms,
departments after the name, compass abbreviations, formal corporate names, short forms,
misspellings, abolished councils) with kind=local-authority, and prints, for its tuning and
held-out parts, overall and per kind: right, no answer, and wrong body (a council other than the
one meant, or any council when none is meant).

    .venv/bin/python benchmarks/resolution.py [--repeats N] [--kind KIND]
        [--messy-only] [--misses tuning|held-out|all]

Uses the database in DATABASE_URL, or var/kitbag.sqlite3, which `make import` fills.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TARGET_NAMES_PER_SECOND = 5_000
SEED = 5005
MESSY_NAMES = Path(__file__).resolve().parent / "resolution" / "messy_names.json"
PARTS = ("tuning", "held-out")

# Designations and the abbreviations people write for them, longest first.
ABBREVIATIONS = (
    (re.compile(r"\bMetropolitan Borough Council\b"), "MBC"),
    (re.compile(r"\bCounty Borough Council\b"), "CBC"),
    (re.compile(r"\bCounty Council\b"), "CC"),
    (re.compile(r"\bCity Council\b"), "CC"),
    (re.compile(r"\bDistrict Council\b"), "DC"),
    (re.compile(r"\bBorough Council\b"), "BC"),
    (re.compile(r"^London Borough of (.+)$"), r"LB \1"),
    (re.compile(r"^Royal Borough of (.+)$"), r"RB \1"),
    (re.compile(r"\bNHS Foundation Trust\b"), "NHS FT"),
)


@dataclass(frozen=True)
class Query:
    text: str
    group: str  # "name" or the kind of messiness
    expected: frozenset[int]  # organisations with this name; any of them is right


@dataclass(frozen=True)
class MessyName:
    name: str
    expected: str | None  # a local-authority code, or None when no single council is meant
    kind: str  # initialism, department, compass, corporate, short, misspelling, abolished, plain
    part: str  # "tuning" or "held-out"


def load_messy_names(path: Path = MESSY_NAMES) -> list[MessyName]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [MessyName(n["name"], n["expected"], n["kind"], n["part"]) for n in data["names"]]


def outcome(expected: str | None, found: str | None) -> str:
    """Whether `found` is "right", "none" (no answer where one was meant) or "wrong" (a body, but
    not the one meant, or any body where none was)."""
    if found == expected:
        return "right"
    return "none" if found is None else "wrong"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--kind", help="resolve with this kind filter (default: none)")
    parser.add_argument(
        "--messy-only", action="store_true", help="only the labelled messy council names"
    )
    parser.add_argument(
        "--misses",
        choices=[*PARTS, "all"],
        help="list the messy names not resolved right, from this part",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()
    # The index build is timed and reported here; its log line would only interleave.
    logging.getLogger("kitbag.registry.resolver").setLevel(logging.WARNING)

    from django.conf import settings
    from django.db import DatabaseError

    from kitbag.registry.models import Organisation, OrganisationName
    from kitbag.registry.name_matching import normalise
    from kitbag.registry.resolver import invalidate_index, resolve_name

    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    if args.messy_only:
        if not Organisation.objects.councils().exists():
            print("The registry is empty: run `make import` first.", file=sys.stderr)
            return 1
        return messy_report(args.repeats, args.misses)
    try:
        rows = [
            (org_id, name)
            for org_id, official, short in Organisation.objects.values_list(
                "id", "name", "short_name"
            )
            for name in (official, short)
            if name
        ]
        rows += list(OrganisationName.objects.values_list("organisation_id", "name"))
    except DatabaseError as error:
        print(f"Cannot read the registry ({error}): run `make import` first.", file=sys.stderr)
        return 1
    if not rows:
        print(
            "The registry is empty: run `make import` first to import the open data.",
            file=sys.stderr,
        )
        return 1

    # Names that normalise alike cannot be told apart; any of their bodies is a right answer.
    bodies_by_key: defaultdict[str, set[int]] = defaultdict(set)
    for org_id, name in rows:
        bodies_by_key[normalise(name)].add(org_id)
    names = sorted({name for _, name in rows})
    queries = [Query(name, "name", frozenset(bodies_by_key[normalise(name)])) for name in names]
    rng = random.Random(SEED)
    for query in list(queries):
        for group, make in VARIANTS.items():
            variant = make(query.text, rng)
            if variant is not None and variant != query.text:
                queries.append(Query(variant, group, query.expected))
    texts = [q.text for q in queries]

    started = time.perf_counter()
    invalidate_index()
    resolve_name("warm-up")
    build_seconds = time.perf_counter() - started
    organisations = len({org_id for org_id, _ in rows})
    print(
        f"Registry: {organisations:,} organisations, {len(names):,} distinct names "
        f"(index built in {build_seconds:.2f} s)"
    )
    print(
        f"Queries: {len(names):,} names + {len(texts) - len(names):,} messy variants "
        f"= {len(texts):,}; kind filter: {args.kind or 'none'}"
    )

    lookup = {name: bodies_by_key[normalise(name)] for name in names}
    resolver_rate = _rate(lambda text: resolve_name(text, kind=args.kind), texts, args.repeats)
    dict_rate = _rate(lookup.get, texts, args.repeats)
    # Typos are the slow path (they reach the fuzzy stage): the worst case for an importer.
    typos = [q.text for q in queries if q.group == "typo"]
    typo_rate = _rate(lambda text: resolve_name(text, kind=args.kind), typos, args.repeats)
    print(f"\nNames per second, median of {args.repeats} runs")
    print(f"  resolve_name       {resolver_rate:>12,.0f}")
    print(f"    typos alone      {typo_rate:>12,.0f}")
    print(f"  exact dict lookup  {dict_rate:>12,.0f}")
    print(f"  ratio              {dict_rate / resolver_rate:>12,.0f}x slower than a dict lookup")
    verdict = "met" if resolver_rate >= TARGET_NAMES_PER_SECOND else "NOT MET"
    print(f"  target             {TARGET_NAMES_PER_SECOND:>12,} names/s: {verdict}")

    tally: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for query in queries:
        best = resolve_name(query.text, kind=args.kind).best
        outcome = (
            "none"
            if best is None
            else "right"
            if best.organisation_id in query.expected
            else "wrong"
        )
        tally[query.group][outcome] += 1
        if query.group != "name":
            tally["all variants"][outcome] += 1
    print("\nAccuracy: the best match is a body with that name (right), none, or another (wrong)")
    for group in ["name", *VARIANTS, "all variants"]:
        counts = tally[group]
        total = sum(counts.values())
        if total:
            print(
                f"  {group:<13} {counts['right'] / total:>7.1%} right  "
                f"{counts['none'] / total:>6.1%} none  {counts['wrong'] / total:>6.1%} wrong  "
                f"(of {total:,})"
            )
    return messy_report(args.repeats, args.misses)


def messy_report(repeats: int, misses: str | None) -> int:
    """Accuracy on the labelled messy council names, per part and kind, and their speed."""
    from kitbag.registry.resolver import resolve_name

    def code(name: str) -> str | None:
        best = resolve_name(name, kind="local-authority").best
        return best.code if best else None

    names = load_messy_names()
    rate = _rate(code, [n.name for n in names], repeats)
    print(
        f"\nMessy council names ({MESSY_NAMES.parent.name}/{MESSY_NAMES.name}, "
        f"kind=local-authority): {len(names)} names, {rate:,.0f} names per second"
    )
    tally: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    listed = []
    for messy in names:
        found = code(messy.name)
        result = outcome(messy.expected, found)
        for group in (messy.kind, "all"):
            tally[messy.part, group][result] += 1
            tally["both", group][result] += 1
        if result != "right" and misses in {messy.part, "all"}:
            listed.append(
                f"  {messy.part:<8} {messy.kind:<11} {messy.name!r}: "
                f"expected {messy.expected}, got {found}"
            )
    kinds = list(dict.fromkeys(n.kind for n in names))
    for part in (*PARTS, "both"):
        print(f"\n  {part:<12} {'right':>7} {'none':>7} {'wrong':>7}  of")
        for group in [*kinds, "all"]:
            counts = tally[part, group]
            total = sum(counts.values())
            if total:
                print(
                    f"  {group:<12} {counts['right'] / total:>7.1%} {counts['none'] / total:>7.1%} "
                    f"{counts['wrong'] / total:>7.1%}  {total:>4}"
                )
    if listed:
        print("\nNot resolved right:")
        print("\n".join(listed))
    return 0


def _rate(resolve: Callable[[str], object], texts: Sequence[str], repeats: int) -> float:
    timings = []
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        for text in texts:
            resolve(text)
        timings.append(time.perf_counter() - started)
    return len(texts) / statistics.median(timings)


def _case(name: str, rng: random.Random) -> str:
    return rng.choice([name.upper(), name.lower(), name.swapcase()])


def _punctuation(name: str, rng: random.Random) -> str:
    changed = name.replace(" and ", " & ") if " and " in name else name.replace(" & ", " and ")
    words = changed.split(" ")
    if len(words) > 1:
        at = rng.randrange(len(words) - 1)
        words[at] += rng.choice([",", ".", " -", "  "])
    return " ".join(words) + rng.choice(["", ".", " "])


def _abbreviation(name: str, rng: random.Random) -> str | None:
    for pattern, abbreviation in ABBREVIATIONS:
        if pattern.search(name):
            return pattern.sub(abbreviation, name, count=1)
    return None


def _typo(name: str, rng: random.Random) -> str | None:
    words = name.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha()]
    if not long_words:
        return None
    at = rng.choice(long_words)
    word = words[at]
    # Never the first letter: people rarely get that wrong.
    i = rng.randrange(1, len(word) - 1)
    slip = rng.choice(["drop", "swap", "double", "replace"])
    if slip == "drop":
        word = word[:i] + word[i + 1 :]
    elif slip == "swap":
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif slip == "double":
        word = word[:i] + word[i] + word[i:]
    else:
        word = word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]
    words[at] = word
    return " ".join(words)


VARIANTS: dict[str, Callable[[str, random.Random], str | None]] = {
    "case": _case,
    "punctuation": _punctuation,
    "abbreviation": _abbreviation,
    "typo": _typo,
}


if __name__ == "__main__":
    sys.exit(main())
