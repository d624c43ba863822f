"""Campaign grouping of near-identical comments."""

from __future__ import annotations

from kitbag.consultations.campaigns import group_near_duplicates

CAMPAIGN = (
    "I object to the closure of Northfield library. The library is a lifeline for older people, "
    "children and job seekers, and the nearest branch is two bus rides away. Please keep it open."
)


def test_variants_group_and_distinct_comments_do_not() -> None:
    texts = {
        "1": CAMPAIGN,
        "2": "Dear council, " + CAMPAIGN + " Yours, Jane Smith",
        "3": CAMPAIGN.replace("lifeline", "lifline"),
        "4": "The library opening hours should include Sunday afternoons for families.",
    }
    assert group_near_duplicates(texts) == [["1", "2", "3"]]
