"""Writing a person's opt-in public profile."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kitbag.accounts.models import Membership, Profile, User
from kitbag.accounts.permissions import can
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


@transaction.atomic
def change_profile(
    *,
    user: User,
    display_name: str | None = None,
    job_title: str | None = None,
    help_with: str | None = None,
    is_public: bool | None = None,
) -> Profile:
    """Change the parts of a person's own profile that are given; the others keep their values.

    For a client that sends only what changes (the API's PATCH); the profile page sends the whole
    form to `update_profile`. Nothing given, nothing written.
    """
    profile = ensure_profile(user=user)
    if not can(user, "edit", profile):
        raise PermissionDenied(_("You may not change this profile."))
    given = {
        "display_name": display_name,
        "job_title": job_title,
        "help_with": help_with,
        "is_public": is_public,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    if changes:
        for name, value in changes.items():
            setattr(profile, name, value)
        profile.save()
    return profile
