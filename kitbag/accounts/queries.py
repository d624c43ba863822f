"""Reads about people and organisations that pages share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.registry.models import Organisation


def organisation_admins(*, organisation: Organisation) -> QuerySet[User]:
    """The active people with an active admin membership of the organisation, by address."""
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(organisation=organisation, role=MembershipRole.ADMIN)
            .values("user_id"),
        )
        .select_related("profile")
        .order_by("email")
    )


def admins_by_organisation(*, organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active admins of each of these organisations, in one query."""
    admins: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.active()
        .filter(
            organisation_id__in=list(organisation_ids),
            role=MembershipRole.ADMIN,
            user__is_active=True,
        )
        .select_related("user__profile")
        .order_by("user__email")
    )
    for membership in memberships:
        if membership.user is not None:
            admins.setdefault(membership.organisation_id, []).append(membership.user)
    return admins


def staff_accounts() -> QuerySet[User]:
    """Active staff accounts: who can change any organisation's roles when it has no admin."""
    return User.objects.filter(is_active=True, is_staff=True).order_by("email")


def admin_label(user: User) -> str:
    """An admin as their colleagues see them: the name on their profile, and their address."""
    profile = getattr(user, "profile", None)
    name = getattr(profile, "display_name", "") if profile is not None else ""
    return f"{name} ({user.email})" if name else str(user.email)
