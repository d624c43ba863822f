"""Every API endpoint is throttled from the one rate table, and says how long to wait."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import UserFactory
from kitbag.api.tests.routes import api_url_patterns, view_class_of
from kitbag.api.throttles import ApiRateThrottle
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_a_minute(settings: Settings) -> None:
    settings.KITBAG_RATE_LIMITS = {"api-anonymous": "3/m", "api-person": "4/m"}


def assert_throttled(response: object) -> None:
    assert response.status_code == 429  # type: ignore[attr-defined]
    retry_after = int(response["Retry-After"])  # type: ignore[index]
    assert 0 < retry_after <= 60
    body = response.json()  # type: ignore[attr-defined]
    assert body == {
        "detail": f"You have made too many requests in a short time. Wait {retry_after} "
        "seconds, then try again.",
        "retry_after": retry_after,
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/cases?q=chatbot", "/api/v1/meetings", "/api/v1/openness/rules"]
)
def test_the_anonymous_limit_bites(url: str) -> None:
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert_throttled(client.get(url))
    # It is per address: someone else is not held up.
    assert Client(REMOTE_ADDR="192.0.2.77").get(url).status_code == 200


def test_cached_answers_are_counted_too() -> None:
    OrganisationFactory.create(slug="camden", name="Camden Council")
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/organisations").status_code == 200
    assert_throttled(client.get("/api/v1/organisations"))
    assert_throttled(client.get("/api/v1/organisations/camden"))


def test_all_endpoints_share_one_anonymous_allowance() -> None:
    client = Client()
    for url in ["/api/v1/cases", "/api/v1/meetings", "/api/v1/organisations"]:
        assert client.get(url).status_code == 200
    assert_throttled(client.get("/api/v1/profiles"))


def test_a_signed_in_person_has_their_own_larger_allowance() -> None:
    person = UserFactory.create(email="script@example.org")
    _token, raw = create_token(user=person, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [client.get("/api/v1/me").status_code for _ in range(4)] == [200] * 4
    assert_throttled(client.get("/api/v1/me"))
    # The person's allowance is not the address's: an anonymous reader there still gets in.
    assert Client().get("/api/v1/cases").status_code == 200


def test_every_api_view_uses_the_one_throttle() -> None:
    checked = 0
    for pattern in api_url_patterns():
        view_class = view_class_of(pattern)
        if view_class is None or not hasattr(view_class, "throttle_classes"):
            continue  # a plain page (the docs) or the JSON 404
        if pattern.name == "api_schema":
            continue  # drf-spectacular's own view
        assert ApiRateThrottle in view_class.throttle_classes, pattern.name
        checked += 1
    assert checked >= 15
