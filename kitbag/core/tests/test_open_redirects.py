"""A `next` parameter can only ever send a person somewhere on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password

OFF_SITE = [
    "//evil.example",
    "//evil.example/account/",
    "https://evil.example",
    "http://evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "///evil.example",
    " //evil.example",
    "\t//evil.example",
    "%2F%2Fevil.example",
    "https://testserver@evil.example",
    "https://evil.example\\@testserver",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
]


def assert_stays_on_site(location: str) -> None:
    # A browser treats a backslash as a slash and ignores leading spaces and tabs.
    normalised = location.strip().replace("\\", "/")
    parts = urlsplit(normalised)
    assert parts.scheme in {"", "http", "https"}, location
    assert parts.netloc in {"", "testserver"}, location
    assert not normalised.startswith("//"), location


@pytest.fixture
def person(db: None) -> User:
    user = UserFactory.create(email="redirect.person@example.org", password=PASSWORD, verified=True)
    return user


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_follows_next_off_site(person: User, target: str) -> None:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)
    assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_signed_in_person_visiting_sign_in_is_not_sent_off_site(
    person: User, target: str
) -> None:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("account_login"), {"next": target})
    if response.status_code == 302:
        assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_out_never_follows_next_off_site(person: User, target: str) -> None:
    client = Client()
    client.force_login(person)
    response = client.post(reverse("account_logout"), {"next": target})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_up_never_follows_next_off_site(db: None, target: str) -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": target,
        },
    )
    if response.status_code == 302:
        assert_stays_on_site(response["Location"])


def test_a_local_next_is_followed(person: User) -> None:
    # Without this, a site that ignored `next` entirely would pass every test above.
    response = Client().post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD, "next": "/account/data/"},
    )
    assert response["Location"] == "/account/data/"
