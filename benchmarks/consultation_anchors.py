"""Consultation anchors: carrying 10,000 comments to a revised 500-paragraph document, and accuracy.

1. Speed. A generated document of 500 paragraphs (Zipf-distributed words, 15 to 90 a paragraph)
   is revised with a realistic mix of edits: most paragraphs untouched, some edited a little,
   moved, moved and edited, split, merged, rewritten, deleted, and new ones inserted. 10,000
   comments (a third of them on a quoted span) are carried forward with
   `kitbag.consultations.anchoring.carry_forward`, after `revise` gave the new version its ids.
   Baselines in the same run: hashing every paragraph text of both versions (the least any
   anchoring must do), and a paragraph-level difflib over the two versions' texts (what a tool
   that only keeps identical paragraphs would do).
2. Accuracy on the generated revision, whose true fate of every paragraph is known.
3. Accuracy on realistic pairs: a county council's draft library strategy and its revised draft
   (benchmarks/consultations/library_strategy_v1.md and _v2.md), with 42 comments and the anchor
   a reader would expect for each (library_strategy_comments.json); a town centre parking
   strategy (parking_strategy_*, 32 comments) and a plain-text licensing policy
   (licensing_policy_*, 26 comments) likewise.

    .venv/bin/python benchmarks/consultation_anchors.py [--paragraphs 500] [--comments 10000]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import itertools
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kitbag.consultations.anchoring import (  # noqa: E402
    Anchor,
    CommentPlace,
    Paragraph,
    Quote,
    Status,
    carry_forward,
    revise,
    split_blocks,
)

HERE = Path(__file__).resolve().parent / "consultations"

COMMON = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "for",
    "is",
    "on",
    "that",
    "by",
    "with",
    "will",
    "be",
    "as",
    "are",
    "we",
    "this",
    "or",
    "from",
    "at",
    "it",
    "an",
    "our",
    "have",
    "which",
    "their",
    "they",
    "not",
    "can",
    "all",
    "has",
    "more",
    "also",
    "been",
    "if",
    "any",
    "who",
    "would",
    "should",
    "may",
]


@dataclass(frozen=True)
class Expected:
    # Index of the new paragraph the comment should land on (None: removed) and its status.
    paragraph: int | None
    status: Status


_ZIPF: list[float] = []


def _words(rng: random.Random, vocabulary: list[str], n: int) -> list[str]:
    # Nearly half the words are function words, the rest follow Zipf's law (frequency ~ 1/rank)
    # over the content vocabulary, as in English prose.
    if len(_ZIPF) != len(vocabulary):
        _ZIPF[:] = list(itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    out = []
    for _ in range(n):
        if rng.random() < 0.45:
            out.append(rng.choice(COMMON))
        else:
            out.append(rng.choices(vocabulary, cum_weights=_ZIPF)[0])
    return out


def _sentence_text(words: list[str]) -> str:
    # Sentences of about 15 words, so that a split between sentences is realistic.
    sentences = [words[k : k + 15] for k in range(0, len(words), 15)]
    return " ".join(" ".join(s).capitalize() + "." for s in sentences)


def generate(
    paragraphs: int, seed: int = 2027
) -> tuple[list[str], list[str], dict[int, list[int]], dict[int, list[int]]]:
    """Version 1 texts, version 2 texts, and for each old paragraph the new paragraphs that
    descend from it (first part first) and which of those are unchanged."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(
            rng.choice("bcdfghklmnprstvw") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
        )
        for _ in range(3000)
    ]
    old_words = [_words(rng, vocabulary, rng.randint(15, 90)) for _ in range(paragraphs)]
    old = [_sentence_text(w) for w in old_words]
    # (text, sources): the new document as a list, built in order with occasional moves.
    new: list[tuple[str, list[int], bool]] = []  # text, descends from, unchanged
    moved: list[tuple[str, list[int], bool]] = []
    k = 0
    while k < paragraphs:
        roll = rng.random()
        words = old_words[k]
        if roll < 0.66:
            new.append((old[k], [k], True))
        elif roll < 0.76:  # a small edit: a few words changed or added
            edited = list(words)
            for _ in range(rng.randint(1, 3)):
                edited[rng.randrange(len(edited))] = rng.choice(vocabulary[:500])
            new.append((_sentence_text(edited), [k], False))
        elif roll < 0.80:  # moved further down
            moved.append((old[k], [k], True))
        elif roll < 0.82:  # moved and edited
            edited = list(words) + _words(rng, vocabulary, 6)
            moved.append((_sentence_text(edited), [k], False))
        elif roll < 0.85:  # rewritten: a quarter of the words kept
            kept = words[: len(words) // 4] + _words(rng, vocabulary, len(words))
            new.append((_sentence_text(kept), [], False))
            k += 1
            continue
        elif roll < 0.88:  # deleted
            k += 1
            continue
        elif roll < 0.91 and len(words) >= 30:  # split at a sentence
            cut = 15 * rng.randint(1, (len(words) - 1) // 15)
            new.append((_sentence_text(words[:cut]), [k], False))
            new.append((_sentence_text(words[cut:]), [k], False))
        elif roll < 0.94 and k + 1 < paragraphs:  # merged with the next
            new.append((old[k] + " " + old[k + 1], [k, k + 1], False))
            k += 2
            continue
        elif roll < 0.97:  # a new paragraph inserted before
            new.append((_sentence_text(_words(rng, vocabulary, rng.randint(15, 90))), [], False))
            new.append((old[k], [k], True))
        else:  # a sentence added
            new.append((old[k] + " " + _sentence_text(_words(rng, vocabulary, 12)), [k], False))
        k += 1
        if moved and rng.random() < 0.1:
            new.append(moved.pop(0))
    new.extend(moved)
    texts = [text for text, _, _ in new]
    descendants: dict[int, list[int]] = {i: [] for i in range(paragraphs)}
    unchanged: dict[int, list[int]] = {i: [] for i in range(paragraphs)}
    for j, (_, sources, same) in enumerate(new):
        for i in sources:
            descendants[i].append(j)
            if same:
                unchanged[i].append(j)
    return old, texts, descendants, unchanged


def _comments(
    rng: random.Random, old: list[Paragraph], count: int
) -> list[tuple[CommentPlace, int]]:
    out = []
    for n in range(count):
        i = rng.randrange(len(old))
        quote = None
        if rng.random() < 1 / 3:
            words = old[i].text.split()
            start = rng.randrange(len(words))
            exact = " ".join(words[start : start + rng.randint(2, 6)])
            quote = Quote(exact=exact)
        out.append((CommentPlace(f"c{n}", 1, old[i].id, quote), i))
    return out


def _timed(action: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


PAIRS = ("library_strategy", "parking_strategy", "licensing_policy")


def realistic_pair(name: str = "library_strategy") -> tuple[int, int, list[str]]:
    """(right, total, descriptions of the misses) on a realistic pair of versions."""
    v1_texts = split_blocks((HERE / f"{name}_v1.md").read_text(encoding="utf-8"))
    v2_texts = split_blocks((HERE / f"{name}_v2.md").read_text(encoding="utf-8"))
    data = json.loads((HERE / f"{name}_comments.json").read_text(encoding="utf-8"))
    v1 = [Paragraph(f"a{k}", text) for k, text in enumerate(v1_texts, 1)]
    counter = itertools.count(1)
    v2 = revise(v1, v2_texts, new_id=lambda: f"b{next(counter)}")
    places = []
    for comment in data["comments"]:
        quote = comment["quote"]
        places.append(
            CommentPlace(
                comment["id"],
                1,
                v1[comment["paragraph"] - 1].id,
                None if quote is None else Quote(**quote),
            )
        )
    anchors = carry_forward({1: v1, 2: v2}, places)
    right = 0
    misses = []
    for comment in data["comments"]:
        expected = comment["expected"]
        paragraph = expected["paragraph"]
        want = Anchor(
            2, None if paragraph is None else v2[paragraph - 1].id, Status(expected["status"])
        )
        got = anchors[comment["id"]]
        if got == want:
            right += 1
        else:
            where = {p.id: k for k, p in enumerate(v2, 1)}
            misses.append(
                f"{comment['id']} ({comment['tests']}): expected {paragraph} {want.status}, "
                f"got {where.get(got.paragraph or '')} {got.status}"
            )
    return right, len(data["comments"]), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--comments", type=int, default=10_000)
    args = parser.parse_args()

    old_texts, new_texts, descendants, unchanged = generate(args.paragraphs)
    old = [Paragraph(f"p{k}", text) for k, text in enumerate(old_texts)]
    rng = random.Random(7)
    comments = _comments(rng, old, args.comments)
    places = [place for place, _ in comments]
    counter = itertools.count()

    def hash_all() -> int:
        return len(
            {hashlib.sha256(t.encode()).digest() for t in itertools.chain(old_texts, new_texts)}
        )

    def paragraph_diff() -> int:
        matcher = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
        return sum(block.size for block in matcher.get_matching_blocks())

    revise_time, new_version = _timed(
        lambda: revise(old, new_texts, new_id=lambda: f"n{next(counter)}")
    )
    assert isinstance(new_version, list)
    carry_time, anchors = _timed(lambda: carry_forward({1: old, 2: new_version}, places))
    assert isinstance(anchors, dict)
    hash_time, _ = _timed(hash_all, repeat=20)
    diff_time, _ = _timed(paragraph_diff, repeat=5)

    # Accuracy on the generated revision: the comment's paragraph must land on one of its true
    # descendants (the first one when it has no quote), with the right status.
    right = 0
    for place, i in comments:
        got = anchors[place.id]
        truth = descendants[i]
        if not truth:
            ok = got.paragraph is None
        else:
            ids = [new_version[j].id for j in truth]
            status = Status.UNCHANGED if unchanged[i] else Status.EDITED
            ok = got.status is status and (
                got.paragraph in ids if place.quote else got.paragraph == ids[0]
            )
        right += ok

    print(
        f"Document: {len(old)} paragraphs -> {len(new_texts)} in the revision; {len(places)} comments"
    )
    print(f"revise (ids for the new version):      {revise_time * 1000:8.1f} ms")
    print(f"carry_forward ({len(places)} comments):      {carry_time * 1000:8.1f} ms")
    print(f"baseline: hash every paragraph text:   {hash_time * 1000:8.2f} ms")
    print(f"baseline: paragraph-level difflib:     {diff_time * 1000:8.1f} ms")
    # The worst case for matching: every paragraph touched (a word replaced throughout and a
    # sentence added), then the same shuffled.
    touched = [text.replace(" the ", " this ") + " Updated." for text in old_texts]
    shuffled = touched[:]
    random.Random(3).shuffle(shuffled)
    touched_time, _ = _timed(
        lambda: carry_forward(
            {1: old, 2: [Paragraph(f"t{k}", t) for k, t in enumerate(touched)]}, places
        )
    )
    shuffled_time, _ = _timed(
        lambda: carry_forward(
            {1: old, 2: [Paragraph(f"t{k}", t) for k, t in enumerate(shuffled)]}, places
        )
    )
    print(f"carry_forward, every paragraph edited:  {touched_time * 1000:8.1f} ms")
    print(f"carry_forward, ... and shuffled:        {shuffled_time * 1000:8.1f} ms")
    print(f"generated revision: {right}/{len(places)} anchors right ({right / len(places):.1%})")
    for name in PAIRS:
        right, total, misses = realistic_pair(name)
        print(f"{name.replace('_', ' ')} pair: {right}/{total} anchors right")
        for miss in misses:
            print("  miss:", miss)


if __name__ == "__main__":
    main()
