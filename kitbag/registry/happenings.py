"""Organisations as followable things (kitbag/core/happenings.py); every one is public."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy

from kitbag.core.happenings import Followable, register_followable
from kitbag.registry.models import Organisation


def _describe(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(organisation.pk): (organisation.name, organisation.get_absolute_url())
        for organisation in Organisation.objects.filter(pk__in=wanted)
    }


def register() -> None:
    register_followable(
        Followable(kind="organisation", label=gettext_lazy("Organisation"), describe=_describe)
    )
