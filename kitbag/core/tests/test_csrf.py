"""Every form that changes something refuses a request that did not come from our own page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password

PUBLIC_FORMS = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_request_login_code",
]
ACCOUNT_FORMS = [
    "account_logout",
    "account_change_password",
    "account_email",
    "accounts:profile_edit",
    "accounts:token_list",
    "accounts:personal_data_download",
    "accounts:delete_account",
]


@pytest.fixture
def person(db: None) -> User:
    user = UserFactory.create(email="csrf.person@example.org", password=PASSWORD, verified=True)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PUBLIC_FORMS)
def test_public_forms_reject_a_post_without_a_csrf_token(url_name: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(url_name), {"login": "x@example.org", "email": "x@example.org"})
    assert response.status_code == 403


@pytest.mark.parametrize("url_name", ACCOUNT_FORMS)
def test_account_forms_reject_a_post_without_a_csrf_token(person: User, url_name: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(reverse(url_name), {"confirmation": PASSWORD, "name": "x"})
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_a_forged_token_is_rejected_too(person: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    client.get(reverse("accounts:delete_account"))
    response = client.post(
        reverse("accounts:delete_account"),
        {"confirmation": PASSWORD, "csrfmiddlewaretoken": "A" * 64},
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_sign_in_works_with_the_token_from_the_page(person: User) -> None:
    # The other half of the proof: the forms above fail for want of a token, not for any reason.
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)


def test_the_api_refuses_session_writes_without_a_csrf_token(person: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.patch(
        reverse("api_me_profile"), {"display_name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
