"""The members page of an organisation: who may open it, what admins can do there, and its cost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kitbag.accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    OrganisationDomain,
    User,
)
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def person(email: str, *, staff: bool = False) -> User:
    user = UserFactory.create(email=email, is_staff=staff, verified=True)
    return user


def member(user: User, organisation: Organisation, role: str = MembershipRole.MEMBER) -> Membership:
    return MembershipFactory.create(user=user, organisation=organisation, role=role)


@pytest.fixture
def camden() -> Organisation:
    organisation = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
    OrganisationDomain.objects.create(
        organisation=organisation, domain="camden.gov.uk", source=OrganisationDomain.Source.REGISTRY
    )
    return organisation


@pytest.fixture
def boss(camden: Organisation) -> User:
    user = person("boss@camden.gov.uk")
    member(user, camden, MembershipRole.ADMIN)
    return user


def members_url(organisation: Organisation) -> str:
    return reverse("accounts:organisation_members", args=[organisation.slug])


def html(response: object) -> str:
    return str(response.content.decode())  # type: ignore[attr-defined]


def test_admins_and_staff_see_the_members_page(
    client: Client, camden: Organisation, boss: User
) -> None:
    member(person("ada@camden.gov.uk"), camden, MembershipRole.EDITOR)

    for viewer in (boss, person("staff@kitbag.example", staff=True)):
        client.force_login(viewer)
        page = html(client.get(members_url(camden)))
        assert "ada@camden.gov.uk" in page and "camden.gov.uk" in page
        assert page.count("<h1") == 1
        assert "style=" not in page and "<script>" not in page
        forms = re.findall(r"<form method=\"post\".*?</form>", page, flags=re.S)
        assert forms and all("csrfmiddlewaretoken" in form for form in forms)


def test_members_editors_and_strangers_get_a_forbidden_page(
    client: Client, camden: Organisation
) -> None:
    editor = person("ed@camden.gov.uk")
    member(editor, camden, MembershipRole.EDITOR)
    admin_elsewhere = person("boss@islington.gov.uk")
    member(admin_elsewhere, OrganisationFactory.create(name="Islington"), MembershipRole.ADMIN)

    for viewer in (editor, admin_elsewhere, person("eve@example.org")):
        client.force_login(viewer)
        response = client.get(members_url(camden))
        assert response.status_code == 403
        assert "You do not have permission to see this page" in html(response)
    client.logout()
    assert client.get(members_url(camden)).status_code == 302


def test_an_admin_changes_a_role(client: Client, camden: Organisation, boss: User) -> None:
    ada = member(person("ada@camden.gov.uk"), camden)
    client.force_login(boss)

    response = client.post(
        reverse("accounts:organisation_change_role", args=[camden.slug, ada.pk]),
        {"role": "editor"},
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.role == MembershipRole.EDITOR


def test_the_last_admin_demoting_themselves_sees_an_error_summary(
    client: Client, camden: Organisation, boss: User
) -> None:
    client.force_login(boss)
    mine = Membership.objects.get(user=boss)

    response = client.post(
        reverse("accounts:organisation_change_role", args=[camden.slug, mine.pk]),
        {"role": "member"},
    )

    page = html(response)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert f'href="#role-{mine.pk}"' in page and "at least one admin" in page


def test_removing_a_member_asks_then_records_the_removal(
    client: Client, camden: Organisation, boss: User
) -> None:
    ada = member(person("ada@camden.gov.uk"), camden)
    client.force_login(boss)
    url = reverse("accounts:organisation_remove_member", args=[camden.slug, ada.pk])

    assert "Are you sure you want to remove ada@camden.gov.uk?" in html(client.get(url))
    assert client.post(url).status_code == 302

    ada.refresh_from_db()
    assert ada.end_reason == Membership.EndReason.REMOVED
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MEMBERSHIP_ENDED).count() == 1


def test_an_invalid_invitation_keeps_what_was_typed(
    client: Client, camden: Organisation, boss: User
) -> None:
    client.force_login(boss)

    response = client.post(
        reverse("accounts:organisation_invite", args=[camden.slug]),
        {"invite-email": "not an address", "invite-role": "editor"},
    )

    page = html(response)
    assert response.status_code == 400
    assert 'href="#invite-email"' in page and 'value="not an address"' in page
    assert re.search(r'<option value="editor" selected>', page)
    assert not Invitation.objects.exists()


def test_an_admin_invites_and_withdraws_an_invitation(
    client: Client,
    camden: Organisation,
    boss: User,
    mailoutbox: list[object],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(boss)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:organisation_invite", args=[camden.slug]),
            {"invite-email": "cy@contractor.example", "invite-role": "member"},
        )
    invitation = Invitation.objects.get()
    assert "cy@contractor.example" in html(client.get(members_url(camden)))
    assert len(mailoutbox) == 1

    client.post(
        reverse("accounts:organisation_revoke_invitation", args=[camden.slug, invitation.pk])
    )

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "There are no invitations waiting." in html(client.get(members_url(camden)))


def test_an_admin_adds_and_removes_a_domain(
    client: Client, camden: Organisation, boss: User
) -> None:
    EmailAddress.objects.create(user=boss, email="boss@camden.nhs.uk", verified=True)
    client.force_login(boss)

    client.post(
        reverse("accounts:organisation_add_domain", args=[camden.slug]),
        {"domain-domain": "camden.nhs.uk"},
    )
    added = OrganisationDomain.objects.get(domain="camden.nhs.uk")
    client.post(reverse("accounts:organisation_remove_domain", args=[camden.slug, added.pk]))

    assert list(camden.email_domains.values_list("domain", flat=True)) == ["camden.gov.uk"]


def test_a_refused_domain_shows_an_error_and_keeps_the_input(
    client: Client, camden: Organisation, boss: User
) -> None:
    client.force_login(boss)

    response = client.post(
        reverse("accounts:organisation_add_domain", args=[camden.slug]),
        {"domain-domain": "gmail.com"},
    )

    page = html(response)
    assert response.status_code == 400
    assert 'href="#domain-domain"' in page and 'value="gmail.com"' in page
    assert "shared by many organisations" in page


def test_others_cannot_post_changes_either(
    client: Client, camden: Organisation, boss: User
) -> None:
    ada = member(person("ada@camden.gov.uk"), camden)
    client.force_login(ada.user)  # type: ignore[arg-type]

    responses = [
        client.post(
            reverse("accounts:organisation_change_role", args=[camden.slug, ada.pk]),
            {"role": "admin"},
        ),
        client.post(
            reverse("accounts:organisation_invite", args=[camden.slug]),
            {"invite-email": "x@example.org", "invite-role": "admin"},
        ),
        client.post(
            reverse("accounts:organisation_add_domain", args=[camden.slug]),
            {"domain-domain": "camden.nhs.uk"},
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    ada.refresh_from_db()
    assert ada.role == MembershipRole.MEMBER


def test_the_members_page_costs_the_same_whatever_the_number_of_members(
    client: Client,
    camden: Organisation,
    boss: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(25):
        member(person(f"person{n}@camden.gov.uk"), camden)
    client.force_login(boss)
    client.get(members_url(camden))

    with django_assert_max_num_queries(10):
        response = client.get(members_url(camden))

    assert html(response).count("Change role") == 26
