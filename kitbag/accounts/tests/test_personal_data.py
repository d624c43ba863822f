"""A person can download everything Kitbag holds about them, and erase it, leaving nothing behind."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kitbag.accounts.audit import log_moderation, record_audit_event
from kitbag.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    ModerationLogEntry,
    Profile,
    User,
)
from kitbag.accounts.services.personal_data import erase_account, export_personal_data
from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.tests.factories import OrganisationFactory

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password

# Distinctive strings, so that finding one anywhere in the database can only mean a leak.
ADA_EMAIL = "ada.quillfeather.7f3e@example.org"
ADA_OTHER_EMAIL = "aq.personal.91b2@example.net"
ADA_NAME = "Ada Quillfeather"
BOB_EMAIL = "bob.marchbank.44c1@example.org"
BOB_NAME = "Bob Marchbank"


@dataclass
class People:
    ada: User
    bob: User
    ada_client: Client
    bob_client: Client


def _make_person(email: str, name: str, *, other_email: str | None = None) -> User:
    first, last = name.split()
    user = UserFactory.create(
        email=email, password=PASSWORD, first_name=first, last_name=last, verified=True
    )
    if other_email:
        EmailAddress.objects.create(user=user, email=other_email, verified=True, primary=False)
    Profile.objects.create(
        user=user,
        display_name=name,
        job_title="Digital lead",
        help_with=f"Ask {name} about open data.",
        is_public=True,
    )
    return user


@pytest.fixture
def people(db: None) -> People:
    council = OrganisationFactory.create(name="Testshire District Council A")
    former = OrganisationFactory.create(name="Testshire District Council B")
    inviting = OrganisationFactory.create(name="Testshire District Council C")
    ada = _make_person(ADA_EMAIL, ADA_NAME, other_email=ADA_OTHER_EMAIL)
    ada.is_moderator = True
    ada.save()
    bob = _make_person(BOB_EMAIL, BOB_NAME)
    staff = UserFactory.create(email="staff.7a@example.org", password=PASSWORD, is_staff=True)

    MembershipFactory.create(
        user=ada, organisation=council, role=MembershipRole.ADMIN, method="email-domain"
    )
    MembershipFactory.create(
        user=ada,
        organisation=former,
        role=MembershipRole.MEMBER,
        method="invitation",
        ended_at=timezone.now(),
        end_reason=Membership.EndReason.LEFT,
    )
    MembershipFactory.create(user=bob, organisation=council, method="email-domain")
    for email, token_hash in [(ADA_OTHER_EMAIL, "a" * 64), (BOB_EMAIL, "b" * 64)]:
        Invitation.objects.create(
            organisation=inviting,
            email=email,
            token_hash=token_hash,
            invited_by=bob,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
    create_token(user=ada, name="Ada's import script")
    create_token(user=bob, name="Bob's laptop")
    record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=ada, actor=ada)
    record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=bob, actor=bob)
    # A careless caller put an address in the detail; erasure must still find it.
    record_audit_event(
        AuditEvent.Kind.INVITATION_SENT, actor=bob, organisation=inviting, email=ADA_OTHER_EMAIL
    )
    log_moderation(
        actor=ada,
        actor_label="a moderator",
        action="hid",
        object_type="comment",
        object_id=17,
        object_label=f"Comment by {BOB_NAME}",
        reason="Personal details of a third party",
    )
    log_moderation(
        actor=bob,
        actor_label="a moderator",
        action="hid",
        object_type="profile",
        object_id=ada.profile.pk,
        object_label=f"Profile of {ADA_NAME}",
        reason=f"{ADA_NAME} asked for it to be hidden",
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[ada], action_flag=ADDITION, change_message="Added."
    )

    ada_client, bob_client = Client(), Client()
    ada_client.force_login(ada)
    bob_client.force_login(bob)
    return People(ada=ada, bob=bob, ada_client=ada_client, bob_client=bob_client)


def _text_fields(model: type[models.Model]) -> list[models.Field[object, object]]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def rows_containing(needle: str) -> list[str]:
    """Every row of every model with `needle` in any text, character or JSON field."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        query = Q(pk__in=[])
        annotations = {}
        for field in _text_fields(model):
            if isinstance(field, models.JSONField):
                alias = f"_scan_{field.attname}"
                annotations[alias] = Cast(field.attname, TextField())
                query |= Q(**{f"{alias}__icontains": needle})
            else:
                query |= Q(**{f"{field.attname}__icontains": needle})
        rows = model._base_manager.annotate(**annotations).filter(query)
        found += [f"{model._meta.label} pk={pk}" for pk in rows.values_list("pk", flat=True)]
    return found


def test_the_scan_finds_what_is_there(people: People) -> None:
    # Without this, a scan that looked nowhere would pass every erasure test below.
    assert f"accounts.User pk={people.ada.pk}" in rows_containing(ADA_EMAIL)
    assert any(r.startswith("account.EmailAddress") for r in rows_containing(ADA_OTHER_EMAIL))
    assert any(r.startswith("accounts.Invitation") for r in rows_containing(ADA_OTHER_EMAIL))
    assert any(r.startswith("accounts.AuditEvent") for r in rows_containing(ADA_OTHER_EMAIL))
    assert any(r.startswith("admin.LogEntry") for r in rows_containing(ADA_EMAIL))
    assert any(r.startswith("accounts.Profile") for r in rows_containing(ADA_NAME))
    assert any(r.startswith("accounts.ModerationLogEntry") for r in rows_containing(ADA_NAME))


# Export


def test_the_export_holds_the_account_addresses_and_profile(people: People) -> None:
    data = export_personal_data(user=people.ada)
    assert data["account"]["email"] == ADA_EMAIL
    assert data["account"]["is_moderator"] is True
    assert {e["email"] for e in data["email_addresses"]} == {ADA_EMAIL, ADA_OTHER_EMAIL}
    assert data["profile"]["display_name"] == ADA_NAME
    assert data["profile"]["help_with"] == f"Ask {ADA_NAME} about open data."


def test_the_export_holds_memberships_including_ended_ones(people: People) -> None:
    memberships = export_personal_data(user=people.ada)["memberships"]
    assert {(m["organisation"], m["role"], m["end_reason"]) for m in memberships} == {
        ("Testshire District Council A", "admin", None),
        ("Testshire District Council B", "member", "left"),
    }


def test_the_export_holds_invitations_tokens_events_and_moderation(people: People) -> None:
    data = export_personal_data(user=people.ada)
    assert [i["email"] for i in data["invitations_to_you"]] == [ADA_OTHER_EMAIL]
    assert [t["name"] for t in data["api_tokens"]] == ["Ada's import script"]
    assert data["api_tokens"][0]["prefix"].startswith("kb_")
    assert {e["kind"] for e in data["security_events"]} == {"signed-in", "token-created"}
    assert [m["object_label"] for m in data["moderation_actions"]] == [f"Comment by {BOB_NAME}"]


def test_the_export_holds_no_password_or_token_hash_and_nothing_of_others(
    people: People,
) -> None:
    text = json.dumps(export_personal_data(user=people.ada))
    ada = User.objects.get(pk=people.ada.pk)
    assert ada.password not in text
    assert ada.password.split("$")[-1] not in text
    for token_hash in ApiToken.objects.values_list("token_hash", flat=True):
        assert token_hash not in text
    assert "a" * 64 not in text  # the invitation's hash
    assert BOB_EMAIL not in text
    assert "Bob's laptop" not in text


def test_the_export_is_valid_json_through_the_download_button(people: People) -> None:
    response = people.ada_client.post(reverse("accounts:personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["account"]["email"] == ADA_EMAIL
    assert AuditEvent.objects.filter(kind="data-exported", subject=people.ada).exists()


def test_the_download_needs_a_post_and_a_signed_in_person(people: People) -> None:
    assert people.ada_client.get(reverse("accounts:personal_data_download")).status_code == 405
    response = Client().post(reverse("accounts:personal_data_download"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_data_page_explains_and_offers_download_and_deletion(people: People) -> None:
    html = people.ada_client.get(reverse("accounts:personal_data")).content.decode()
    assert html.count("<h1") == 1
    assert "<title>" in html
    assert "Download your data (JSON)" in html
    assert reverse("accounts:delete_account") in html
    assert "csrfmiddlewaretoken" in html


# Erasure


def test_erasure_leaves_no_row_holding_their_email_or_name(people: People) -> None:
    erase_account(user=people.ada, by=people.ada)
    for needle in [ADA_EMAIL, ADA_OTHER_EMAIL, ADA_NAME, "Quillfeather"]:
        assert rows_containing(needle) == [], needle


def test_erasure_deletes_the_account_profile_addresses_tokens_and_sessions(
    people: People,
) -> None:
    ada_pk = people.ada.pk
    erase_account(user=people.ada, by=people.ada)
    assert not User.objects.filter(pk=ada_pk).exists()
    assert not Profile.objects.filter(user_id=ada_pk).exists()
    assert not EmailAddress.objects.filter(user_id=ada_pk).exists()
    assert not ApiToken.objects.filter(user_id=ada_pk).exists()
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(ada_pk) not in sessions
    assert people.ada_client.get(reverse("accounts:personal_data")).status_code == 302


def test_their_moderation_entries_stay_with_no_actor(people: People) -> None:
    before = ModerationLogEntry.objects.count()
    erase_account(user=people.ada, by=people.ada)
    assert ModerationLogEntry.objects.count() == before
    theirs = ModerationLogEntry.objects.get(object_id="17")
    assert theirs.actor is None
    assert theirs.actor_label == "a moderator"
    assert theirs.object_label == f"Comment by {BOB_NAME}"  # what they acted on is not theirs
    about_them = ModerationLogEntry.objects.get(object_type="profile")
    assert about_them.object_label == "Profile of a former user"
    assert about_them.reason == "a former user asked for it to be hidden"


def test_memberships_end_and_the_audit_log_keeps_events_without_the_person(
    people: People,
) -> None:
    ada_pk = people.ada.pk
    events_before = AuditEvent.objects.count()
    erase_account(user=people.ada, by=people.ada)
    ended = Membership.objects.filter(end_reason="account-deleted")
    assert ended.count() == 1
    assert ended.get().user is None
    assert ended.get().ended_at is not None
    assert Membership.objects.filter(user__isnull=True).count() == 2  # the left one too
    assert not AuditEvent.objects.filter(Q(subject_id=ada_pk) | Q(actor_id=ada_pk)).exists()
    deleted = AuditEvent.objects.get(kind="account-deleted")
    assert deleted.subject is None
    assert deleted.actor is None
    assert deleted.detail == {"by_themselves": True, "memberships_ended": 1, "tokens_revoked": 1}
    # Every earlier event stays; erasure adds one per ended membership and one for the account.
    assert AuditEvent.objects.count() == events_before + 2


def test_erasure_leaves_other_peoples_data_untouched(people: People) -> None:
    bob = people.bob
    erase_account(user=people.ada, by=people.ada)
    bob.refresh_from_db()
    assert bob.email == BOB_EMAIL
    assert Profile.objects.get(user=bob).display_name == BOB_NAME
    assert EmailAddress.objects.filter(user=bob, email=BOB_EMAIL).exists()
    assert ApiToken.objects.filter(user=bob, revoked_at__isnull=True).count() == 1
    assert Membership.objects.filter(user=bob, ended_at__isnull=True).count() == 1
    assert Invitation.objects.filter(email=BOB_EMAIL).exists()
    assert AuditEvent.objects.filter(subject=bob, kind="signed-in").exists()
    assert ModerationLogEntry.objects.filter(actor=bob).count() == 1
    assert people.bob_client.get(reverse("accounts:personal_data")).status_code == 200
    assert any(r.startswith("accounts.User") for r in rows_containing(BOB_EMAIL))


def test_staff_erasing_an_account_is_recorded_against_the_staff_member(people: People) -> None:
    staff = User.objects.get(is_staff=True)
    erase_account(user=people.ada, by=staff)
    assert AuditEvent.objects.get(kind="account-deleted").actor == staff


def test_admin_history_about_the_person_goes_but_the_admins_own_actions_stay(
    people: People,
) -> None:
    staff = User.objects.get(is_staff=True)
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[people.bob], action_flag=ADDITION, change_message="Added."
    )
    erase_account(user=people.ada, by=people.ada)
    user_type = ContentType.objects.get_for_model(User)
    assert not LogEntry.objects.filter(content_type=user_type, object_id=str(people.ada.pk))
    assert LogEntry.objects.filter(content_type=user_type, object_id=str(people.bob.pk)).exists()


# The deletion pages


def test_deleting_needs_the_right_password_and_then_signs_the_person_out(
    people: People,
) -> None:
    url = reverse("accounts:delete_account")
    page = people.ada_client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'type="password"' in page

    wrong = people.ada_client.post(url, {"confirmation": "not my password"})
    assert wrong.status_code == 400
    assert "The password is not correct" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    assert User.objects.filter(email=ADA_EMAIL).exists()

    right = people.ada_client.post(url, {"confirmation": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == reverse("accounts:account_deleted")
    assert not User.objects.filter(email=ADA_EMAIL).exists()
    done = people.ada_client.get(right["Location"])
    assert "Your account has been deleted" in done.content.decode()
    assert not done.wsgi_request.user.is_authenticated


def test_a_person_without_a_password_confirms_by_typing_their_address(db: None) -> None:
    user = UserFactory.create(email="code.only.5d@example.org")
    client = Client()
    client.force_login(user)
    url = reverse("accounts:delete_account")
    assert 'type="email"' in client.get(url).content.decode()
    assert client.post(url, {"confirmation": "someone.else@example.org"}).status_code == 400
    response = client.post(url, {"confirmation": " Code.Only.5d@example.org "})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_deleting_is_post_only_and_for_signed_in_people(db: None) -> None:
    response = Client().post(reverse("accounts:delete_account"), {"confirmation": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_guessing_the_password_on_the_deletion_page_is_rate_limited(people: People) -> None:
    url = reverse("accounts:delete_account")
    for _ in range(5):
        assert people.ada_client.post(url, {"confirmation": "guess"}).status_code == 400
    limited = people.ada_client.post(url, {"confirmation": PASSWORD})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    html = limited.content.decode()
    assert "You have done that too many times" in html
    assert "then try again" in html
    assert html.count("<h1") == 1
    # The right password after the limit does nothing: the limit is checked first.
    assert User.objects.filter(email=ADA_EMAIL).exists()
    # Reading the page is never limited.
    assert people.ada_client.get(url).status_code == 200
