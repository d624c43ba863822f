"""What a person looks like to the search index: only a public profile is ever written there.

Facet names are the filters of the people page and the API: service (LGSL code), tag (a free
tag), offer (an Offer value) and organisation (slug, only while the person's membership of it is
active). A profile that is not public has no document at all (services.reindex_person removes it),
so no search, whoever runs it, can find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from kitbag.accounts.models import Profile
from kitbag.network.models import HelpOffer

DOC_TYPE = "person"
FACETS = ("service", "tag", "offer", "organisation")


@dataclass(frozen=True)
class PersonDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True


def shown_name(profile: Profile) -> str:
    return profile.display_name or _("Kitbag member")


def document_for(
    profile: Profile,
    *,
    help_offer: HelpOffer | None,
    shown_organisation_slug: str,
    shown_organisation_name: str,
) -> PersonDocument:
    services = list(help_offer.services.all()) if help_offer else []
    tags = help_offer.tag_names if help_offer else []
    offers = list(help_offer.offers) if help_offer else []
    labels = help_offer.offer_labels() if help_offer else []
    return PersonDocument(
        title=shown_name(profile),
        body="\n\n".join(part for part in (profile.job_title, profile.help_with) if part),
        extra=" ".join(
            [shown_organisation_name, *(s.label for s in services), *tags, *labels]
        ).strip(),
        facets={
            "service": [service.code for service in services],
            "tag": tags,
            "offer": offers,
            "organisation": [shown_organisation_slug] if shown_organisation_slug else [],
        },
        sort_date=profile.updated_at.date() if profile.updated_at else None,
        is_public=True,
    )


def person_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of people whose documents were written without one."""
    return {
        object_id: reverse("network:person_detail", kwargs={"pk": int(object_id)})
        for object_id in object_ids
        if object_id.isdigit()
    }
