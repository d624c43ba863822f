"""GET /api/v1/people and /api/v1/people/<id>: public profiles only, paginated like every list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.network.models import Offer
from kitbag.network.tests.factories import Lgsl, end_memberships, person, profile_of
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_list_has_public_people_only_with_count_and_results(lgsl: Lgsl) -> None:
    camden = OrganisationFactory.create(name="Camden Council")
    person(
        name="Ada Helper",
        email="ada@camden.gov.uk",
        organisation=camden,
        services_known=["524"],
        tags=["chatbots"],
        offers=[Offer.MENTOR],
        accepts_messages=True,
    )
    person(name="Secret Sam", public=False, services_known=["524"])
    body = Client().get("/api/v1/people").json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [ada] = body["results"]
    assert ada["name"] == "Ada Helper"
    assert ada["organisation"] == {"slug": camden.slug, "name": "Camden Council"}
    assert ada["services"] == [{"code": "524", "name": "Bin collection"}]
    assert ada["tags"] == ["chatbots"] and ada["offers"] == ["mentor"]
    assert ada["accepts_messages"] is True
    assert "ada@camden.gov.uk" not in str(body)
    assert Client().get(ada["url"]).json()["name"] == "Ada Helper"


def test_the_list_filters_as_the_page_does(lgsl: Lgsl) -> None:
    person(name="Ada", services_known=["524"], tags=["chatbots"], offers=[Offer.TALK])
    person(name="Bo", services_known=["59"], tags=["payments"], offers=[Offer.VISIT])

    def names(**params: Any) -> list[str]:
        return [p["name"] for p in Client().get("/api/v1/people", params).json()["results"]]

    assert names(service="524") == ["Ada"]
    assert names(tag="payments") == ["Bo"]
    assert names(offer="visit") == ["Bo"]
    assert names(q="Ada") == ["Ada"]
    assert Client().get("/api/v1/people", {"offer": "bribes"}).status_code == 400
    assert Client().get("/api/v1/people", {"page": "0"}).status_code == 400
    assert Client().get("/api/v1/people", {"page": "9"}).status_code == 404
    assert Client().get("/api/v1/people", {"page": "9" * 30}).status_code == 404
    assert Client().get("/api/v1/people", {"q": "\x00", "tag": "\x00"}).status_code == 200


def test_the_organisation_goes_when_the_membership_ends(lgsl: Lgsl) -> None:
    camden = OrganisationFactory.create()
    ada = person(name="Ada", organisation=camden)
    end_memberships(ada)
    assert Client().get(f"/api/v1/people/{profile_of(ada).pk}").json()["organisation"] is None


def test_a_private_or_missing_profile_is_the_same_404(lgsl: Lgsl) -> None:
    hidden = person(name="Secret Sam", public=False)
    private = Client().get(f"/api/v1/people/{profile_of(hidden).pk}")
    missing = Client().get("/api/v1/people/999999")
    assert private.status_code == missing.status_code == 404
    assert private.json() == missing.json()


def test_the_list_costs_a_fixed_number_of_queries(
    lgsl: Lgsl, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        person(name=f"Helper {n}", services_known=["524"], tags=[f"tag{n}"], offers=["talk"])
    Client().get("/api/v1/people")
    with django_assert_max_num_queries(10):
        body = Client().get("/api/v1/people").json()
    assert body["count"] == 15
