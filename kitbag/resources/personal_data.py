"""What the resource library holds about a person: their recommendations, private ones included,
in their data download; erasing their account takes each back (a resource nobody else
recommends leaves the library, and one only they made public becomes private to others)."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import User
from kitbag.resources.models import Recommendation


def collect(user: User) -> dict[str, Any]:
    return {
        "recommendations": [
            {
                "url": r.resource.url,
                "title": r.resource.title,
                "why": r.why,
                "private": r.is_private,
                "tags": sorted(tag.name for tag in r.tags.all()),
                "saved_at": r.saved_at.isoformat() if r.saved_at else None,
            }
            for r in Recommendation.objects.filter(person=user)
            .select_related("resource")
            .prefetch_related("tags")
            .order_by("created_at", "pk")
        ]
    }


def erase(user: User) -> None:
    from kitbag.resources.services import forget_recommendation

    for recommendation in Recommendation.objects.filter(person=user).select_related("resource"):
        forget_recommendation(person=user, resource=recommendation.resource)
