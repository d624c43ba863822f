"""API tokens: shown once, stored as a hash, revocable, refused once revoked or when the account
is inactive, and managed only by their owner."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from kitbag.accounts.models import ApiToken, AuditEvent, User
from kitbag.accounts.services.tokens import authenticate_token, create_token, revoke_token
from kitbag.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada() -> User:
    return UserFactory.create(email="ada@example.org")


@pytest.fixture
def bob() -> User:
    return UserFactory.create(email="bob@example.org")


def test_a_new_token_is_kept_only_as_a_hash_and_a_short_prefix(ada: User) -> None:
    token, raw = create_token(user=ada, name=" My script ")
    assert re.fullmatch(r"kb_[A-Za-z0-9_-]{43}", raw)
    assert token.name == "My script"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and len(token.prefix) < 12
    assert raw not in str(list(ApiToken.objects.filter(pk=token.pk).values()))
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_CREATED, subject=ada).count() == 1


def test_a_token_authenticates_its_owner_and_records_when_it_was_used(ada: User) -> None:
    token, raw = create_token(user=ada, name="script")
    assert authenticate_token(raw) == ada
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(ada: User) -> None:
    token, raw = create_token(user=ada, name="script")
    authenticate_token(raw)
    token.refresh_from_db()
    first = token.last_used_at
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first  # type: ignore[operator]


def test_revoked_tokens_unknown_tokens_and_inactive_accounts_are_refused(ada: User) -> None:
    token, raw = create_token(user=ada, name="script")
    assert authenticate_token(raw + "x") is None
    assert authenticate_token("not-a-kitbag-token") is None
    ada.is_active = False
    ada.save()
    assert authenticate_token(raw) is None
    ada.is_active = True
    ada.save()
    revoke_token(token=token, by=ada)
    assert authenticate_token(raw) is None


def test_revoking_twice_records_one_event(ada: User) -> None:
    token, _raw = create_token(user=ada, name="script")
    revoke_token(token=token, by=ada)
    revoke_token(token=token, by=ada)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REVOKED).count() == 1


def test_the_tokens_page_needs_sign_in(client: Client) -> None:
    response = client.get("/account/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_creating_a_token_shows_it_once_with_a_warning(client: Client, ada: User) -> None:
    client.force_login(ada)
    response = client.post("/account/tokens/", {"name": "Nightly import"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=ada)
    raw = re.search(r'value="(kb_[^"]+)"', html)
    assert raw is not None and authenticate_token(raw.group(1)) == ada
    assert "will not be shown again" in html
    listing = client.get("/account/tokens/").content.decode()
    assert "Nightly import" in listing and token.prefix in listing
    assert raw.group(1) not in listing


def test_a_token_needs_a_name(client: Client, ada: User) -> None:
    client.force_login(ada)
    response = client.post("/account/tokens/", {"name": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Enter a name for the token" in html
    assert "<title>Error: API tokens" in html
    assert not ApiToken.objects.exists()


def test_the_owner_can_revoke_a_token_but_someone_else_gets_a_404(
    client: Client, ada: User, bob: User
) -> None:
    token, _raw = create_token(user=ada, name="Ada's sync")
    client.force_login(bob)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert "Ada&#x27;s sync" not in client.get("/account/tokens/").content.decode()
    client.force_login(ada)
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/account/tokens/").content.decode()


def test_the_tokens_page_has_one_h1_csrf_on_its_forms_and_no_inline_script_or_style(
    ada: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    create_token(user=ada, name="script")
    html = client.get("/account/tokens/").content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "<title>API tokens – Kitbag</title>" in html
    assert html.count("csrfmiddlewaretoken") == html.count('method="post"') == 2
    assert "style=" not in html
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))
