"""`make superuser` (`kitbag createsuperuser`) makes a staff account that can sign in at once:
allauth refuses anyone whose address is not confirmed, so the command confirms it."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from kitbag.accounts.models import AuditEvent, User
from kitbag.accounts.services.staff import confirm_staff_address

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"


def test_the_staff_account_made_by_createsuperuser_can_sign_in_without_confirming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSPHRASE)
    call_command(
        "createsuperuser", interactive=False, email="boss@example.org", stdout=io.StringIO()
    )
    user = User.objects.get(email="boss@example.org")
    assert user.is_staff and user.is_superuser
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("boss@example.org", True, True)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EMAIL_CONFIRMED, subject=user, detail__method="createsuperuser"
    ).exists()

    response = Client().post(
        "/account/login/", {"login": "boss@example.org", "password": PASSPHRASE}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"


def test_only_new_superusers_are_confirmed_and_others_keep_their_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waiting = User.objects.create_user("waiting@example.org", PASSPHRASE)
    EmailAddress.objects.create(user=waiting, email=waiting.email, verified=False, primary=True)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSPHRASE)
    call_command(
        "createsuperuser", interactive=False, email="boss@example.org", stdout=io.StringIO()
    )
    assert not EmailAddress.objects.get(user=waiting).verified


def test_an_address_is_confirmed_without_email_only_for_staff() -> None:
    person = User.objects.create_user("someone@example.org", PASSPHRASE)
    with pytest.raises(ValueError, match="staff"):
        confirm_staff_address(user=person)
    assert not EmailAddress.objects.filter(user=person).exists()
