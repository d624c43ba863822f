"""Reads shared by the follows pages, the digests and the personal feed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from kitbag.accounts.models import User
from kitbag.accounts.permissions import Viewer
from kitbag.core.happenings import all_followables, followable, split_key
from kitbag.follows.models import Follow, FollowSettings, HappeningConcern, StoredHappening


def followed_keys(user: User) -> QuerySet[Follow, str]:
    return Follow.objects.filter(user=user).values_list("key", flat=True)


def is_following(user: Viewer, key: str) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, key=key).exists()


def settings_of(user: User) -> FollowSettings:
    """The person's settings, made with the defaults (digests off) the first time they are asked."""
    found, _created = FollowSettings.objects.get_or_create(user=user)
    return found


def readable_by(viewer: Viewer) -> Q:
    """Happenings the viewer may read now: public ones, and those whose governing object they may
    see by its part's own rule. A kind no part registers any more is read by nobody.

    Each rule is asked as a correlated EXISTS on the object's primary key, so a query costs in
    proportion to the happenings it looks at, not to every case (or person) there is.
    """
    readable = Q(visible_through_kind="")
    for registered in all_followables():
        if registered.visible is None:
            readable |= Q(visible_through_kind=registered.kind)
        else:
            readable |= Q(
                Exists(registered.visible(viewer).filter(pk=OuterRef("visible_through_id"))),
                visible_through_kind=registered.kind,
            )
    return readable


def happenings_for(user: User) -> QuerySet[StoredHappening]:
    """Everything the person follows brought, that they may read, newest first."""
    concerning = HappeningConcern.objects.filter(
        key__in=Follow.objects.filter(user=user).values("key")
    ).values("happening_id")
    return StoredHappening.objects.filter(pk__in=concerning).filter(readable_by(user))


def happenings_between(
    user: User, *, after: dt.datetime | None, up_to: dt.datetime
) -> QuerySet[StoredHappening]:
    """What a digest covering (after, up_to] sends the person."""
    happenings = happenings_for(user).filter(recorded_at__lte=up_to)
    if after is not None:
        happenings = happenings.filter(recorded_at__gt=after)
    return happenings


@dataclass(frozen=True)
class FollowedThing:
    key: str
    kind_label: str
    name: str
    url: str  # empty when the thing has no page (or is gone)


def followed_things(user: User) -> list[FollowedThing]:
    """What the person follows, named by each part: one query, then one per kind followed."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key in followed_keys(user):
        kind, identifier = split_key(key)
        by_kind[kind].append(identifier)
    things: list[FollowedThing] = []
    for kind in sorted(by_kind):
        registered = followable(kind)
        names = registered.describe(by_kind[kind]) if registered else {}
        label = str(registered.label) if registered else kind
        for identifier in by_kind[kind]:
            name, url = names.get(identifier, (identifier, ""))
            things.append(
                FollowedThing(key=f"{kind}:{identifier}", kind_label=label, name=name, url=url)
            )
    return things


def unread_count(user: User, *, read_at: dt.datetime | None) -> int:
    happenings = happenings_for(user)
    if read_at is not None:
        happenings = happenings.filter(recorded_at__gt=read_at)
    return happenings.count()
