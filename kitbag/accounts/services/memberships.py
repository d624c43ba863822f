"""Who belongs to which organisation, in what role, and how they came to: every write here.

Each function is one transaction and leaves one AuditEvent per change. Audit details hold ids,
roles, methods and domains, never an email address or a name (see kitbag/accounts/audit.py).

Decisions (docs in the lead's report and the tests):
- A confirmed address matches an organisation's domain exactly. foo.camden.gov.uk does not match
  camden.gov.uk: sub-domains are often run by someone else (a school, a trading company, a shared
  service), and an admin can add a sub-domain that really is theirs.
- Once an organisation has an admin it keeps one: the last active admin cannot be demoted, leave
  or be removed, except by staff (who may need to end an account that has been taken over).
- An organisation admin may add only a domain at which they have themselves confirmed an address;
  staff may add any. Otherwise an admin could add gmail.com and make strangers verified members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    OrganisationDomain,
    Profile,
    User,
)
from kitbag.accounts.permissions import can
from kitbag.accounts.queries import organisation_admins, staff_accounts
from kitbag.registry.models import Organisation

INVITATION_LIFETIME = dt.timedelta(days=14)

ROLE_RANK = {MembershipRole.MEMBER: 0, MembershipRole.EDITOR: 1, MembershipRole.ADMIN: 2}

# Domains shared by many bodies or by the public: membership of one organisation cannot follow
# from an address there. Public suffixes are refused by `normalise_domain` as well.
SHARED_EMAIL_DOMAINS = frozenset(
    {
        "nhs.net",
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "proton.me",
        "protonmail.com",
    }
)
PUBLIC_SUFFIXES = frozenset(
    {
        "uk",
        "co.uk",
        "org.uk",
        "ac.uk",
        "gov.uk",
        "nhs.uk",
        "police.uk",
        "sch.uk",
        "gov.wales",
        "llyw.cymru",
        "gov.scot",
        "service.gov.uk",
        "com",
        "org",
        "net",
        "cymru",
        "wales",
        "scot",
    }
)


class MembershipError(Exception):
    """A membership change that the rules refuse; the message is shown to the person."""


class NotAllowed(MembershipError):
    pass


class InvitationUnusable(MembershipError):
    pass


def _allowed(user: User, action: str, organisation: Organisation) -> bool:
    return can(user, action, organisation)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("You do not have permission to do that."))


def _is_staff(user: User) -> bool:
    return can(user, "override_org_rules")


def ensure_profile(*, user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def normalise_domain(value: str) -> str:
    """A bare, lower-case domain, or MembershipError saying why it cannot be used."""
    domain = value.strip().lower().removeprefix("@").rstrip(".")
    labels = domain.split(".")
    if (
        len(domain) > 253
        or len(labels) < 2
        or not all(
            label
            and len(label) <= 63
            and label.replace("-", "").isalnum()
            and label.isascii()
            and not label.startswith("-")
            and not label.endswith("-")
            for label in labels
        )
    ):
        raise MembershipError(_("Enter a domain like camden.gov.uk, without https:// or an @."))
    if domain in PUBLIC_SUFFIXES or domain in SHARED_EMAIL_DOMAINS:
        raise MembershipError(
            _("%(domain)s is shared by many organisations or the public, so it cannot be added.")
            % {"domain": domain}
        )
    return domain


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def confirmed_addresses(*, user: User) -> list[str]:
    return [
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def _active(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.active().filter(organisation=organisation)


def _start_membership(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    method: str,
    by: User | None,
    **detail: object,
) -> Membership | None:
    """A new active membership, or None if one already exists (also when another request made
    it a moment ago: the database's one-active-membership constraint settles the race)."""
    if _active(organisation).filter(user=user).exists():
        return None
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, method=method
            )
    except IntegrityError:
        return None
    record_audit_event(
        AuditEvent.Kind.MEMBERSHIP_STARTED,
        subject=user,
        actor=by,
        organisation=organisation,
        membership_id=membership.pk,
        role=role,
        method=method,
        **detail,
    )
    return membership


@transaction.atomic
def grant_memberships_for_confirmed_email(*, user: User, email: str) -> list[Membership]:
    """Verified membership of each current organisation that holds the address's domain.

    Called by the sign-in adapter once `email` is confirmed as belonging to `user`."""
    domain = domain_of(email)
    organisations = Organisation.objects.current().filter(email_domains__domain=domain)
    granted = []
    for organisation in organisations:
        membership = _start_membership(
            user=user,
            organisation=organisation,
            role=MembershipRole.MEMBER,
            method=Membership.Method.EMAIL_DOMAIN,
            by=user,
            domain=domain,
        )
        if membership is not None:
            granted.append(membership)
    return granted


@dataclass
class EditorRequest:
    membership: Membership
    # Who was told: the organisation's admins or, while it has none, staff.
    told: str
    recipients: int


@transaction.atomic
def ask_to_become_editor(*, membership: Membership, by: User, site_url: str) -> EditorRequest:
    """A verified member asks their organisation's admins to make them an editor, so that they
    can publish and review its cases. Each admin gets an email of their own (no admin sees the
    others' addresses) with a link to the members page, where they change roles; an organisation
    with no admin yet sends the request to staff, who may change any organisation's roles."""
    _require(can(by, "ask_to_become_editor", membership))
    organisation = membership.organisation
    admins = list(organisation_admins(organisation=organisation).values_list("email", flat=True))
    told = "admins" if admins else "staff"
    recipients = admins or list(staff_accounts().values_list("email", flat=True))
    if not recipients:
        raise MembershipError(
            _("Nobody can make you an editor yet: %(organisation)s has no admin on %(service)s.")
            % {"organisation": organisation.name, "service": settings.SERVICE_NAME}
        )
    record_audit_event(
        AuditEvent.Kind.EDITOR_ROLE_REQUESTED,
        subject=by,
        actor=by,
        organisation=organisation,
        membership_id=membership.pk,
        told=told,
        recipients=len(recipients),
    )
    url = site_url.rstrip("/") + reverse(
        "accounts:organisation_members", kwargs={"slug": organisation.slug}
    )
    subject = _("%(person)s asks to become an editor of %(organisation)s") % {
        "person": by.email,
        "organisation": organisation.name,
    }
    message = _(
        "%(person)s, a verified member of %(organisation)s on %(service)s, asks to become an "
        "editor. Editors publish the organisation's cases and review its colleagues' cases.\n\n"
        "If they should, change their role to editor on the members page:\n%(url)s\n\n"
        "If not, there is nothing to do."
    ) % {
        "person": by.email,
        "organisation": organisation.name,
        "service": settings.SERVICE_NAME,
        "url": url,
    }
    emails = [
        (f"[{settings.SERVICE_NAME}] {subject}", message, None, [address]) for address in recipients
    ]
    # Sent after the commit, one email per person, so a rolled-back request reaches nobody.
    transaction.on_commit(lambda: send_mass_mail(emails))
    return EditorRequest(membership=membership, told=told, recipients=len(recipients))


@transaction.atomic
def grant_membership_by_staff(
    *, user: User, organisation: Organisation, role: MembershipRole, by: User
) -> Membership:
    _require(can(by, "grant_membership", organisation))
    membership = _start_membership(
        user=user, organisation=organisation, role=role, method=Membership.Method.STAFF, by=by
    )
    if membership is None:
        raise MembershipError(_("This person is already a member of this organisation."))
    return membership


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    # Only here and in the email: the database keeps its hash.
    token: str
    url: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_to_organisation(
    *,
    organisation: Organisation,
    email: str,
    role: MembershipRole,
    by: User,
    site_url: str,
) -> InvitationSent:
    """Invite `email` to join in `role`; a new invitation replaces any pending one to the same
    address, so only the newest link works."""
    _require(_allowed(by, "manage_members", organisation))
    email = email.strip()
    now = timezone.now()
    superseded = pending_invitations(organisation=organisation).filter(email__iexact=email)
    for old in superseded:
        _revoke(invitation=old, by=by, now=now, superseded=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    record_audit_event(
        AuditEvent.Kind.INVITATION_SENT,
        actor=by,
        organisation=organisation,
        invitation_id=invitation.pk,
        role=role,
    )
    url = site_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token})
    message = _(
        "You have been invited to join %(organisation)s on %(service)s as %(role)s.\n\n"
        "To accept, sign in with this email address and open this link:\n%(url)s\n\n"
        "The link works until %(expires)s. If you did not expect this invitation, ignore it."
    ) % {
        "organisation": organisation.name,
        "service": settings.SERVICE_NAME,
        "role": MembershipRole(role).label.lower(),
        "url": url,
        "expires": timezone.localtime(invitation.expires_at).strftime("%d %B %Y"),
    }
    subject = _("Invitation to join %(organisation)s") % {"organisation": organisation.name}
    # Sent after the commit so that a rolled-back invitation never reaches anyone.
    transaction.on_commit(
        lambda: send_mail(f"[{settings.SERVICE_NAME}] {subject}", message, None, [email])
    )
    return InvitationSent(invitation=invitation, token=token, url=url)


def pending_invitations(*, organisation: Organisation | None = None) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _revoke(*, invitation: Invitation, by: User, now: dt.datetime, superseded: bool) -> None:
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    record_audit_event(
        AuditEvent.Kind.INVITATION_REVOKED,
        actor=by,
        organisation=invitation.organisation,
        invitation_id=invitation.pk,
        outcome="superseded" if superseded else "revoked",
    )


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    _require(can(by, "manage", invitation))
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationUnusable(_("This invitation has already been used or withdrawn."))
    _revoke(invitation=invitation, by=by, now=timezone.now(), superseded=False)


def invitation_problem(*, invitation: Invitation, user: User) -> str:
    """Why `user` cannot accept the invitation now, or an empty string if they can."""
    if invitation.revoked_at is not None:
        return _("This invitation has been withdrawn.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the organisation for a new one.")
    if invitation.email.lower() not in confirmed_addresses(user=user):
        return _(
            "This invitation was sent to an email address you have not confirmed on your "
            "account. Sign in with that address, or add and confirm it in your email settings."
        )
    return ""


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join as the invited role. Only the person who confirmed the invited address may accept:
    the link alone is not enough, because links get forwarded."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation=invitation, user=user)
    if problem:
        raise InvitationUnusable(problem)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    organisation = invitation.organisation
    membership = _start_membership(
        user=user,
        organisation=organisation,
        role=invitation.role,
        method=Membership.Method.INVITATION,
        by=invitation.invited_by,
        invitation_id=invitation.pk,
    )
    if membership is not None:
        return membership
    # Already a member: an invitation can raise their role but never lowers it.
    existing = _active(organisation).get(user=user)
    if ROLE_RANK[MembershipRole(invitation.role)] > ROLE_RANK[MembershipRole(existing.role)]:
        _set_role(membership=existing, role=MembershipRole(invitation.role), by=user)
    return existing


def _is_last_admin(membership: Membership) -> bool:
    if membership.role != MembershipRole.ADMIN:
        return False
    return not (
        _active(membership.organisation)
        .filter(role=MembershipRole.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


def _protect_last_admin(*, membership: Membership, by: User) -> None:
    if _is_last_admin(membership) and not _is_staff(by):
        raise MembershipError(
            _("%(organisation)s must keep at least one admin. Make someone else an admin first.")
            % {"organisation": membership.organisation.name}
        )


def _set_role(*, membership: Membership, role: MembershipRole, by: User) -> None:
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_audit_event(
        AuditEvent.Kind.MEMBERSHIP_ROLE_CHANGED,
        subject=membership.user,
        actor=by,
        organisation=membership.organisation,
        membership_id=membership.pk,
        previous_role=previous,
        role=role,
    )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )


def _require_active(membership: Membership) -> None:
    if not membership.is_active:
        raise MembershipError(_("This membership has already ended."))


@transaction.atomic
def change_role(*, membership: Membership, role: MembershipRole, by: User) -> Membership:
    membership = _locked(membership)
    _require(_allowed(by, "manage_members", membership.organisation))
    _require_active(membership)
    if membership.role == role:
        return membership
    if role != MembershipRole.ADMIN:
        _protect_last_admin(membership=membership, by=by)
    _set_role(membership=membership, role=role, by=by)
    return membership


def _end(*, membership: Membership, reason: Membership.EndReason, by: User) -> Membership:
    membership.ended_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["ended_at", "end_reason"])
    # A public profile stops naming an organisation the person no longer belongs to.
    if membership.user is not None:
        Profile.objects.filter(user=membership.user, organisation=membership.organisation).update(
            organisation=None
        )
    record_audit_event(
        AuditEvent.Kind.MEMBERSHIP_ENDED,
        subject=membership.user,
        actor=by,
        organisation=membership.organisation,
        membership_id=membership.pk,
        role=membership.role,
        reason=reason,
    )
    return membership


@transaction.atomic
def leave_organisation(*, membership: Membership, user: User) -> Membership:
    membership = _locked(membership)
    _require(membership.user_id == user.pk)
    _require_active(membership)
    _protect_last_admin(membership=membership, by=user)
    return _end(membership=membership, reason=Membership.EndReason.LEFT, by=user)


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> Membership:
    membership = _locked(membership)
    _require(_allowed(by, "manage_members", membership.organisation))
    _require_active(membership)
    if membership.user_id == by.pk:
        raise MembershipError(_("To end your own membership, leave the organisation."))
    _protect_last_admin(membership=membership, by=by)
    return _end(membership=membership, reason=Membership.EndReason.REMOVED, by=by)


@transaction.atomic
def add_domain(*, organisation: Organisation, domain: str, by: User) -> OrganisationDomain:
    _require(_allowed(by, "manage_domains", organisation))
    domain = normalise_domain(domain)
    holder = OrganisationDomain.objects.select_related("organisation").filter(domain=domain).first()
    if holder is not None:
        if holder.organisation_id == organisation.pk:
            raise MembershipError(_("%(domain)s is already listed.") % {"domain": domain})
        raise MembershipError(
            _("%(domain)s already belongs to %(organisation)s. Contact us if that is wrong.")
            % {"domain": domain, "organisation": holder.organisation.name}
        )
    if not _is_staff(by) and not any(
        domain_of(address) == domain for address in confirmed_addresses(user=by)
    ):
        raise NotAllowed(
            _(
                "You can add only a domain where you have confirmed an email address. "
                "Confirm an address at %(domain)s first, or ask Kitbag staff to add it."
            )
            % {"domain": domain}
        )
    return _create_domain(
        organisation=organisation, domain=domain, source=OrganisationDomain.Source.ADMIN, by=by
    )


def _create_domain(
    *, organisation: Organisation, domain: str, source: str, by: User | None
) -> OrganisationDomain:
    created = OrganisationDomain.objects.create(
        organisation=organisation, domain=domain, source=source, added_by=by
    )
    record_audit_event(
        AuditEvent.Kind.DOMAIN_ADDED,
        actor=by,
        organisation=organisation,
        domain=domain,
        source=source,
    )
    return created


@transaction.atomic
def remove_domain(*, domain: OrganisationDomain, by: User) -> None:
    """Stop the domain verifying new members. Existing members keep their memberships: leaving
    them is the admin's call, one person at a time."""
    _require(_allowed(by, "manage_domains", domain.organisation))
    organisation, name, source = domain.organisation, domain.domain, domain.source
    domain.delete()
    record_audit_event(
        AuditEvent.Kind.DOMAIN_REMOVED,
        actor=by,
        organisation=organisation,
        domain=name,
        source=source,
    )


@transaction.atomic
def set_platform_role(
    *, user: User, is_moderator: bool | None = None, is_staff: bool | None = None, by: User
) -> User:
    """Make someone a moderator or staff, or stop them being one (None leaves a role alone)."""
    _require(can(by, "set_platform_role", user))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk and is_staff is False:
        # Someone has to be left who can undo it.
        raise MembershipError(_("You cannot remove your own staff role."))
    changes: dict[str, bool] = {
        name: value
        for name, value in (("is_moderator", is_moderator), ("is_staff", is_staff))
        if value is not None and getattr(user, name) != value
    }
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=list(changes))
    record_audit_event(
        AuditEvent.Kind.PLATFORM_ROLE_CHANGED, subject=user, actor=by, changes=changes
    )
    return user


# Domains from the registry. A council's democracy site is almost always on its own domain
# (democracy.camden.gov.uk), which is also its staff's email domain; the registry's websites are
# mostly blank or on www.gov.uk, so they add little but are read too.

# Public suffixes under which the label just before the suffix names one public body.
PUBLIC_SECTOR_SUFFIXES = ("gov.uk", "gov.wales", "llyw.cymru", "gov.scot", "nhs.uk", "police.uk")
# Hosts under those suffixes that serve many bodies, or none in particular.
SHARED_HOSTS = frozenset(
    {
        "www.gov.uk",
        "service.gov.uk",
        "blog.gov.uk",
        "www.gov.wales",
        "www.llyw.cymru",
        "www.gov.scot",
        "www.nhs.uk",
        "www.police.uk",
        "data.police.uk",
    }
)


def registrable_domain(host: str) -> str | None:
    """democracy.camden.gov.uk → camden.gov.uk; None for a host not under a public-sector
    suffix (a supplier's host such as camden.moderngov.co.uk) or for a shared one."""
    host = host.strip().lower().rstrip(".")
    for suffix in PUBLIC_SECTOR_SUFFIXES:
        if host.endswith("." + suffix):
            label = host[: -len(suffix) - 1].rsplit(".", 1)[-1]
            domain = f"{label}.{suffix}"
            return None if domain in SHARED_HOSTS else domain
    return None


@dataclass
class DomainReport:
    added: list[tuple[str, str]]  # (domain, organisation slug)
    unchanged: int
    # A domain another organisation already holds; left where it is.
    conflicts: list[tuple[str, str, str]]  # (domain, wanted by slug, held by slug)
    # A domain the registry gives to several current organisations (a shared democracy site):
    # given to none of them, since one address cannot tell which body a person works for.
    shared: list[tuple[str, list[str]]]
    # Previously removed by an admin or staff, so not brought back.
    withdrawn: list[tuple[str, str]]
    third_party_hosts: list[tuple[str, str]]  # (host, organisation slug)
    organisations_with_domain: int

    def summary(self) -> str:
        return (
            f"registry domains: {len(self.added)} added, {self.unchanged} unchanged, "
            f"{len(self.conflicts)} conflicts, {len(self.shared)} shared, "
            f"{len(self.withdrawn)} previously removed, "
            f"{len(self.third_party_hosts)} third-party hosts skipped; "
            f"{self.organisations_with_domain} current organisations have a domain"
        )


def _hosts(organisation: Organisation) -> list[str]:
    hosts = []
    for url in (organisation.democracy_url, organisation.website):
        host = urlsplit(url).hostname if url else None
        if host and host not in hosts:
            hosts.append(host)
    return hosts


@transaction.atomic
def derive_registry_domains() -> DomainReport:
    """Give each current organisation the domains its registry web addresses are on."""
    report = DomainReport([], 0, [], [], [], [], 0)
    wanted: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.current().only(
        "pk", "slug", "name", "democracy_url", "website"
    ):
        for host in _hosts(organisation):
            domain = registrable_domain(host)
            if domain is None:
                if not host.endswith(PUBLIC_SECTOR_SUFFIXES):
                    report.third_party_hosts.append((host, organisation.slug))
                continue
            holders = wanted.setdefault(domain, [])
            if organisation not in holders:
                holders.append(organisation)
    held = {
        row.domain: row for row in OrganisationDomain.objects.select_related("organisation").all()
    }
    removed = set(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.DOMAIN_REMOVED).values_list(
            "detail__domain", flat=True
        )
    )
    for domain, organisations in sorted(wanted.items()):
        holder = held.get(domain)
        if holder is not None:
            if any(o.pk == holder.organisation_id for o in organisations):
                report.unchanged += 1
            else:
                for organisation in organisations:
                    report.conflicts.append((domain, organisation.slug, holder.organisation.slug))
            continue
        if len(organisations) > 1:
            report.shared.append((domain, sorted(o.slug for o in organisations)))
            continue
        if domain in removed:
            report.withdrawn.append((domain, organisations[0].slug))
            continue
        _create_domain(
            organisation=organisations[0],
            domain=domain,
            source=OrganisationDomain.Source.REGISTRY,
            by=None,
        )
        report.added.append((domain, organisations[0].slug))
    report.organisations_with_domain = (
        Organisation.objects.current().filter(email_domains__isnull=False).distinct().count()
    )
    return report
