"""Reads the library's pages, feeds and API share: what a viewer may see, with the tags and
recommendations they may see, in a fixed number of queries however many resources are shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from kitbag.accounts.permissions import Viewer
from kitbag.core.parts import Figure
from kitbag.resources.models import Recommendation, Resource, Tag, Use
from kitbag.resources.permissions import visible_recommendations, visible_resources
from kitbag.resources.used_by import UsedByLink, links_for

PAGE_SIZE = 20
# "A Kitbag member": a recommender whose profile is not public is never named.
UNNAMED = "A Kitbag member"


@dataclass(frozen=True)
class ShownRecommendation:
    by: str
    why: str
    is_private: bool
    is_yours: bool
    tags: list[str]


def resources_for(viewer: Viewer, *, tag: str = "") -> QuerySet[Resource]:
    """The resources a viewer may see, newest first, each with `shown_recommendations` (those
    the viewer may see, with their tags and recommenders' profiles) prefetched."""
    resources = visible_resources(viewer)
    if tag:
        resources = resources.filter(
            pk__in=visible_recommendations(viewer).filter(tags__name=tag).values("resource_id")
        )
    return resources.order_by("-created_at", "-pk").prefetch_related(
        Prefetch(
            "recommendations",
            queryset=visible_recommendations(viewer)
            .select_related("person__profile")
            .prefetch_related("tags")
            .order_by("created_at", "pk"),
            to_attr="shown_recommendations",
        )
    )


def matching(resources: QuerySet[Resource], words: str) -> QuerySet[Resource]:
    """The library's own search: every word in the title, description, address or a reason.

    The list searches what the viewer may see (their private bookmarks too), so it filters the
    visible queryset rather than the search index, which holds public resources only."""
    for word in words.split()[:10]:
        resources = resources.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(url__icontains=word)
            | Q(recommendations__why__icontains=word, recommendations__is_private=False)
        )
    return resources.distinct()


def tags_of(resource: Resource) -> list[str]:
    """The tags of a resource's recommendations the viewer may see (prefetched by resources_for)."""
    recommendations: list[Recommendation] = getattr(resource, "shown_recommendations", [])
    return sorted({tag.name for r in recommendations for tag in r.tags.all()})


def shown_recommendations(resource: Resource, viewer: Viewer) -> list[ShownRecommendation]:
    recommendations: list[Recommendation] = getattr(resource, "shown_recommendations", [])
    viewer_id = getattr(viewer, "pk", None)
    return [
        ShownRecommendation(
            by=_name_of(r),
            why=r.why,
            is_private=r.is_private,
            is_yours=r.person_id == viewer_id,
            tags=sorted(tag.name for tag in r.tags.all()),
        )
        for r in recommendations
    ]


def _name_of(recommendation: Recommendation) -> str:
    person = recommendation.person
    profile = getattr(person, "profile", None)
    # As accounts' rule for a public profile: chosen public, and the account still active.
    if profile is not None and profile.is_public and person.is_active and profile.display_name:
        return profile.display_name
    return UNNAMED


def resource_for(viewer: Viewer, pk: int) -> Resource | None:
    return resources_for(viewer).filter(pk=pk).first()


def uses_of(resource: Resource) -> QuerySet[Use]:
    return resource.uses.order_by("created_at", "pk")


def used_by_of(resources: Sequence[Resource], viewer: Viewer) -> dict[int, list[UsedByLink]]:
    """What used each of these resources, as the viewer may see it: one query for the uses, then
    one per kind of user (used_by.links_for), however many resources there are."""
    uses = list(
        Use.objects.filter(resource_id__in=[r.pk for r in resources]).order_by("created_at", "pk")
    )
    resource_of = {use.pk: use.resource_id for use in uses}
    found: dict[int, list[UsedByLink]] = {}
    for link in links_for(uses, viewer):
        if link.use_id is not None:
            found.setdefault(resource_of[link.use_id], []).append(link)
    return found


def resources_used_by(viewer: Viewer, key: str) -> list[Resource]:
    """The resources the viewer may see that the thing `key` names used ("partnership:12"),
    for that thing's page: one query."""
    return list(visible_resources(viewer).filter(uses__key=key).order_by("title", "pk").distinct())


def tag_counts(viewer: Viewer, *, limit: int = 40) -> list[tuple[str, int]]:
    """The most used tags among what the viewer may see, with how many resources carry each."""
    rows = (
        Tag.objects.filter(
            recommendations__in=visible_recommendations(viewer).filter(
                resource__in=visible_resources(viewer)
            )
        )
        .annotate(resources=Count("recommendations__resource", distinct=True))
        .order_by("-resources", "name")
        .values_list("name", "resources")[:limit]
    )
    return list(rows)


def public_resources_for_feed(tag: str, *, limit: int = 50) -> list[Resource]:
    """A tag feed is the same for everyone: public resources with the tag on a public
    recommendation, with public recommendations only."""
    return list(resources_for(None, tag=tag)[:limit])


def resource_figures() -> list[Figure]:
    return [
        Figure(label="Resources", value=Resource.objects.public().count()),
        Figure(
            label="Resource tags",
            value=Tag.objects.filter(
                recommendations__is_private=False, recommendations__resource__is_public=True
            )
            .distinct()
            .count(),
        ),
    ]
