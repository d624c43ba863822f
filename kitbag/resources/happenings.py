"""What the resource library announces (kitbag/core/happenings.py): a resource newly made public
(its first public recommendation) to the followers of its public tags; tags and resources as
followable.

"tag" is one kind shared with events (their free tags are spelt the same way, see
addresses.normalise_tag); a tag's page is the resource library's tag page. A resource's happening
is read only while the reader may see the resource, so a link made private again drops out.
A big bookmark import sends one happening per tag rather than one per link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)
from kitbag.resources.addresses import normalise_tag
from kitbag.resources.models import Recommendation, Resource
from kitbag.resources.permissions import visible_resources

# Up to this many newly public links, one happening each; more (an import), one per tag.
ONE_EACH_UP_TO: Final = 10
CHUNK: Final = 500


def _public_tags(resource_ids: Sequence[int]) -> dict[int, set[str]]:
    # Only the tags of public recommendations: a private bookmark's tags stay private.
    tags: dict[int, set[str]] = defaultdict(set)
    # In chunks, as the import does: SQLite limits the parameters of one statement.
    for start in range(0, len(resource_ids), CHUNK):
        for resource_id, name in Recommendation.tags.through.objects.filter(
            recommendation__resource_id__in=resource_ids[start : start + CHUNK],
            recommendation__is_private=False,
        ).values_list("recommendation__resource_id", "tag__name"):
            tags[resource_id].add(name)
    return tags


def announce_newly_public(resource_ids: Sequence[int]) -> None:
    """Resources that have just become public, called inside the write that made them so."""
    if not resource_ids:
        return
    tags = _public_tags(resource_ids)
    now = timezone.now()
    if len(resource_ids) <= ONE_EACH_UP_TO:
        for resource in Resource.objects.filter(pk__in=resource_ids).order_by("pk"):
            names = sorted(tags.get(resource.pk, ()))
            if not names:
                continue
            publish_happening(
                Happening(
                    kind="resource-public",
                    title=_("New in the resource library: %(title)s") % {"title": resource.title},
                    summary=", ".join(names),
                    url=resource.get_absolute_url(),
                    happened_at=now,
                    concerns=[key_of("tag", name) for name in names],
                    visible_through=("resource", resource.pk),
                )
            )
        return
    counts: dict[str, int] = defaultdict(int)
    for tag_names in tags.values():
        for name in tag_names:
            counts[name] += 1
    for name in sorted(counts):
        publish_happening(
            Happening(
                kind="resources-public",
                title=ngettext(
                    "%(count)d new resource tagged %(tag)s",
                    "%(count)d new resources tagged %(tag)s",
                    counts[name],
                )
                % {"count": counts[name], "tag": name},
                url=reverse("resources:tag", kwargs={"tag": name}),
                happened_at=now,
                concerns=[key_of("tag", name)],
            )
        )


def _describe_tags(names: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    # Any tag in its one spelling may be followed, used yet or not (events share the kind).
    return {
        name: (name, reverse("resources:tag", kwargs={"tag": name}))
        for name in names
        if name and normalise_tag(name) == name
    }


def _describe_resources(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(resource.pk): (resource.title, resource.get_absolute_url())
        for resource in Resource.objects.filter(pk__in=wanted)
    }


def register() -> None:
    register_followable(Followable(kind="tag", label=gettext_lazy("Tag"), describe=_describe_tags))
    register_followable(
        Followable(
            kind="resource",
            label=gettext_lazy("Resource"),
            describe=_describe_resources,
            visible=visible_resources,
        )
    )
