"""A verified member sees who their organisation's admins are and asks them to be made an editor:
the request is an audit event and an email to each admin (or to staff while there is no admin),
limited to a few a day."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from kitbag.accounts.models import AuditEvent, Membership, MembershipRole, Profile, User
from kitbag.accounts.services.memberships import NotAllowed, ask_to_become_editor
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.accounts.tests.permission_world import World, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> None:
    cache.clear()


def membership_of(world: World, role: str) -> Membership:
    return Membership.objects.get(user=world.person(role), organisation=world.organisation)


def url_for(membership: Membership) -> str:
    return f"/account/memberships/{membership.pk}/ask-to-become-editor/"


def test_a_member_sees_who_the_admins_are_and_a_button_to_ask_them() -> None:
    world = build_world()
    admin = world.person("admin")
    assert admin is not None
    Profile.objects.create(user=admin, display_name="Ada Admin")
    html = client_for(world.member).get("/account/profile/").content.decode()
    assert "Becoming an editor" in html
    assert "Ada Admin (admin@example.org)" in html
    assert url_for(membership_of(world, "member")) in html
    # Someone who is already an editor is not offered it.
    editor_page = client_for(world.person("editor")).get("/account/profile/").content.decode()
    assert "Ask to become an editor" not in editor_page


def test_asking_records_an_audit_event_and_emails_each_admin_separately(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = build_world()
    second_admin = UserFactory.create(email="second-admin@example.org")
    MembershipFactory.create(
        user=second_admin,
        organisation=world.organisation,
        role=MembershipRole.ADMIN,
    )
    membership = membership_of(world, "member")
    client = client_for(world.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_for(membership))
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "admin@example.org",
        "second-admin@example.org",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    body = mail.outbox[0].body
    assert "member@example.org" in body
    assert f"/account/organisations/{world.organisation.slug}/members/" in body
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EDITOR_ROLE_REQUESTED)
    assert event.subject == world.member and event.organisation == world.organisation
    assert event.detail == {"membership_id": membership.pk, "told": "admins", "recipients": 2}
    # Audit details hold no personal data.
    assert "@" not in str(event.detail)
    shown = client.get("/account/profile/").content.decode()
    assert "Your request has been sent to the admins of Rightshire Council." in shown


def test_with_no_admin_the_request_goes_to_staff(django_capture_on_commit_callbacks: Any) -> None:
    world = build_world()
    Membership.objects.filter(role=MembershipRole.ADMIN).delete()
    with django_capture_on_commit_callbacks(execute=True):
        sent = ask_to_become_editor(
            membership=membership_of(world, "member"), by=world.member, site_url="https://k.test"
        )
    assert sent.told == "staff"
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]


def test_with_nobody_to_ask_the_member_is_told_and_nothing_is_recorded() -> None:
    world = build_world()
    Membership.objects.filter(role=MembershipRole.ADMIN).delete()
    User.objects.filter(is_staff=True).update(is_staff=False)
    client = client_for(world.member)
    response = client.post(url_for(membership_of(world, "member")), follow=True)
    assert "Nobody can make you an editor yet" in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EDITOR_ROLE_REQUESTED).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_an_editor_or_admin_cannot_ask_to_become_an_editor(role: str) -> None:
    world = build_world()
    person = world.person(role)
    assert person is not None
    with pytest.raises(NotAllowed):
        ask_to_become_editor(
            membership=membership_of(world, role), by=person, site_url="https://k.test"
        )
    assert client_for(person).post(url_for(membership_of(world, role))).status_code == 403


def test_nobody_can_ask_on_someone_elses_membership() -> None:
    world = build_world()
    url = url_for(membership_of(world, "member"))
    assert client_for(world.person("admin")).post(url).status_code == 404
    assert client_for(world.person("staff")).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302  # to sign in
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EDITOR_ROLE_REQUESTED).exists()


def test_asking_is_limited_to_three_a_day() -> None:
    world = build_world()
    client = client_for(world.member)
    url = url_for(membership_of(world, "member"))
    statuses = [client.post(url).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EDITOR_ROLE_REQUESTED).count() == 3


def test_the_account_page_costs_the_same_however_many_organisations_a_member_may_ask() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kitbag.registry.tests.factories import OrganisationFactory

    world = build_world()
    client = client_for(world.member)

    def queries() -> int:
        client.get("/account/profile/")  # sessions and caches warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/account/profile/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(6):
        organisation = OrganisationFactory.create(name=f"Body {n} Council")
        for person, role in ((world.member, MembershipRole.MEMBER), (None, MembershipRole.ADMIN)):
            MembershipFactory.create(
                user=person or UserFactory.create(email=f"admin-{n}@example.org"),
                organisation=organisation,
                role=role,
            )
    assert queries() == one
    assert "admin-5@example.org" in client.get("/account/profile/").content.decode()
