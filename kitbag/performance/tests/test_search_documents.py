"""Partnerships in the site-wide search: only those the public may see, kept up to date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kitbag.performance import services
from kitbag.performance.models import Visibility
from kitbag.performance.tests.partnership_world import build_partnership_world
from kitbag.search.queries import site_search

pytestmark = pytest.mark.django_db


def _partnership_count(words: str) -> int:
    return site_search(query=words).count_of("partnership")


def test_a_public_partnership_is_found_by_its_name_outcomes_and_members() -> None:
    world = build_partnership_world()
    assert _partnership_count("healthy ageing") == 1
    assert _partnership_count("falls") == 1  # its outcome
    assert _partnership_count("Watchford") == 1  # a member
    answer = Client().get(reverse("api_search"), {"q": "healthy ageing"}).json()
    hits = [hit for hit in answer["results"] if hit["kind"] == "partnership"]
    assert hits[0]["url"].endswith(
        reverse("performance:partnership_detail", args=[world.partnership.slug])
    )


@pytest.mark.parametrize("visibility", [Visibility.PARTNERS, Visibility.ORGANISATION])
def test_a_partnership_the_public_may_not_see_is_never_found_or_counted(visibility: str) -> None:
    build_partnership_world(visibility=visibility)
    assert _partnership_count("healthy ageing") == 0
    answer = Client().get(reverse("api_search"), {"q": "healthy ageing"}).json()
    assert {kind["kind"]: kind["count"] for kind in answer["kinds"]}["partnership"] == 0
    assert "Healthy Ageing" not in Client().get("/search/", {"q": "healthy ageing"}).text


def test_an_embargoed_partnership_stays_out_and_a_member_who_leaves_is_no_longer_matched() -> None:
    world = build_partnership_world()
    partnership = world.partnership
    services.update_partnership(
        partnership=partnership,
        name=partnership.name,
        description=partnership.description,
        visibility=Visibility.PUBLIC,
        area_gss=[],
        area_description="",
        embargo_until=timezone.now() + dt.timedelta(days=3),
    )
    assert _partnership_count("healthy ageing") == 0
    services.update_partnership(
        partnership=partnership,
        name=partnership.name,
        description=partnership.description,
        visibility=Visibility.PUBLIC,
        area_gss=[],
        area_description="",
        embargo_until=None,
    )
    assert _partnership_count("Watchford") == 1
    observer = partnership.members.get(organisation=world.organisations["observer"])
    services.remove_member(member=observer)
    assert _partnership_count("Watchford") == 0
