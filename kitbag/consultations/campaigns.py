"""Campaigns: comments that are the same text sent by many people, with small changes.

Pure Python, no Django. Each comment becomes a set of word shingles (three consecutive words, from
`kitbag.search.text.words`, the tokeniser search and the similarity service share: folded case and
accents). Two comments are the same campaign text when their shingle sets overlap enough, measured
as the larger of

- Jaccard similarity (shared / all), which forgives a greeting, a signature, a typo or a word
  changed; and
- containment (shared / the shorter one's), which forgives a personal paragraph added around the
  campaign text, counted only when the shorter one is long enough to be a campaign text itself
  and lies almost whole inside the longer (`CONTAINED`), so that a comment quoting a sentence or
  two of a campaign in its author's own argument stays its author's own.

The similarity service's TF-IDF cosine (kitbag/cases/similarity.py) answers another question:
"about the same thing", which every comment on a library strategy is. A campaign is the same
*wording*, which shingles measure; see docs/decisions/0033-consultation-anchors-and-campaigns.md.

Grouping is a union-find over pairs that pass the threshold, so variants of variants join one
group. To stay near linear when thousands send one text, comments are compared with group
*leaders* only: a comment close to a leader (similarity ≥ `COPY`) joins without becoming a
leader itself; one that passes the threshold less clearly joins and also becomes a leader, so
that variants further from the original can still chain to it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from kitbag.search.text import words

__all__ = [
    "DEFAULT_THRESHOLD",
    "group_near_duplicates",
    "representative",
    "shingles",
    "similarity",
]

SHINGLE = 3
# Chosen on benchmarks/consultations/campaign_comments.json: see docs/performance.md.
DEFAULT_THRESHOLD = 0.5
# Containment counts only for a shorter text of at least this many shingles ("I agree with the
# proposal" is contained in many comments without being a campaign), and only when at least this
# share of it is inside the longer one (a quoted campaign sentence or two is not the campaign).
MIN_CONTAINED = 12
CONTAINED = 0.7
# A comment this close to a leader is a copy: it joins the group without being compared again.
COPY = 0.8

Shingle = str


def shingles(text: str) -> frozenset[Shingle]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return frozenset({" ".join(tokens)}) if tokens else frozenset()
    return frozenset(" ".join(tokens[k : k + SHINGLE]) for k in range(len(tokens) - SHINGLE + 1))


def _score(shared: int, size_a: int, size_b: int) -> float:
    if not shared or not size_a or not size_b:
        return 0.0
    jaccard = shared / (size_a + size_b - shared)
    smaller = min(size_a, size_b)
    if smaller >= MIN_CONTAINED and shared >= CONTAINED * smaller:
        return max(jaccard, shared / smaller)
    return jaccard


def similarity(a: frozenset[Shingle], b: frozenset[Shingle]) -> float:
    """How much two comments are one text (module docstring), from 0 to 1."""
    return _score(len(a & b), len(a), len(b))


def group_near_duplicates(
    texts: Mapping[str, str], *, threshold: float = DEFAULT_THRESHOLD
) -> list[list[str]]:
    """Groups (of comment ids, each of 2+ members, largest first) of comments that are the same
    campaign text with small changes (a name, a sentence added, typos)."""
    ids = list(texts)
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    # Longest first: a campaign text with a paragraph added leads, and its shorter variants are
    # measured against it by containment.
    sets = [shingles(texts[key]) for key in ids]
    order = sorted(range(len(ids)), key=lambda k: (-len(sets[k]), k))
    index: dict[Shingle, list[int]] = defaultdict(list)
    exact: dict[frozenset[Shingle], int] = {}
    for k in order:
        found = sets[k]
        if not found:
            continue
        if found in exact:  # the very same words: a copy
            union(exact[found], k)
            continue
        exact[found] = k
        shared: Counter[int] = Counter()
        for shingle in found:
            for leader in index.get(shingle, ()):
                shared[leader] += 1
        best = 0.0
        for leader, count in shared.items():
            score = _score(count, len(found), len(sets[leader]))
            if score >= threshold:
                union(leader, k)
                best = max(best, score)
        if best < COPY:
            for shingle in found:
                index[shingle].append(k)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(ids)):
        groups[find(k)].append(k)
    found_groups = sorted(
        (members for members in groups.values() if len(members) > 1),
        key=lambda members: (-len(members), members[0]),
    )
    return [[ids[k] for k in members] for members in found_groups]


# The medoid is looked for among this many members at most: a campaign of 5,000 copies has its
# text in the first few hundred as surely as in all of them.
REPRESENTATIVE_SAMPLE = 200


def representative(members: Sequence[str], texts: Mapping[str, str]) -> str:
    """The id of the member closest to all the others (the medoid): the text to show once as
    "N people sent this text", the others being its variants. Ties go to the first member."""
    sample = list(members[:REPRESENTATIVE_SAMPLE])
    sets = {key: shingles(texts[key]) for key in sample}
    return max(
        sample,
        key=lambda key: (
            sum(similarity(sets[key], sets[other]) for other in sample if other != key),
            -sample.index(key),
        ),
    )
