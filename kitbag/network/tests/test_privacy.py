"""Nothing about a person is public unless they chose it: a profile that is not public appears on
no channel (page, people search, the search index, the API, feeds, another app's list), however
much the person has filled in, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.tests.factories import CaseFactory
from kitbag.network import queries
from kitbag.network.models import Offer
from kitbag.network.tests.factories import Lgsl, person, profile_of
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.search.models import SearchDocument
from kitbag.search.queries import search

pytestmark = pytest.mark.django_db

NAME = "Zebedee Quietly"
ADDRESS = "zebedee@camden.gov.uk"


@pytest.fixture
def private_person(lgsl: Lgsl) -> Any:
    camden = OrganisationFactory.create(name="Camden Council", slug="camden")
    user = person(
        name=NAME,
        email=ADDRESS,
        public=False,
        job_title="Head of quiet things",
        help_with="Unfindable expertise",
        organisation=camden,
        services_known=["524"],
        tags=["zebedeetag"],
        offers=[Offer.MENTOR],
        accepts_messages=True,
    )
    CaseFactory.create(title="A published case", owner=user, lead_organisation=camden)
    return user


def _viewers() -> list[tuple[str, Client]]:
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(person(name="Someone Else", public=False))
    staff = Client()
    staff.force_login(UserFactory.create(is_staff=True))
    return [("anonymous", anonymous), ("signed in", signed_in), ("staff", staff)]


def _says_nothing(text: str, *, typed: str = "") -> None:
    """None of what the person filled in is in `text`, apart from what a searcher typed (a search
    box shows its own words back)."""
    for secret in (NAME, ADDRESS, "Head of quiet things", "Unfindable", "zebedeetag"):
        if secret != typed:
            assert secret not in text, secret


def test_its_page_and_ask_pages_are_not_found_for_everyone(private_person: Any) -> None:
    pk = profile_of(private_person).pk
    for who, client in _viewers():
        for url in (f"/people/{pk}/", f"/people/{pk}/ask/", f"/people/{pk}/mentoring/"):
            response = client.get(url)
            # Anonymous visitors are sent to sign in for the ask pages before anything is read.
            assert response.status_code in ({302, 404} if who == "anonymous" else {404}), (who, url)
            _says_nothing(response.content.decode())


def test_the_people_search_never_lists_it(private_person: Any) -> None:
    for _who, client in _viewers():
        for params in (
            {},
            {"q": "Zebedee"},
            {"tag": "zebedeetag"},
            {"service": "524"},
            {"offer": "mentor"},
            {"organisation": "camden"},
        ):
            response = client.get("/people/", params)
            assert response.status_code == 200
            assert "0 people" in response.content.decode()
            _says_nothing(response.content.decode(), typed=params.get("tag", ""))


def test_the_search_index_holds_nothing_about_it(private_person: Any) -> None:
    assert not SearchDocument.objects.filter(doc_type="person").exists()
    # Not even a search that asks for documents that are not public finds it.
    assert search(query="Zebedee", doc_type="person", public_only=False).total == 0
    assert search(query="", doc_type="person", public_only=False).total == 0


def test_the_api_never_answers_with_it(private_person: Any) -> None:
    pk = profile_of(private_person).pk
    for _who, client in _viewers():
        listed = client.get("/api/v1/people", {"tag": "zebedeetag"})
        assert listed.json()["count"] == 0
        assert client.get("/api/v1/people").json()["count"] == 0
        assert client.get(f"/api/v1/people/{pk}").status_code == 404
        _says_nothing(client.get("/api/v1/people").content.decode())


def test_feeds_and_other_pages_never_name_it(private_person: Any) -> None:
    for _who, client in _viewers():
        for url in ("/cases/feed.atom", "/organisations/camden/", "/cases/"):
            response = client.get(url)
            assert response.status_code in {200, 404}
            _says_nothing(response.content.decode())


def test_the_queries_other_apps_ask_say_it_is_not_public(private_person: Any) -> None:
    shown = person(name="Shown Person")
    assert not queries.is_public_person(private_person)
    assert queries.is_public_person(shown)
    assert queries.public_user_ids([private_person.pk, shown.pk]) == {shown.pk}
    assert list(queries.public_people(user_ids=[private_person.pk])) == []
    assert list(queries.public_people(tag="zebedeetag")) == []
    assert list(queries.public_people(offer="mentor")) == []


def test_making_it_public_shows_it_and_private_again_hides_it_everywhere(
    private_person: Any,
) -> None:
    profile = profile_of(private_person)
    profile.is_public = True
    profile.save()
    assert Client().get(f"/people/{profile.pk}/").status_code == 200
    assert Client().get("/api/v1/people").json()["count"] == 1
    assert NAME in Client().get("/people/", {"tag": "zebedeetag"}).content.decode()
    profile.is_public = False
    profile.save()
    assert Client().get(f"/people/{profile.pk}/").status_code == 404
    assert Client().get("/api/v1/people").json()["count"] == 0
    _says_nothing(
        Client().get("/people/", {"tag": "zebedeetag"}).content.decode(), typed="zebedeetag"
    )
    assert not SearchDocument.objects.filter(doc_type="person").exists()
