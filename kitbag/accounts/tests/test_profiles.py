"""A person's own account page, their opt-in public profile, and leaving an organisation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kitbag.accounts.models import Membership, MembershipRole, OrganisationDomain, Profile, User
from kitbag.accounts.services import memberships as services
from kitbag.accounts.services.profiles import change_profile, update_profile
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
PROFILE_URL = reverse("accounts:profile")
EDIT_URL = reverse("accounts:profile_edit")


def person(email: str) -> User:
    user = UserFactory.create(email=email, verified=True)
    return user


def camden() -> Organisation:
    organisation = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
    OrganisationDomain.objects.create(
        organisation=organisation, domain="camden.gov.uk", source=OrganisationDomain.Source.ADMIN
    )
    return organisation


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def html(response: object) -> str:
    return str(response.content.decode())  # type: ignore[attr-defined]


def test_the_account_page_names_the_organisation_a_person_was_verified_for(client: Client) -> None:
    camden()
    ada = person("ada@camden.gov.uk")
    services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)

    page = html(signed_in(client, ada).get(PROFILE_URL))

    assert "You are a verified member of London Borough of Camden" in page
    assert "Confirmed an email address at the organisation&#x27;s domain" in page
    assert "ada@camden.gov.uk" in page
    assert page.count("<h1") == 1


def test_the_account_page_lists_past_memberships_and_pending_invitations(client: Client) -> None:
    organisation = camden()
    islington = OrganisationFactory.create(name="Islington Council", short_name="Islington")
    ada = person("ada@camden.gov.uk")
    (membership,) = services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)
    services.leave_organisation(membership=membership, user=ada)
    boss = person("boss@islington.gov.uk")
    MembershipFactory.create(user=boss, organisation=islington, role=MembershipRole.ADMIN)
    services.invite_to_organisation(
        organisation=islington,
        email="ADA@camden.gov.uk",
        role=MembershipRole.EDITOR,
        by=boss,
        site_url="http://testserver",
    )

    page = html(signed_in(client, ada).get(PROFILE_URL))

    assert "Past memberships" in page and organisation.name in page and "Left" in page
    assert "Islington Council has invited you to join as editor" in page


def test_accepting_an_invitation_from_the_account_page(client: Client) -> None:
    islington = OrganisationFactory.create(name="Islington Council", short_name="Islington")
    boss = person("boss@islington.gov.uk")
    MembershipFactory.create(user=boss, organisation=islington, role=MembershipRole.ADMIN)
    sent = services.invite_to_organisation(
        organisation=islington,
        email="ada@example.org",
        role=MembershipRole.MEMBER,
        by=boss,
        site_url="http://testserver",
    )
    ada = person("ada@example.org")

    response = signed_in(client, ada).post(
        reverse("accounts:invitation_accept", args=[sent.invitation.pk])
    )

    assert response.status_code == 302
    assert Membership.objects.get(user=ada).method == Membership.Method.INVITATION
    stranger = person("eve@example.org")
    assert (
        signed_in(client, stranger)
        .post(reverse("accounts:invitation_accept", args=[sent.invitation.pk]))
        .status_code
        == 404
    )


def test_the_invitation_link_page_accepts_for_the_invited_person_only(client: Client) -> None:
    islington = OrganisationFactory.create(name="Islington Council", short_name="Islington")
    boss = person("boss@islington.gov.uk")
    MembershipFactory.create(user=boss, organisation=islington, role=MembershipRole.ADMIN)
    sent = services.invite_to_organisation(
        organisation=islington,
        email="ada@example.org",
        role=MembershipRole.EDITOR,
        by=boss,
        site_url="http://testserver",
    )
    link = reverse("accounts:invitation", args=[sent.token])

    assert client.get(link).status_code == 302  # sign in first
    stranger_page = signed_in(client, person("eve@example.org")).get(link)
    assert "not confirmed" in html(stranger_page) and "Accept invitation" not in html(stranger_page)
    assert client.post(link).status_code == 400

    ada = person("ada@example.org")
    assert "Accept invitation" in html(signed_in(client, ada).get(link))
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=ada).role == MembershipRole.EDITOR
    assert client.get(reverse("accounts:invitation", args=["not-a-token"])).status_code == 404


def test_the_account_page_needs_a_signed_in_person(client: Client) -> None:
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_account_page_costs_the_same_whatever_the_number_of_memberships(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    ada = person("ada@example.org")
    signed_in(client, ada)
    for n in range(12):
        organisation = OrganisationFactory.create(name=f"Body {n} Council")
        MembershipFactory.create(user=ada, organisation=organisation, role=MembershipRole.ADMIN)
    ended = Membership.objects.filter(user=ada).values_list("pk", flat=True)[:4]
    Membership.objects.filter(pk__in=list(ended)).update(
        ended_at="2025-01-01T00:00Z", end_reason="left"
    )
    client.get(PROFILE_URL)

    # One more than before consultations: their section asks for official responses to the
    # person's comments. Three more for the network's: whether the profile is public, unread
    # messages, mentoring requests waiting.
    with django_assert_max_num_queries(12):
        assert client.get(PROFILE_URL).status_code == 200


def test_a_profile_is_private_until_its_owner_makes_it_public(client: Client) -> None:
    ada = person("ada@example.org")
    profile = services.ensure_profile(user=ada)
    url = reverse("accounts:profile_detail", args=[profile.pk])

    assert client.get(url).status_code == 404
    assert signed_in(client, ada).get(url).status_code == 404

    form = html(client.get(EDIT_URL))
    assert re.search(r'<input class="govuk-checkboxes__input" id="id_is_public"[^>]*>', form)
    assert "checked" not in re.search(r'id="id_is_public"[^>]*>', form).group(0)  # type: ignore[union-attr]


def test_editing_the_profile_with_an_organisation_shows_it_publicly(client: Client) -> None:
    organisation = camden()
    ada = person("ada@camden.gov.uk")
    services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)

    response = signed_in(client, ada).post(
        EDIT_URL,
        {
            "display_name": "Ada Lovelace",
            "job_title": "Head of Digital",
            "organisation": organisation.pk,
            "help_with": "**Open data** and <script>alert(1)</script>",
            "is_public": "on",
        },
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=ada)
    client.logout()
    page = html(client.get(reverse("accounts:profile_detail", args=[profile.pk])))
    assert "Ada Lovelace" in page and "Head of Digital" in page
    assert "Member of London Borough of Camden" in page
    assert "<strong>Open data</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "ada@camden.gov.uk" not in page


def test_a_profile_cannot_name_an_organisation_the_person_does_not_belong_to(
    client: Client,
) -> None:
    organisation = camden()
    ada = person("ada@example.org")

    response = signed_in(client, ada).post(
        EDIT_URL,
        {"display_name": "Ada Typed This", "organisation": organisation.pk, "is_public": "on"},
    )

    page = html(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and page.startswith("\n") is False
    assert 'value="Ada Typed This"' in page
    assert re.search(r'id="id_is_public"[^>]*checked', page)
    assert "<title>Error:" in page
    assert not Profile.objects.get(user=ada).is_public


def test_a_profile_refuses_control_characters_and_keeps_what_was_typed(client: Client) -> None:
    ada = person("ada@example.org")

    response = signed_in(client, ada).post(
        EDIT_URL,
        {"display_name": "Ada\x07", "help_with": "Open data\x00", "is_public": "on"},
    )

    page = html(response)
    assert response.status_code == 200
    assert "Name must not contain control characters: remove the U+0007 at character 4" in page
    assert (
        "What I can help with must not contain control characters: remove the U+0000 at "
        "character 10"
    ) in page
    assert not Profile.objects.filter(user=ada, is_public=True).exists()


def test_leaving_asks_for_confirmation_then_ends_the_membership(client: Client) -> None:
    camden()
    ada = person("ada@camden.gov.uk")
    (membership,) = services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)
    url = reverse("accounts:leave_organisation", args=[membership.pk])

    confirm = signed_in(client, ada).get(url)
    assert "Are you sure you want to leave London Borough of Camden?" in html(confirm)
    assert 'name="csrfmiddlewaretoken"' in html(confirm)
    membership.refresh_from_db()
    assert membership.is_active

    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.end_reason == Membership.EndReason.LEFT


def test_the_last_admin_is_told_why_they_cannot_leave(client: Client) -> None:
    organisation = camden()
    boss = person("boss@camden.gov.uk")
    membership = MembershipFactory.create(
        user=boss, organisation=organisation, role=MembershipRole.ADMIN
    )

    response = signed_in(client, boss).post(
        reverse("accounts:leave_organisation", args=[membership.pk])
    )

    assert response.status_code == 400
    assert "must keep at least one admin" in html(response)


def test_nobody_can_open_the_leave_page_for_someone_elses_membership(client: Client) -> None:
    camden()
    ada = person("ada@camden.gov.uk")
    (membership,) = services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)

    response = signed_in(client, person("eve@example.org")).post(
        reverse("accounts:leave_organisation", args=[membership.pk])
    )

    assert response.status_code == 404


def test_a_partial_profile_change_keeps_what_was_not_given() -> None:
    user = person("ada@camden.gov.uk")
    update_profile(
        user=user,
        display_name="Ada",
        job_title="Analyst",
        organisation=None,
        help_with="Data",
        is_public=True,
    )
    change_profile(user=user, job_title="", is_public=False)
    profile = Profile.objects.get(user=user)
    # Blank and False are changes; only what is not given stays.
    assert (profile.display_name, profile.job_title, profile.help_with, profile.is_public) == (
        "Ada",
        "",
        "Data",
        False,
    )


def test_a_partial_profile_change_of_nothing_writes_nothing() -> None:
    user = person("ada@camden.gov.uk")
    first = change_profile(user=user)
    change_profile(user=user)
    assert Profile.objects.get(user=user).updated_at == first.updated_at
