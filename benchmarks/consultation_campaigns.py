"""Consultation campaigns: pairwise precision and recall of near-duplicate grouping, and its time.

Reads the hand-labelled comments in benchmarks/consultations/campaign_comments.json (several
campaign texts sent with variants, and individual comments on the same topics), groups them with
`kitbag.consultations.campaigns.group_near_duplicates` and counts pairs of comments: a pair is
"same campaign" in the labels when both name the same campaign, and "grouped" when both land in one
group. Precision = right pairs grouped / pairs grouped; recall = right pairs grouped / labelled
pairs. Prints both for a few thresholds around the default, then the time on the labelled set and
on a synthetic 10,000 comments (campaign variants and distinct comments), beside the time to hash
every comment (the least any grouping must do).

    .venv/bin/python benchmarks/consultation_campaigns.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kitbag.consultations.campaigns import DEFAULT_THRESHOLD, group_near_duplicates  # noqa: E402

LABELLED = Path(__file__).resolve().parent / "consultations" / "campaign_comments.json"


def load() -> tuple[dict[str, str], dict[str, str | None]]:
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    texts = {c["id"]: c["text"] for c in data["comments"]}
    labels = {c["id"]: c["campaign"] for c in data["comments"]}
    return texts, labels


def pairwise(
    groups: list[list[str]], labels: dict[str, str | None]
) -> tuple[float, float, int, int]:
    """(precision, recall, wrong pairs grouped, right pairs missed)."""
    grouped = {frozenset(pair) for group in groups for pair in combinations(group, 2)}
    by_campaign: dict[str, list[str]] = {}
    for key, campaign in labels.items():
        if campaign:
            by_campaign.setdefault(campaign, []).append(key)
    truth = {
        frozenset(pair) for members in by_campaign.values() for pair in combinations(members, 2)
    }
    right = len(grouped & truth)
    precision = right / len(grouped) if grouped else 1.0
    recall = right / len(truth) if truth else 1.0
    return precision, recall, len(grouped - truth), len(truth - grouped)


def synthetic(n: int, texts: dict[str, str], seed: int = 5) -> dict[str, str]:
    """n comments: the labelled ones shuffled word-wise into distinct texts, plus campaign copies."""
    rng = random.Random(seed)
    pool = list(texts.values())
    vocabulary = " ".join(pool).split()
    out = {}
    for k in range(n):
        if rng.random() < 0.4:
            base = rng.choice(pool).split()
            k1 = rng.randrange(len(base))
            base[k1] = rng.choice(vocabulary)
            out[f"s{k}"] = " ".join(base)
        else:
            out[f"s{k}"] = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(15, 80)))
    return out


def main() -> None:
    texts, labels = load()
    campaigns = {c for c in labels.values() if c}
    print(
        f"Labelled set: {len(texts)} comments, {sum(1 for c in labels.values() if c)} from "
        f"{len(campaigns)} campaigns, {sum(1 for c in labels.values() if not c)} individual"
    )
    for threshold in (0.3, 0.4, DEFAULT_THRESHOLD, 0.6, 0.7):
        groups = group_near_duplicates(texts, threshold=threshold)
        precision, recall, wrong, missed = pairwise(groups, labels)
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        print(
            f"threshold {threshold:.2f}{mark}: precision {precision:.3f}, recall {recall:.3f} "
            f"({len(groups)} groups; {wrong} wrong pairs, {missed} missed pairs)"
        )
    start = time.perf_counter()
    group_near_duplicates(texts)
    labelled_time = time.perf_counter() - start
    big = synthetic(10_000, texts)
    start = time.perf_counter()
    groups = group_near_duplicates(big)
    big_time = time.perf_counter() - start
    start = time.perf_counter()
    {hashlib.sha256(t.encode()).digest() for t in big.values()}
    hash_time = time.perf_counter() - start
    print(f"time, labelled set: {labelled_time * 1000:.1f} ms")
    print(f"time, 10,000 synthetic comments: {big_time * 1000:.0f} ms ({len(groups)} groups)")
    print(f"baseline: hash 10,000 comments: {hash_time * 1000:.1f} ms")


if __name__ == "__main__":
    main()
