"""Signing up, confirming an address, signing in and out, passwords and throttling (allauth, as
Kitbag configures it in settings.py and adapter.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from kitbag.accounts.models import AuditEvent, Membership, OrganisationDomain, Profile, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.registry.tests.factories import OrganisationFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"


def sign_up(client: Client, email: str, password: str = PASSPHRASE) -> str:
    response = client.post(
        "/account/signup/", {"email": email, "password1": password, "password2": password}
    )
    return response.content.decode()


def verified_user(email: str = "sam@example.org", password: str = PASSPHRASE) -> User:
    user = UserFactory.create(email=email, password=password, verified=True)
    return user


def sign_in(client: Client, email: str, password: str, **extra: str) -> _MonkeyPatchedWSGIResponse:
    return client.post("/account/login/", {"login": email, "password": password, **extra})


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+", str(message.body))
    assert found, message.body
    return found.group(0)


def audit_kinds(user: User | None = None) -> list[str]:
    events = AuditEvent.objects.order_by("pk")
    if user is not None:
        events = events.filter(subject=user)
    return [event.kind for event in events]


def test_signing_up_sends_a_verification_email_that_says_what_kitbag_is(client: Client) -> None:
    sign_up(client, "ada@example.org")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.subject.startswith("[Kitbag] Confirm your email address")
    assert "/account/confirm-email/" in message.body
    assert "Kitbag is an open-source service about UK public bodies" in message.body


def test_signing_up_creates_a_profile_and_records_the_sign_up(client: Client) -> None:
    sign_up(client, "ada@example.org")

    user = User.objects.get(email="ada@example.org")
    assert Profile.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGNED_UP)
    assert event.subject == user
    assert event.detail == {}


def test_an_account_cannot_be_used_until_its_email_address_is_confirmed(client: Client) -> None:
    sign_up(client, "ada@example.org")
    client.logout()

    response = sign_in(client, "ada@example.org", PASSPHRASE)

    assert response["Location"] == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_confirming_an_address_at_a_council_domain_makes_a_verified_member_and_signs_in(
    client: Client,
) -> None:
    camden = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
    OrganisationDomain.objects.create(organisation=camden, domain="camden.gov.uk", source="admin")
    sign_up(client, "officer@camden.gov.uk")
    confirm_url = link_in(mail.outbox[0])

    page = client.get(confirm_url)
    assert "Confirm your email address" in page.content.decode()
    response = client.post(confirm_url)

    user = User.objects.get(email="officer@camden.gov.uk")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    membership = Membership.objects.get(user=user)
    assert membership.organisation == camden
    assert membership.method == Membership.Method.EMAIL_DOMAIN
    assert AuditEvent.Kind.EMAIL_CONFIRMED in audit_kinds(user)
    assert AuditEvent.Kind.SIGNED_IN in audit_kinds(user)


def test_confirming_an_address_at_an_unknown_domain_makes_no_membership(client: Client) -> None:
    sign_up(client, "ada@example.org")
    client.post(link_in(mail.outbox[0]))

    assert EmailAddress.objects.get(email="ada@example.org").verified
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common."),
        ("short pw", "This password is too short. It must contain at least 10 characters."),
    ],
)
def test_a_common_or_short_password_is_refused_with_a_clear_message(
    client: Client, password: str, message: str
) -> None:
    page = sign_up(client, "ada@example.org", password)

    assert not User.objects.exists()
    assert message in page
    assert "There is a problem" in page
    assert 'href="#id_password1"' in page


def test_a_long_passphrase_without_digits_or_symbols_is_accepted(client: Client) -> None:
    sign_up(client, "ada@example.org", "purple tractor sings loudly")

    assert User.objects.filter(email="ada@example.org").exists()


def test_the_password_field_says_how_to_choose_a_good_password(client: Client) -> None:
    page = client.get("/account/signup/").content.decode()

    assert "Use at least 10 characters. A good way is three random words." in page
    assert 'aria-describedby="id_password1-hint"' in page


def test_signing_in_and_out_are_recorded(client: Client) -> None:
    user = verified_user()

    response = sign_in(client, user.email, PASSPHRASE)
    assert response["Location"] == "/account/profile/"
    client.post("/account/logout/")

    assert audit_kinds(user) == [AuditEvent.Kind.SIGNED_IN, AuditEvent.Kind.SIGNED_OUT]
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_shows_an_error_summary_and_is_recorded_without_personal_data(
    client: Client,
) -> None:
    user = verified_user()

    response = sign_in(client, user.email, "not the password")

    page = response.content.decode()
    assert "<title>Error: Sign in – Kitbag</title>" in page
    assert "govuk-error-summary" in page
    assert "Enter a correct email address and password." in page
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.subject == user
    assert event.detail == {"reason": "wrong-password"}
    assert user.email not in str(event.detail)


def test_a_failed_sign_in_for_an_unknown_address_is_recorded_with_no_subject(
    client: Client,
) -> None:
    sign_in(client, "nobody@example.org", "whatever it is")

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.subject is None
    assert "nobody" not in str(event.detail)


def test_the_sixth_failed_sign_in_within_five_minutes_is_refused_even_with_the_right_password(
    client: Client,
) -> None:
    user = verified_user()
    for _ in range(5):
        sign_in(client, user.email, "a wrong guess")

    response = sign_in(client, user.email, PASSPHRASE)

    page = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 300
    assert "You have tried to sign in too many times." in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(detail={"reason": "throttled"}).count() == 1


def test_throttling_one_account_leaves_other_accounts_alone(client: Client) -> None:
    user = verified_user()
    other = verified_user("kim@example.org")
    for _ in range(5):
        sign_in(client, user.email, "a wrong guess")

    sign_in(client, other.email, PASSPHRASE)

    assert int(client.session["_auth_user_id"]) == other.pk


def test_sign_in_never_sends_a_person_to_another_site(client: Client) -> None:
    user = verified_user()

    response = sign_in(client, user.email, PASSPHRASE, next="https://evil.example/")

    assert response["Location"] == "/account/profile/"


def test_sign_in_returns_to_a_page_on_this_site(client: Client) -> None:
    user = verified_user()

    response = sign_in(client, user.email, PASSPHRASE, next="/organisations/")

    assert response["Location"] == "/organisations/"


def test_changing_the_password_is_recorded(client: Client) -> None:
    user = verified_user()
    client.force_login(user)

    client.post(
        "/account/password/change/",
        {
            "oldpassword": PASSPHRASE,
            "password1": "seven green bottles standing",
            "password2": "seven green bottles standing",
        },
    )

    user.refresh_from_db()
    assert user.check_password("seven green bottles standing")
    assert audit_kinds(user) == [AuditEvent.Kind.PASSWORD_CHANGED]


def test_a_password_reset_link_lets_the_person_choose_a_new_password(client: Client) -> None:
    user = verified_user()

    client.post("/account/password/reset/", {"email": user.email})
    assert mail.outbox[0].subject == "[Kitbag] Reset your Kitbag password"
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assert "Create a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )

    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    assert AuditEvent.Kind.PASSWORD_CHANGED in audit_kinds(user)


def test_the_sign_in_email_holds_a_link_that_signs_in_the_browser_that_asked(
    client: Client,
) -> None:
    user = verified_user()

    client.post("/account/login/code/", {"email": user.email})
    message = mail.outbox[0]
    assert message.subject == "[Kitbag] Your link to sign in to Kitbag"
    link = link_in(message)
    code = re.search(r"code=([\w-]+)", link)
    assert code and code.group(1) in message.body

    page = client.get(link).content.decode()
    assert f'value="{code.group(1)}"' in page
    client.post("/account/login/code/confirm/", {"code": code.group(1)})

    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.Kind.SIGNED_IN in audit_kinds(user)


def test_the_sign_in_link_does_not_work_in_another_browser(client: Client) -> None:
    user = verified_user()
    client.post("/account/login/code/", {"email": user.email})

    stranger = Client()
    stranger.get(link_in(mail.outbox[0]))

    assert "_auth_user_id" not in stranger.session


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/account/login/", "Sign in"),
        ("/account/signup/", "Create an account"),
        ("/account/password/reset/", "Reset your password"),
        ("/account/password/reset/done/", "Check your email"),
        ("/account/login/code/", "Sign in with a link by email"),
        ("/account/confirm-email/", "Check your email"),
        ("/account/confirm-email/not-a-key/", "This link has expired"),
    ],
)
def test_every_sign_in_page_has_a_title_and_one_heading(
    client: Client, url: str, title: str
) -> None:
    page = client.get(url).content.decode()

    assert f"<title>{title} – Kitbag</title>" in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/account/logout/", "Sign out"),
        ("/account/password/change/", "Change your password"),
        ("/account/email/", "Your email addresses"),
    ],
)
def test_every_account_management_page_has_a_title_and_one_heading(
    client: Client, url: str, title: str
) -> None:
    client.force_login(verified_user())

    page = client.get(url).content.decode()

    assert f"<title>{title} – Kitbag</title>" in page
    assert page.count("<h1") == 1


def test_email_goes_to_the_console_unless_an_smtp_server_is_configured() -> None:
    def backend(**env: str) -> str:
        script = "from kitbag import settings; print(settings.EMAIL_BACKEND)"
        environment = {"PATH": "/usr/bin:/bin", "KITBAG_VAR_DIR": str(settings.VAR_DIR), **env}
        return subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
            cwd=settings.BASE_DIR,
        ).stdout.strip()

    assert backend() == "django.core.mail.backends.console.EmailBackend"
    assert backend(EMAIL_HOST="smtp.example.org") == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.django_db
def test_empty_sign_up_and_sign_in_forms_say_what_to_enter(client: Client) -> None:
    signup = client.post("/account/signup/", {}).content.decode()
    assert "Enter your email address" in signup
    assert "Enter a password" in signup
    assert "This field is required" not in signup
    login = client.post("/account/login/", {}).content.decode()
    assert "Enter your email address" in login
    assert "Enter your password" in login
