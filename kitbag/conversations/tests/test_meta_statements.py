"""Guessing which statements of an older Polis export are meta, from their wording and author."""

from __future__ import annotations

import pytest

from kitbag.conversations.meta_statements import describes_the_participant, guess_meta
from kitbag.conversations.polis_files import Comment


@pytest.mark.parametrize(
    "text",
    [
        "I am between 15 and 19 years old.",
        "I  am 55 years of age or older",
        "I am under 25.",
        "I identify as female.",
        "I am Female",
        "My ethnicity is Mixed (Multiple ethnic groups).",
        "My gender has changed since birth.",
        "English is my first language.",
        "I live in a rural area",
        "I have lived in BG/Warren County all my life.",
        "I work in the field of housing\n",
        "I am self-employed",
        "I am currently working",
        "I am receiving or have received some form of WINZ allowance",
        "I had at least one encounter (good or bad) with the police.",
    ],
)
def test_statements_that_describe_the_voter_are_recognised(text: str) -> None:
    assert describes_the_participant(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am worried about security issues with online voting.",
        "I am pleased with the current electoral system.",
        "I am prepared to pay a higher tax rate to improve services",
        "I grew up watching football.",
        "Buses should run later at night.",
        "The Land Bank should open more trails.",
    ],
)
def test_opinions_in_the_first_person_are_not(text: str) -> None:
    assert not describes_the_participant(text)


def comment(cid: int, author: int, body: str, timestamp: int) -> Comment:
    return Comment(
        id=cid, author=author, agrees=0, disagrees=0, moderated=1, body=body, timestamp=timestamp
    )


def test_only_the_owners_seed_statements_are_guessed() -> None:
    comments = [
        comment(0, 7, "Parking should be free on Sundays.", 100),
        comment(1, 7, "I live in the town centre.", 200),
        comment(2, 9, "I live in fear of the traffic.", 300),
        comment(3, 7, "I am under 30 years of age", 400),
    ]
    assert guess_meta(comments) == {1, 3}
    assert guess_meta([]) == set()
