"""What consultations announce (kitbag/core/happenings.py), and consultations as followable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kitbag.accounts.permissions import Viewer
from kitbag.consultations.models import Consultation
from kitbag.consultations.permissions import visible_consultations
from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)


def announce_response(consultation: Consultation) -> None:
    publish_happening(
        Happening(
            kind="consultation-response",
            title=_("%(organisation)s responded to its consultation: %(title)s")
            % {"organisation": consultation.organisation.name, "title": consultation.title},
            url=consultation.get_absolute_url(),
            happened_at=consultation.response_published_at or timezone.now(),
            concerns=[
                key_of("consultation", consultation.pk),
                key_of("organisation", consultation.organisation_id),
            ],
            visible_through=("consultation", consultation.pk),
        )
    )


def _visible(viewer: Viewer) -> QuerySet[Consultation]:
    return visible_consultations(viewer)


def _describe(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): (title, reverse("consultations:consultation_detail", args=[slug]))
        for pk, title, slug in Consultation.objects.filter(pk__in=wanted).values_list(
            "pk", "title", "slug"
        )
    }


def register() -> None:
    register_followable(
        Followable(
            kind="consultation",
            label=gettext_lazy("Consultation"),
            describe=_describe,
            visible=_visible,
        )
    )
