"""Which statements of a Polis export are "meta": about the participant, not an opinion.

Organisers add statements such as "I am under 30 years of age" or "I live in a rural area" so that
a report can be read by who voted; Polis zeroes such statements in the vote matrix (they must not
make the opinion groups) and shows them first. Older openData exports do not say which statements
were meta (newer ones have an `is-meta` column, read instead of this), and treating them as
opinions moves the groups far from Polis's (london.youth.policing: ARI 0.14 against 0.96).

The guess: a statement the conversation's owner seeded (the author of its first statement) that
describes the participant in one of the usual ways: age, gender, ethnicity, language, where they
live, their work, benefits, children, contact with a service. A participant's own "I am worried
about..." is an opinion and never guessed. On bg2050-volunteers, the one export here with an
`is-meta` column, the guess finds exactly its meta statement. No Django: shared by the importer
and the benchmarks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kitbag.conversations.polis_files import Comment

_DESCRIBES_THE_PARTICIPANT = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^i am\b.{0,40}\b(years? old|years? of age)\b",
        r"^i am (aged |under |over |between )?\d+\b",
        r"^i (self[- ])?identify as\b",
        r"^i am (a |an )?(male|female|man|woman|non[- ]binary|trans(gender)?)\b",
        r"^my (gender|sex|ethnicity|ethnic background|race|age|religion|first language"
        r"|sexual orientation)\b",
        r"^\w+ is my (first|native|main|home) language\b",
        r"^i (live|have lived|was born)\b",
        r"^i grew up (in|on)\b",
        r"^i (work|am employed|have worked)\b",
        r"^i am (a |an )?(student|pensioner|retired|unemployed|self[- ]?employed|employed|farmer"
        r"|parent|carer|homeowner|home owner|renter|tenant|landlord|business owner"
        r"|public servant|civil servant|teacher|nurse|doctor|police officer|volunteer"
        r"|resident)\b",
        r"^i am (currently )?(working|studying|in work|out of work|in education)\b",
        r"^i (am receiving|receive|have received|am on)\b.{0,60}"
        r"\b(benefits?|allowance|pension|credit)\b",
        r"^i have (children|kids|a child|no children|a disability)\b",
        r"^i (had|have had)\b.{0,40}\b(encounter|contact)\b",
    )
]


def describes_the_participant(text: str) -> bool:
    """Whether a statement's wording describes who is voting rather than what they think."""
    plain = " ".join(text.split())
    return any(pattern.search(plain) for pattern in _DESCRIBES_THE_PARTICIPANT)


def guess_meta(comments: Sequence[Comment]) -> set[int]:
    """The comment ids that look like meta statements: seeded by the owner, about the voter."""
    if not comments:
        return set()
    first = min(comments, key=lambda c: (c.timestamp is None, c.timestamp or 0, c.id))
    return {
        c.id
        for c in comments
        if c.author is not None and c.author == first.author and describes_the_participant(c.body)
    }
