"""Public writes are limited, and a person who hits a limit is told plainly how long to wait."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.core.rate_limits import LIMITS, Rate, check_overrides, describe_rate, rate_limited

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


@rate_limited("openness-report")
def limited_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


@pytest.fixture(autouse=True)
def three_a_minute(settings: Settings) -> None:
    """The table's rate is overridden for these tests, as a deployment may override it."""
    settings.KITBAG_RATE_LIMITS = {"openness-report": "3/m"}


def _post(*, ip: str = "192.0.2.1", user: object = None, method: str = "post") -> HttpResponse:
    request = getattr(RequestFactory(), method)("/write/", REMOTE_ADDR=ip)
    request.user = user or AnonymousUser()
    return limited_view(request)


@pytest.mark.parametrize(
    ("text", "amount", "seconds"),
    [("10/m", 10, 60), ("5/15m", 5, 900), ("1/s", 1, 1), ("100/d", 100, 86400), ("3/2h", 3, 7200)],
)
def test_rates_are_read_as_amount_per_period(text: str, amount: int, seconds: int) -> None:
    assert Rate.parse(text) == Rate(amount=amount, seconds=seconds)


@pytest.mark.parametrize("text", ["", "10", "10/x", "0/m", "ten/m", "10/m/ip"])
def test_a_mistyped_rate_override_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Not a rate"):
        check_overrides({"api-anonymous": text})


def test_a_limit_not_in_the_table_fails_when_the_view_is_defined() -> None:
    with pytest.raises(KeyError, match="No rate limit named 'test-write'"):
        rate_limited("test-write")


def test_every_rate_in_the_table_is_a_rate() -> None:
    for limit in LIMITS.values():
        assert Rate.parse(limit.rate).amount >= 1


@pytest.mark.django_db
def test_writes_over_the_limit_get_the_429_page_with_retry_after() -> None:
    assert [_post().status_code for _ in range(3)] == [200, 200, 200]
    response = _post()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "<title>You have done that too many times – Kitbag</title>" in html
    assert html.count("<h1") == 1
    assert "Wait 1 minute, then try again." in html


@pytest.mark.django_db
def test_reading_is_never_limited() -> None:
    for _ in range(3):
        _post()
    assert _post(method="get").status_code == 200


@pytest.mark.django_db
def test_each_address_and_each_person_has_their_own_allowance() -> None:
    for _ in range(3):
        _post(ip="192.0.2.1")
    assert _post(ip="192.0.2.1").status_code == 429
    assert _post(ip="192.0.2.2").status_code == 200
    ada = User(pk=1, email="ada@example.org")
    for _ in range(3):
        assert _post(ip="192.0.2.1", user=ada).status_code == 200
    assert _post(ip="192.0.2.9", user=ada).status_code == 429  # a new address does not help


@pytest.mark.django_db
def test_the_cache_keys_hold_no_address_or_user_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    keys: list[str] = []
    add = cache.add

    def spy(key: str, *args: object, **kwargs: object) -> bool:
        keys.append(key)
        return add(key, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "add", spy)
    _post(ip="198.51.100.77")
    _post(user=User(pk=4242, email="ada@example.org"))
    assert len(keys) == 2
    assert not any("198.51.100.77" in key or "4242" in key for key in keys)


@pytest.fixture
def person(db: None) -> User:
    user = UserFactory.create(email="brute.force@example.org", password=PASSWORD, verified=True)
    return user


def test_guessing_a_password_is_stopped_even_when_the_guess_is_then_right(person: User) -> None:
    client = Client()
    url = reverse("account_login")
    for attempt in range(5):
        response = client.post(url, {"login": person.email, "password": f"guess {attempt}"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = client.post(url, {"login": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert response["Retry-After"] == "300"  # the per-account window of ACCOUNT_RATE_LIMITS
    html = response.content.decode()
    assert "You have tried to sign in too many times" in html
    assert "Wait 5 minutes, then try again." in html


def test_the_throttle_is_per_account_so_others_can_still_sign_in(person: User) -> None:
    other = UserFactory.create(email="someone.else@example.org", password=PASSWORD, verified=True)
    client = Client()
    for attempt in range(5):
        client.post(reverse("account_login"), {"login": person.email, "password": f"g{attempt}"})
    response = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_mass_sign_up_from_one_address_gets_the_clear_429_page() -> None:
    client = Client()
    url = reverse("account_signup")
    for n in range(20):
        response = client.post(url, {"email": f"bot{n}@example.org", "password1": "x"})
        assert response.status_code == 200  # the form's own errors, not yet a limit
    response = client.post(url, {"email": "bot21@example.org", "password1": "x"})
    assert response.status_code == 429
    assert "You have done that too many times" in response.content.decode()


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        ("120/m", "120 a minute"),
        ("5/15m", "5 in 15 minutes"),
        ("10/h", "10 an hour"),
        ("1/d", "1 a day"),
    ],
)
def test_a_rate_is_described_in_words(settings: Settings, rate: str, words: str) -> None:
    settings.KITBAG_RATE_LIMITS = {"api-anonymous": rate}
    assert describe_rate("api-anonymous") == words
