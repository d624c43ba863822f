"""Memberships, invitations, roles and domains: the rules in services/memberships.py."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kitbag.accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    OrganisationDomain,
    User,
)
from kitbag.accounts.services import memberships as services
from kitbag.accounts.services.memberships import (
    InvitationUnusable,
    MembershipError,
    NotAllowed,
    registrable_domain,
)
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
MEMBER, EDITOR, ADMIN = MembershipRole.MEMBER, MembershipRole.EDITOR, MembershipRole.ADMIN


def person(email: str, *, confirmed: bool = True, staff: bool = False) -> User:
    user = UserFactory.create(email=email, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=confirmed, primary=True)
    return user


def member(user: User, organisation: Organisation, role: str = MEMBER) -> Membership:
    return MembershipFactory.create(user=user, organisation=organisation, role=role)


def council(name: str = "Camden", domain: str | None = "camden.gov.uk") -> Organisation:
    organisation = OrganisationFactory.create(name=f"London Borough of {name}", short_name=name)
    if domain:
        OrganisationDomain.objects.create(
            organisation=organisation, domain=domain, source=OrganisationDomain.Source.ADMIN
        )
    return organisation


def kinds(**filters: object) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


class TestDomainMembership:
    def test_confirming_an_address_at_a_domain_makes_a_verified_member(self) -> None:
        camden = council()
        user = person("ada@camden.gov.uk")

        granted = services.grant_memberships_for_confirmed_email(
            user=user, email="Ada@CAMDEN.gov.uk"
        )

        assert [(m.organisation, m.role, m.method) for m in granted] == [
            (camden, MEMBER, Membership.Method.EMAIL_DOMAIN)
        ]
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.MEMBERSHIP_STARTED)
        assert event.subject == user and event.organisation == camden
        assert "ada" not in str(event.detail).lower()

    def test_confirming_again_grants_nothing_more(self) -> None:
        council()
        user = person("ada@camden.gov.uk")
        services.grant_memberships_for_confirmed_email(user=user, email="ada@camden.gov.uk")

        again = services.grant_memberships_for_confirmed_email(user=user, email="ada@camden.gov.uk")

        assert again == []
        assert Membership.objects.count() == 1
        assert kinds(kind=AuditEvent.Kind.MEMBERSHIP_STARTED) == ["membership-started"]

    def test_an_existing_membership_of_any_role_is_kept_as_it_is(self) -> None:
        camden = council()
        user = person("ada@camden.gov.uk")
        member(user, camden, ADMIN)

        assert services.grant_memberships_for_confirmed_email(user=user, email=user.email) == []
        assert Membership.objects.get().role == ADMIN

    def test_a_subdomain_address_does_not_match_the_parent_domain(self) -> None:
        council()
        user = person("bob@schools.camden.gov.uk")

        assert services.grant_memberships_for_confirmed_email(user=user, email=user.email) == []

    def test_an_address_at_an_unknown_domain_grants_nothing(self) -> None:
        council()
        user = person("eve@example.org")

        assert services.grant_memberships_for_confirmed_email(user=user, email=user.email) == []

    def test_an_abolished_organisation_makes_no_new_members(self) -> None:
        old = council()
        old.end_date = dt.date(2020, 3, 31)
        old.save()
        user = person("ada@camden.gov.uk")

        assert services.grant_memberships_for_confirmed_email(user=user, email=user.email) == []

    def test_a_person_can_belong_to_several_organisations(self) -> None:
        camden = council()
        islington = council("Islington", "islington.gov.uk")
        user = person("ada@camden.gov.uk")
        EmailAddress.objects.create(user=user, email="ada@islington.gov.uk", verified=True)

        services.grant_memberships_for_confirmed_email(user=user, email="ada@camden.gov.uk")
        services.grant_memberships_for_confirmed_email(user=user, email="ada@islington.gov.uk")

        assert {m.organisation for m in user.memberships.filter(ended_at__isnull=True)} == {
            camden,
            islington,
        }

    def test_after_leaving_confirming_again_starts_a_new_membership(self) -> None:
        camden = council()
        user = person("ada@camden.gov.uk")
        (first,) = services.grant_memberships_for_confirmed_email(user=user, email=user.email)
        services.leave_organisation(membership=first, user=user)

        (second,) = services.grant_memberships_for_confirmed_email(user=user, email=user.email)

        assert second.pk != first.pk
        assert list(Membership.objects.filter(organisation=camden).order_by("pk")) == [
            first,
            second,
        ]


class TestInvitations:
    def invite(
        self,
        organisation: Organisation,
        by: User,
        email: str = "cy@contractor.example",
        role: MembershipRole = EDITOR,
    ) -> services.InvitationSent:
        return services.invite_to_organisation(
            organisation=organisation,
            email=email,
            role=role,
            by=by,
            site_url="https://kitbag.example/",
        )

    def test_an_admin_invites_by_email_and_only_a_hash_of_the_token_is_kept(
        self, django_capture_on_commit_callbacks: object
    ) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)

        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            sent = self.invite(camden, admin)

        invitation = Invitation.objects.get()
        assert invitation.token_hash == services.hash_token(sent.token) != sent.token
        lifetime = invitation.expires_at - invitation.created_at
        assert abs(lifetime - dt.timedelta(days=14)) < dt.timedelta(seconds=5)
        assert sent.url == f"https://kitbag.example/account/invitations/{sent.token}/"
        assert len(mail.outbox) == 1 and sent.url in mail.outbox[0].body
        assert mail.outbox[0].to == ["cy@contractor.example"]
        assert kinds(kind=AuditEvent.Kind.INVITATION_SENT) == ["invitation-sent"]

    def test_a_member_who_is_not_an_admin_cannot_invite(self) -> None:
        camden = council()
        editor = person("ed@camden.gov.uk")
        member(editor, camden, EDITOR)

        with pytest.raises(NotAllowed):
            self.invite(camden, editor)
        assert not Invitation.objects.exists()

    def test_the_invited_person_accepts_and_gets_the_invited_role(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        sent = self.invite(camden, admin, email="Cy@Contractor.example")
        invitee = person("cy@contractor.example")

        membership = services.accept_invitation(invitation=sent.invitation, user=invitee)

        assert (membership.role, membership.method) == (EDITOR, Membership.Method.INVITATION)
        assert Invitation.objects.get().accepted_at is not None
        started = AuditEvent.objects.get(kind=AuditEvent.Kind.MEMBERSHIP_STARTED)
        assert started.actor == admin and started.subject == invitee

    def test_someone_else_with_the_link_cannot_accept(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        sent = self.invite(camden, admin)
        stranger = person("eve@example.org")
        unconfirmed = person("cy@contractor.example", confirmed=False)

        for user in (stranger, unconfirmed):
            with pytest.raises(InvitationUnusable, match="not confirmed"):
                services.accept_invitation(invitation=sent.invitation, user=user)
        assert not Membership.objects.exclude(user=admin).exists()

    def test_an_expired_invitation_is_refused(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        sent = self.invite(camden, admin)
        Invitation.objects.filter(pk=sent.invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )

        with pytest.raises(InvitationUnusable, match="expired"):
            services.accept_invitation(
                invitation=sent.invitation, user=person(sent.invitation.email)
            )

    def test_a_revoked_invitation_is_refused_and_the_revocation_recorded(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        sent = self.invite(camden, admin)

        services.revoke_invitation(invitation=sent.invitation, by=admin)

        with pytest.raises(InvitationUnusable, match="withdrawn"):
            services.accept_invitation(
                invitation=sent.invitation, user=person(sent.invitation.email)
            )
        revoked = AuditEvent.objects.filter(kind=AuditEvent.Kind.INVITATION_REVOKED).first()
        assert revoked is not None and revoked.detail["outcome"] == "revoked"

    def test_an_invitation_can_be_accepted_only_once(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        sent = self.invite(camden, admin)
        invitee = person(sent.invitation.email)
        services.accept_invitation(invitation=sent.invitation, user=invitee)

        with pytest.raises(InvitationUnusable, match="already been accepted"):
            services.accept_invitation(invitation=sent.invitation, user=invitee)

    def test_inviting_again_replaces_the_pending_invitation(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        first = self.invite(camden, admin)
        self.invite(camden, admin, email=first.invitation.email.upper())

        assert services.pending_invitations(organisation=camden).count() == 1
        first.invitation.refresh_from_db()
        assert first.invitation.revoked_at is not None

    def test_an_invitation_raises_an_existing_members_role_but_never_lowers_it(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        invitee = person("ada@camden.gov.uk")
        existing = member(invitee, camden, MEMBER)

        raised = services.accept_invitation(
            invitation=self.invite(camden, admin, email=invitee.email, role=ADMIN).invitation,
            user=invitee,
        )
        kept = services.accept_invitation(
            invitation=self.invite(camden, admin, email=invitee.email, role=MEMBER).invitation,
            user=invitee,
        )

        assert raised.pk == kept.pk == existing.pk
        existing.refresh_from_db()
        assert existing.role == ADMIN


class TestRoles:
    def test_an_admin_changes_a_members_role_and_it_is_recorded(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        ada = member(person("ada@camden.gov.uk"), camden)

        services.change_role(membership=ada, role=EDITOR, by=admin)

        ada.refresh_from_db()
        assert ada.role == EDITOR
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.MEMBERSHIP_ROLE_CHANGED)
        assert event.detail == {
            "membership_id": ada.pk,
            "previous_role": "member",
            "role": "editor",
        }

    def test_only_admins_and_staff_change_roles(self) -> None:
        camden = council()
        editor = person("ed@camden.gov.uk")
        member(editor, camden, EDITOR)
        ada = member(person("ada@camden.gov.uk"), camden)
        admin_elsewhere = person("boss@islington.gov.uk")
        member(admin_elsewhere, council("Islington", "islington.gov.uk"), ADMIN)

        for by in (editor, admin_elsewhere):
            with pytest.raises(NotAllowed):
                services.change_role(membership=ada, role=ADMIN, by=by)
        services.change_role(
            membership=ada, role=ADMIN, by=person("staff@kitbag.example", staff=True)
        )
        ada.refresh_from_db()
        assert ada.role == ADMIN

    def test_the_last_admin_cannot_step_down_or_leave(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        only_admin = member(admin, camden, ADMIN)

        with pytest.raises(MembershipError, match="at least one admin"):
            services.change_role(membership=only_admin, role=MEMBER, by=admin)
        with pytest.raises(MembershipError, match="at least one admin"):
            services.leave_organisation(membership=only_admin, user=admin)
        only_admin.refresh_from_db()
        assert only_admin.is_active and only_admin.role == ADMIN

    def test_an_admin_can_step_down_once_there_is_another_admin(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        first = member(admin, camden, ADMIN)
        member(person("deputy@camden.gov.uk"), camden, ADMIN)

        services.change_role(membership=first, role=EDITOR, by=admin)

        first.refresh_from_db()
        assert first.role == EDITOR

    def test_staff_may_remove_the_last_admin(self) -> None:
        camden = council()
        only_admin = member(person("boss@camden.gov.uk"), camden, ADMIN)

        services.remove_member(membership=only_admin, by=person("staff@kitbag.example", staff=True))

        only_admin.refresh_from_db()
        assert only_admin.end_reason == Membership.EndReason.REMOVED


class TestEndingMemberships:
    def test_leaving_ends_the_membership_with_a_reason_and_an_audit_event(self) -> None:
        camden = council()
        ada = person("ada@camden.gov.uk")
        membership = member(ada, camden)

        services.leave_organisation(membership=membership, user=ada)

        membership.refresh_from_db()
        assert membership.ended_at is not None
        assert membership.end_reason == Membership.EndReason.LEFT
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.MEMBERSHIP_ENDED)
        assert (event.subject, event.actor, event.detail["reason"]) == (ada, ada, "left")

    def test_removal_by_an_admin_is_recorded_as_removed(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        ada = person("ada@camden.gov.uk")
        membership = member(ada, camden)

        services.remove_member(membership=membership, by=admin)

        membership.refresh_from_db()
        assert membership.end_reason == Membership.EndReason.REMOVED
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.MEMBERSHIP_ENDED)
        assert (event.subject, event.actor, event.detail["reason"]) == (ada, admin, "removed")

    def test_nobody_leaves_on_someone_elses_behalf_and_members_cannot_remove(self) -> None:
        camden = council()
        ada = person("ada@camden.gov.uk")
        bob = person("bob@camden.gov.uk")
        member(ada, camden)
        bobs = member(bob, camden)

        with pytest.raises(NotAllowed):
            services.leave_organisation(membership=bobs, user=ada)
        with pytest.raises(NotAllowed):
            services.remove_member(membership=bobs, by=ada)

    def test_an_ended_membership_cannot_be_ended_again(self) -> None:
        ada = person("ada@camden.gov.uk")
        membership = member(ada, council())
        services.leave_organisation(membership=membership, user=ada)

        with pytest.raises(MembershipError, match="already ended"):
            services.leave_organisation(membership=membership, user=ada)

    def test_leaving_one_organisation_keeps_the_others(self) -> None:
        ada = person("ada@camden.gov.uk")
        camden = member(ada, council())
        islington = member(ada, council("Islington", "islington.gov.uk"))

        services.leave_organisation(membership=camden, user=ada)

        islington.refresh_from_db()
        assert islington.is_active

    def test_a_public_profile_stops_showing_an_organisation_the_person_left(self) -> None:
        camden = council()
        ada = person("ada@camden.gov.uk")
        membership = member(ada, camden)
        profile = services.ensure_profile(user=ada)
        profile.organisation = camden
        profile.save()

        services.leave_organisation(membership=membership, user=ada)

        profile.refresh_from_db()
        assert profile.organisation is None


class TestDomains:
    def test_an_admin_adds_a_domain_they_have_an_address_at(self) -> None:
        camden = council(domain=None)
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)

        added = services.add_domain(organisation=camden, domain=" Camden.GOV.uk ", by=admin)

        assert (added.domain, added.source, added.added_by) == (
            "camden.gov.uk",
            OrganisationDomain.Source.ADMIN,
            admin,
        )
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.DOMAIN_ADDED)
        assert event.detail == {"domain": "camden.gov.uk", "source": "admin"}

    def test_an_admin_cannot_add_a_domain_they_have_no_address_at_but_staff_can(self) -> None:
        camden = council(domain=None)
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)

        with pytest.raises(NotAllowed):
            services.add_domain(organisation=camden, domain="camden.nhs.uk", by=admin)
        services.add_domain(
            organisation=camden, domain="camden.nhs.uk", by=person("s@kitbag.example", staff=True)
        )
        assert camden.email_domains.get().domain == "camden.nhs.uk"

    @pytest.mark.parametrize("domain", ["gmail.com", "gov.uk", "nhs.net", "https://x.gov.uk", "x"])
    def test_shared_or_malformed_domains_are_refused(self, domain: str) -> None:
        camden = council(domain=None)
        staff = person("s@kitbag.example", staff=True)

        with pytest.raises(MembershipError):
            services.add_domain(organisation=camden, domain=domain, by=staff)

    def test_a_domain_held_by_another_organisation_is_not_moved(self) -> None:
        council()
        islington = council("Islington", None)
        staff = person("s@kitbag.example", staff=True)

        with pytest.raises(MembershipError, match="already belongs to London Borough of Camden"):
            services.add_domain(organisation=islington, domain="camden.gov.uk", by=staff)

    def test_removing_a_domain_is_recorded_and_members_stay(self) -> None:
        camden = council()
        ada = person("ada@camden.gov.uk")
        services.grant_memberships_for_confirmed_email(user=ada, email=ada.email)
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)

        services.remove_domain(domain=camden.email_domains.get(), by=admin)

        assert not camden.email_domains.exists()
        assert Membership.objects.get(user=ada).is_active
        assert kinds(kind=AuditEvent.Kind.DOMAIN_REMOVED) == ["domain-removed"]

    def test_members_cannot_add_or_remove_domains(self) -> None:
        camden = council()
        ada = person("ada@camden.gov.uk")
        member(ada, camden, EDITOR)

        with pytest.raises(NotAllowed):
            services.remove_domain(domain=camden.email_domains.get(), by=ada)
        with pytest.raises(NotAllowed):
            services.add_domain(organisation=camden, domain="camden.gov.uk", by=ada)


class TestStaffActions:
    def test_staff_grant_a_membership(self) -> None:
        camden = council()
        ada = person("ada@example.org")

        membership = services.grant_membership_by_staff(
            user=ada, organisation=camden, role=EDITOR, by=person("s@kitbag.example", staff=True)
        )

        assert (membership.method, membership.role) == (Membership.Method.STAFF, EDITOR)

    def test_only_staff_grant_memberships_and_platform_roles(self) -> None:
        camden = council()
        admin = person("boss@camden.gov.uk")
        member(admin, camden, ADMIN)
        ada = person("ada@example.org")

        with pytest.raises(NotAllowed):
            services.grant_membership_by_staff(user=ada, organisation=camden, role=MEMBER, by=admin)
        with pytest.raises(NotAllowed):
            services.set_platform_role(user=ada, is_moderator=True, by=admin)

    def test_staff_make_someone_a_moderator_and_it_is_recorded(self) -> None:
        ada = person("ada@example.org")
        staff = person("s@kitbag.example", staff=True)

        services.set_platform_role(user=ada, is_moderator=True, by=staff)
        services.set_platform_role(user=ada, is_moderator=True, by=staff)

        ada.refresh_from_db()
        assert ada.is_moderator and not ada.is_staff
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.PLATFORM_ROLE_CHANGED)
        assert (event.subject, event.actor, event.detail) == (
            ada,
            staff,
            {"changes": {"is_moderator": True}},
        )

    def test_staff_cannot_remove_their_own_staff_role(self) -> None:
        staff = person("s@kitbag.example", staff=True)

        with pytest.raises(MembershipError):
            services.set_platform_role(user=staff, is_staff=False, by=staff)


class TestRegistryDomains:
    @pytest.mark.parametrize(
        ("host", "domain"),
        [
            ("democracy.camden.gov.uk", "camden.gov.uk"),
            ("www.armaghbanbridgecraigavon.gov.uk", "armaghbanbridgecraigavon.gov.uk"),
            ("democracy.carmarthenshire.gov.wales", "carmarthenshire.gov.wales"),
            ("a.b.met.police.uk", "met.police.uk"),
            ("www.royalfree.nhs.uk", "royalfree.nhs.uk"),
            ("camden.moderngov.co.uk", None),
            ("braintree.cmis.uk.com", None),
            ("www.gov.uk", None),
            ("gov.uk", None),
            ("data.police.uk", None),
            ("x.service.gov.uk", None),
        ],
    )
    def test_the_registrable_domain_of_a_host(self, host: str, domain: str | None) -> None:
        assert registrable_domain(host) == domain

    def test_domains_come_from_democracy_sites_and_websites_of_current_bodies(self) -> None:
        camden = OrganisationFactory.create(
            name="Camden", democracy_url="https://democracy.camden.gov.uk/mgListCommittees.aspx"
        )
        met = OrganisationFactory.create(name="Met", website="https://www.met.police.uk/")
        OrganisationFactory.create(name="Ashford", democracy_url="https://ashford.moderngov.co.uk")
        OrganisationFactory.create(
            name="Old Carlisle",
            democracy_url="https://democracy.carlisle.gov.uk",
            end_date=dt.date(2023, 3, 31),
        )
        OrganisationFactory.create(
            name="Cabinet Office", website="https://www.gov.uk/government/organisations/co"
        )

        report = services.derive_registry_domains()

        assert sorted(report.added) == [("camden.gov.uk", camden.slug), ("met.police.uk", met.slug)]
        assert report.third_party_hosts == [("ashford.moderngov.co.uk", "ashford")]
        assert report.organisations_with_domain == 2
        assert OrganisationDomain.objects.get(domain="camden.gov.uk").source == "registry"
        assert kinds(kind=AuditEvent.Kind.DOMAIN_ADDED) == ["domain-added", "domain-added"]

    def test_deriving_twice_changes_nothing(self) -> None:
        OrganisationFactory.create(name="Camden", democracy_url="https://democracy.camden.gov.uk")
        services.derive_registry_domains()

        again = services.derive_registry_domains()

        assert (again.added, again.unchanged) == ([], 1)
        assert AuditEvent.objects.count() == 1

    def test_a_domain_held_by_another_organisation_is_a_conflict_not_a_move(self) -> None:
        holder = council("Islington", "camden.gov.uk")
        OrganisationFactory.create(name="Camden", democracy_url="https://democracy.camden.gov.uk")

        report = services.derive_registry_domains()

        assert report.conflicts == [("camden.gov.uk", "camden", holder.slug)]
        assert OrganisationDomain.objects.get().organisation == holder

    def test_a_democracy_site_shared_by_two_councils_gives_the_domain_to_neither(self) -> None:
        for name in ("Adur", "Worthing"):
            OrganisationFactory.create(
                name=name, democracy_url="https://democracy.adur-worthing.gov.uk"
            )

        report = services.derive_registry_domains()

        assert report.shared == [("adur-worthing.gov.uk", ["adur", "worthing"])]
        assert not OrganisationDomain.objects.exists()

    def test_a_domain_that_was_removed_is_not_brought_back(self) -> None:
        camden = OrganisationFactory.create(
            name="Camden", democracy_url="https://democracy.camden.gov.uk"
        )
        services.derive_registry_domains()
        services.remove_domain(
            domain=camden.email_domains.get(), by=person("s@kitbag.example", staff=True)
        )

        report = services.derive_registry_domains()

        assert report.withdrawn == [("camden.gov.uk", "camden")]
        assert not camden.email_domains.exists()

    def test_the_command_prints_the_report(self) -> None:
        OrganisationFactory.create(name="Camden", democracy_url="https://democracy.camden.gov.uk")
        out = io.StringIO()

        call_command("derive_domains", stdout=out)

        assert "1 added" in out.getvalue()
        assert "added: camden.gov.uk → camden" in out.getvalue()


@pytest.mark.integration
def test_real_registry_gives_camden_its_domain(real_data_dir: Path) -> None:
    call_command("import_registry", data_dir=str(real_data_dir), verbosity=0)

    report = services.derive_registry_domains()

    camden = OrganisationDomain.objects.get(domain="camden.gov.uk").organisation
    assert camden.name == "London Borough of Camden" or "Camden" in camden.name
    councils = (
        Organisation.objects.current().councils().filter(email_domains__isnull=False).distinct()
    )
    print(f"\n{report.summary()}; {councils.count()} current councils have a domain")
    print(f"shared: {report.shared}")
    # Most councils' democracy sites are on their own gov.uk domain; suppliers' hosts are not.
    assert councils.count() > 250
    assert any(host.endswith("moderngov.co.uk") for host, _slug in report.third_party_hosts)
    assert services.derive_registry_domains().added == []
