"""Campaigns: comments that are the same text sent by many people, with small changes.

Pure Python, no Django. Each comment becomes a set of word shingles (three consecutive words,
folded by the search package's `words`, the tokeniser the similarity service shares); two comments
are the same campaign text when their shingle sets overlap enough, measured as the larger of
Jaccard similarity and containment (the share of the shorter one found in the longer one, so that a
campaign text with a personal paragraph added still counts). Pairs are found through an inverted
index of shingles and joined with a union-find, so a campaign is one group however its variants
chain. See docs/decisions/0033-consultation-anchors-and-campaigns.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from kitbag.search.text import words

__all__ = ["DEFAULT_THRESHOLD", "group_near_duplicates", "shingles", "similarity"]

SHINGLE = 3
DEFAULT_THRESHOLD = 0.5
# Containment only counts for a shorter text of at least this many shingles: "I agree." is
# contained in many comments without being a campaign.
MIN_CONTAINED = 12


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return frozenset({tuple(tokens)}) if tokens else frozenset()
    return frozenset(tuple(tokens[k : k + SHINGLE]) for k in range(len(tokens) - SHINGLE + 1))


def similarity(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    jaccard = shared / len(a | b)
    smaller = min(len(a), len(b))
    containment = shared / smaller if smaller >= MIN_CONTAINED else 0.0
    return max(jaccard, containment)


def group_near_duplicates(
    texts: Mapping[str, str], *, threshold: float = DEFAULT_THRESHOLD
) -> list[list[str]]:
    """Groups (of comment ids, each of 2+ members, largest first) of comments that are the same
    campaign text with small changes (a name, a sentence added, typos)."""
    ids = list(texts)
    sets = [shingles(texts[key]) for key in ids]
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for k, found in enumerate(sets):
        for shingle in found:
            index[shingle].append(k)
    for k, found in enumerate(sets):
        candidates = {other for shingle in found for other in index[shingle] if other > k}
        for other in candidates:
            if find(k) != find(other) and similarity(found, sets[other]) >= threshold:
                parent[find(other)] = find(k)
    groups: dict[int, list[str]] = defaultdict(list)
    for k, key in enumerate(ids):
        groups[find(k)].append(key)
    found_groups = [members for members in groups.values() if len(members) > 1]
    return sorted(found_groups, key=lambda members: (-len(members), ids.index(members[0])))
