"""Who may see what in the resource library: rows added to the one permission table.

==============  ==================  ============================================================
object          action              allowed
==============  ==================  ============================================================
Resource        view                anyone when it is public (a public recommendation exists);
                                    otherwise only the people who bookmarked it (not staff:
                                    a private bookmark is its owner's alone)
Recommendation  view                anyone when it is not private; its owner always
(no object)     recommend_resource  signed in (the add form and the bookmark upload)
Use             remove              whoever recorded it, whoever may edit the thing that used
                                    it (used_by.py: each kind's owner says who), moderators,
                                    staff
==============  ==================  ============================================================
Every channel (pages, tag feeds, the API, search) lists through `visible_resources` and
`visible_recommendations` below, or indexes public resources only (search_documents.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    moderators,
    owner,
    register_rules,
    signed_in,
    staff,
)
from kitbag.resources.models import Recommendation, Resource, Use


def _view_resource(actor: Actor, obj: Any) -> bool:
    if obj.is_public:
        return True
    return actor.user is not None and obj.recommendations.filter(person=actor.user).exists()


def _may_edit_the_user(actor: Actor, use: Use) -> bool:
    from kitbag.resources.used_by import may_record

    return actor.user is not None and may_record(actor.user, use.key)


def _view_recommendation(actor: Actor, obj: Any) -> bool:
    return not obj.is_private or actor.is_user(obj.person_id)


register_rules(
    {
        (Resource, "view"): _view_resource,
        (Recommendation, "view"): _view_recommendation,
        (None, "recommend_resource"): signed_in,
        (Use, "remove"): any_of(
            owner(lambda use: use.added_by_id), _may_edit_the_user, moderators, staff
        ),
    }
)


def visible_resources(viewer: Viewer) -> QuerySet[Resource]:
    """Resources the viewer may see: public ones, and those they bookmarked privately."""
    actor = Actor.of(viewer)
    resources = Resource.objects.all()
    if actor.user is None:
        return resources.filter(is_public=True)
    return resources.filter(
        Q(is_public=True)
        | Q(pk__in=Recommendation.objects.filter(person=actor.user).values("resource_id"))
    )


def visible_recommendations(viewer: Viewer) -> QuerySet[Recommendation]:
    actor = Actor.of(viewer)
    recommendations = Recommendation.objects.all()
    if actor.user is None:
        return recommendations.filter(is_private=False)
    return recommendations.filter(Q(is_private=False) | Q(person=actor.user))
