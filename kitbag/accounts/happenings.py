"""People as followable things ("person:<user id>"; kitbag/core/happenings.py): only through a
profile the follower may see, so a profile that is not public can be neither followed nor read
about."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kitbag.accounts.models import Profile, User
from kitbag.accounts.permissions import Actor, Viewer
from kitbag.core.happenings import Followable, key_of, register_followable


def _visible(viewer: Viewer) -> QuerySet[User]:
    """People whose profile the viewer may see: `visible_profiles`' rule, asked of the person, so a
    single person is found by primary key."""
    actor = Actor.of(viewer)
    people = User.objects.filter(profile__isnull=False)
    if actor.is_staff:
        return people
    public = Q(profile__is_public=True, is_active=True)
    if actor.user is not None:
        return people.filter(public | Q(pk=actor.user.pk))
    return people.filter(public)


def _describe(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(user_id): (str(profile), reverse("accounts:profile_detail", args=[pk]))
        for profile in Profile.objects.filter(user_id__in=wanted)
        for user_id, pk in [(profile.user_id, profile.pk)]
    }


def public_person_keys(user_ids: Iterable[int | None]) -> list[str]:
    """The "person:<id>" keys of those among these people whose profile is public now, for a part
    announcing what they did: someone whose profile is private is never named to followers."""
    wanted = sorted({user_id for user_id in user_ids if user_id is not None})
    if not wanted:
        return []
    public = Profile.objects.filter(
        user_id__in=wanted, is_public=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return [key_of("person", user_id) for user_id in sorted(public)]


def register() -> None:
    register_followable(
        Followable(
            kind="person", label=gettext_lazy("Person"), describe=_describe, visible=_visible
        )
    )
