"""The API for people: tokens for writes, who am I, public profiles, the moderation log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import MembershipRole, ModerationLogEntry, Profile, User
from kitbag.accounts.services.tokens import create_token, revoke_token
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada() -> User:
    user = UserFactory.create(email="ada@example.org")
    MembershipFactory.create(
        user=user,
        organisation=OrganisationFactory.create(name="Camden Council", slug="camden"),
        role=MembershipRole.EDITOR,
    )
    return user


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_needs_credentials_and_says_how_to_send_them(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_me_with_a_token_gives_email_profile_and_active_memberships(
    client: Client, ada: User
) -> None:
    _token, raw = create_token(user=ada, name="script")
    body = client.get("/api/v1/me", **bearer(raw)).json()  # type: ignore[arg-type]
    assert body["email"] == "ada@example.org"
    assert body["profile"] is None
    assert body["memberships"] == [
        {
            "organisation": {"slug": "camden", "name": "Camden Council"},
            "role": "editor",
            "method": "staff",
            "started_at": body["memberships"][0]["started_at"],
        }
    ]


def test_me_works_with_the_browser_session_too(client: Client, ada: User) -> None:
    client.force_login(ada)
    assert client.get("/api/v1/me").json()["email"] == "ada@example.org"


@pytest.mark.parametrize("header", ["Bearer kb_wrong", "Bearer", "Bearer a b", "Bearer nöt-ascii"])
def test_a_wrong_token_is_refused_not_ignored(client: Client, header: str) -> None:
    response = client.get("/api/v1/profiles", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_revoked_token_is_refused(client: Client, ada: User) -> None:
    token, raw = create_token(user=ada, name="script")
    revoke_token(token=token, by=ada)
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401  # type: ignore[arg-type]


def test_a_token_can_change_its_owners_profile(client: Client, ada: User) -> None:
    _token, raw = create_token(user=ada, name="script")
    response = client.patch(
        "/api/v1/me/profile",
        {"display_name": "Ada L", "is_public": True},
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Ada L"
    profile = Profile.objects.get(user=ada)
    assert profile.is_public and profile.display_name == "Ada L"
    # Fields not sent keep their values.
    client.patch(
        "/api/v1/me/profile",
        {"job_title": "Analyst"},
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    profile.refresh_from_db()
    assert (profile.display_name, profile.job_title) == ("Ada L", "Analyst")


def test_a_wrong_field_is_a_400_naming_the_field(client: Client, ada: User) -> None:
    _token, raw = create_token(user=ada, name="script")
    response = client.patch(
        "/api/v1/me/profile",
        {"display_name": "x" * 121, "is_public": "perhaps"},
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert response.status_code == 400
    assert set(response.json()) == {"display_name", "is_public"}


def test_text_no_field_can_store_is_a_400_naming_the_field(client: Client, ada: User) -> None:
    _token, raw = create_token(user=ada, name="script")
    response = client.patch(
        "/api/v1/me/profile",
        {"display_name": "Ada\nLovelace", "job_title": "Analyst\x00", "help_with": "x" * 2001},
        content_type="application/json",
        **bearer(raw),  # type: ignore[arg-type]
    )
    assert response.status_code == 400
    assert response.json() == {
        "display_name": ["Name must be on one line"],
        "job_title": ["Role must not contain control characters: remove the U+0000 at character 8"],
        "help_with": ["Ensure this field has no more than 2000 characters."],
    }


def test_writing_needs_credentials(client: Client) -> None:
    response = client.patch(
        "/api/v1/me/profile", {"display_name": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_session_write_without_csrf_is_refused(ada: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    response = client.patch(
        "/api/v1/me/profile", {"display_name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_too_many_writes_get_a_429_with_a_clear_message(
    client: Client, ada: User, settings: Settings
) -> None:
    settings.KITBAG_RATE_LIMITS = {"profile-writes": "2/m"}
    _token, raw = create_token(user=ada, name="script")

    def write() -> Any:
        return client.patch(
            "/api/v1/me/profile",
            {"job_title": "x"},
            content_type="application/json",
            **bearer(raw),  # type: ignore[arg-type]
        )

    assert [write().status_code for _ in range(2)] == [200, 200]
    response = write()
    assert response.status_code == 429
    assert "too many changes" in response.json()["detail"]
    assert "Retry-After" in response
    # Reads do not count against the limit.
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200  # type: ignore[arg-type]


def test_profiles_list_is_paginated_and_has_only_public_profiles(client: Client) -> None:
    for number in range(3):
        user = UserFactory.create(email=f"p{number}@example.org")
        Profile.objects.create(user=user, display_name=f"P{number}", is_public=number != 1)
    body = client.get("/api/v1/profiles?page_size=1").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    names = [
        client.get(f"/api/v1/profiles?page_size=1&page={n}").json()["results"][0]["display_name"]
        for n in (1, 2)
    ]
    assert names == ["P0", "P2"]
    assert "email" not in body["results"][0]


def test_a_private_profile_is_a_404_like_a_missing_one(client: Client) -> None:
    user = UserFactory.create(email="private@example.org")
    profile = Profile.objects.create(user=user, display_name="Hidden", is_public=False)
    assert client.get(f"/api/v1/profiles/{profile.pk}").status_code == 404
    assert client.get(f"/api/v1/profiles/{profile.pk + 100}").status_code == 404
    client.force_login(user)
    assert client.get(f"/api/v1/profiles/{profile.pk}").status_code == 200


def test_the_moderation_log_shows_moderators_entries_only_to_moderators(client: Client) -> None:
    moderator = UserFactory.create(email="mod@example.org", is_moderator=True)
    for visibility in ModerationLogEntry.Visibility:
        log_moderation(
            actor=moderator,
            actor_label="a moderator",
            action="hid",
            object_type="comment",
            object_id=1,
            object_label=f"c-{visibility.value}",
            visibility=visibility,
        )
    public = client.get("/api/v1/moderation-log").json()
    assert [row["object"] for row in public["results"]] == ["c-public"]
    assert public["results"][0]["actor"] == "a moderator"
    assert "mod@example.org" not in str(public)
    _token, raw = create_token(user=moderator, name="script")
    moderated = client.get("/api/v1/moderation-log", **bearer(raw)).json()  # type: ignore[arg-type]
    assert moderated["count"] == 2


def test_the_docs_page_says_how_to_authenticate(client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    assert "Authorization: Bearer" in html
    assert 'href="/account/tokens/"' in html
