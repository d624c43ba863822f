"""The one base view: anyone reads, writes need a person, a method a view lacks is a 405."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def _with_token() -> Client:
    _token, raw = create_token(user=UserFactory.create(email="script@example.org"), name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/organisations/resolve"),
        ("delete", "/api/v1/meetings"),
        ("put", "/api/v1/openness/rules"),
        ("post", "/api/v1/profiles"),
        ("delete", "/api/v1/me"),
        ("put", "/api/v1/me/profile"),
        ("patch", "/api/v1/moderation-log"),
    ],
)
def test_a_method_the_endpoint_lacks_is_a_405_for_everyone(method: str, path: str) -> None:
    for client in (Client(), _with_token(), Client(HTTP_AUTHORIZATION="Bearer kb_wrong")):
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 405, (client, response.content)
        assert "detail" in response.json()


def test_reading_needs_no_one_and_writing_needs_a_person() -> None:
    assert Client().get("/api/v1/profiles").status_code == 200
    assert (
        Client().patch("/api/v1/me/profile", {}, content_type="application/json").status_code == 401
    )
    response = _with_token().patch("/api/v1/me/profile", {}, content_type="application/json")
    assert response.status_code == 200
