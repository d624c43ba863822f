"""Writing a person's opt-in public profile."""

from __future__ import annotations

from django.db import transaction

from kitbag.accounts.models import Membership, Profile, User
from kitbag.accounts.services.memberships import MembershipError, ensure_profile
from kitbag.registry.models import Organisation


@transaction.atomic
def update_profile(
    *,
    user: User,
    display_name: str,
    job_title: str,
    organisation: Organisation | None,
    help_with: str,
    is_public: bool,
) -> Profile:
    if (
        organisation is not None
        and not Membership.objects.active().filter(user=user, organisation=organisation).exists()
    ):
        raise MembershipError("A profile can show only an organisation the person belongs to.")
    profile = ensure_profile(user=user)
    profile.display_name = display_name
    profile.job_title = job_title
    profile.organisation = organisation
    profile.help_with = help_with
    profile.is_public = is_public
    profile.save()
    return profile
