"""Campaign grouping of near-identical comments: rows of variants, then the labelled set."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from kitbag.consultations.campaigns import (
    group_near_duplicates,
    representative,
    shingles,
    similarity,
)

CAMPAIGN = (
    "I object to the closure of Northfield library. The library is a lifeline for older people, "
    "children and job seekers, and the nearest branch is two bus rides away. The council should "
    "find the savings elsewhere and keep Northfield library open with paid staff."
)
OWN = (
    "Northfield library is well used on weekday mornings by parents with toddlers. If it has to "
    "reduce its hours, please keep the mornings and close on a weekday afternoon instead."
)


@pytest.mark.parametrize(
    ("variant", "same"),
    [
        (CAMPAIGN, True),
        ("Dear Sir or Madam,\n\n" + CAMPAIGN + "\n\nYours faithfully, Jane Smith", True),
        (CAMPAIGN.replace("lifeline", "lifline").replace("nearest", "naerest"), True),
        (CAMPAIGN + " My mother relies on the large-print books.", True),
        (CAMPAIGN.upper(), True),
        (
            "When my husband died the library was the only place I went to for months. The staff "
            "knew my name, found me books and told me about the coffee morning where I made new "
            "friends. I would not have got through that year without it.\n\n" + CAMPAIGN,
            True,
        ),
        (OWN, False),
        (
            "A leaflet says the library is a lifeline for older people, children and job seekers. "
            "That is true for Northfield, but Southgate library is a ten minute walk for most of "
            "its users and its hours could be cut without harm. Please look at each library on "
            "its own evidence rather than treating them all the same.",
            False,
        ),
        ("I object.", False),
    ],
)
def test_variant_rows(variant: str, same: bool) -> None:
    other = (
        "The mobile library should stop at the new housing estate at Ridgeway, which has no bus."
    )
    groups = group_near_duplicates({"original": CAMPAIGN, "variant": variant, "other": other})
    assert (groups == [["original", "variant"]]) is same
    assert all("other" not in group for group in groups)


def test_groups_largest_first_and_chains() -> None:
    texts = {
        "a1": CAMPAIGN,
        "a2": CAMPAIGN + " Thank you.",
        "a3": CAMPAIGN.replace("paid staff", "trained and paid staff"),
        "b1": OWN,
        "b2": OWN + " Regards, Tom.",
        "c": "Sunday opening is a good idea but 1pm to 4pm is too short.",
        "empty": "",
    }
    assert group_near_duplicates(texts) == [["a1", "a2", "a3"], ["b1", "b2"]]
    assert group_near_duplicates({}) == []


def test_similarity_bounds() -> None:
    a = shingles(CAMPAIGN)
    assert similarity(a, a) == 1.0
    assert similarity(a, frozenset()) == 0.0
    assert 0 <= similarity(a, shingles(OWN)) < 0.1


def test_labelled_set_precision_and_recall() -> None:
    """Quality, not time: pairwise precision and recall on the hand-labelled comments that the
    benchmark (benchmarks/consultation_campaigns.py) reports."""
    path = Path(__file__).resolve().parents[3] / "benchmarks/consultations/campaign_comments.json"
    comments = json.loads(path.read_text(encoding="utf-8"))["comments"]
    assert len(comments) >= 150
    groups = group_near_duplicates({c["id"]: c["text"] for c in comments})
    grouped = {frozenset(pair) for group in groups for pair in combinations(group, 2)}
    by_campaign: dict[str, list[str]] = {}
    for c in comments:
        if c["campaign"]:
            by_campaign.setdefault(c["campaign"], []).append(c["id"])
    truth = {frozenset(p) for ids in by_campaign.values() for p in combinations(ids, 2)}
    precision = len(grouped & truth) / len(grouped)
    recall = len(grouped & truth) / len(truth)
    assert precision >= 0.95, precision
    assert recall >= 0.9, recall


def test_representative_is_the_campaign_text() -> None:
    texts = {
        "signed": "Dear council,\n\n" + CAMPAIGN + "\n\nYours, Jane Smith",
        "plain": CAMPAIGN,
        "typos": CAMPAIGN.replace("lifeline", "lifline"),
        "story": OWN + "\n\n" + CAMPAIGN,
    }
    (group,) = group_near_duplicates(texts)
    assert representative(group, texts) == "plain"
    assert representative(["only"], {"only": "text"}) == "only"
