"""A person's recommendations, private ones too, are in their data download; erasing their
account takes each back, so nothing they made public or private outlives them."""

from __future__ import annotations

import pytest

from kitbag.accounts.services.personal_data import erase_account, export_personal_data
from kitbag.accounts.tests.factories import UserFactory
from kitbag.resources import services
from kitbag.resources.models import Resource
from kitbag.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_the_download_holds_every_recommendation_and_erasure_takes_them_back() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    services.recommend(
        person=person, url="https://example.org/mine", title="Mine", why="w", tags=["t"]
    )
    services.recommend(person=person, url="https://example.org/secret", title="S", is_private=True)
    shared = services.recommend(person=person, url="https://example.org/shared", title="Shared")
    services.recommend(
        person=other, url="https://example.org/shared", title="Shared", is_private=True
    )
    exported = export_personal_data(user=person)["resources"]["recommendations"]
    assert [(r["url"], r["private"], r["tags"]) for r in exported] == [
        ("https://example.org/mine", False, ["t"]),
        ("https://example.org/secret", True, []),
        ("https://example.org/shared", False, []),
    ]
    erase_account(user=person, by=person)
    # Only the other person's private bookmark is left, private again.
    assert list(Resource.objects.values_list("url", "is_public")) == [
        ("https://example.org/shared", False)
    ]
    assert not SearchDocument.objects.filter(doc_type="resource").exists()
    assert shared.pk == Resource.objects.get().pk
