"""Partnerships as users of the resource library's links ("partnership:<id>";
kitbag/resources/used_by.py): shown only to whoever may see the partnership, so a partners-only
partnership's use never appears to anyone else, and recorded by whoever may edit it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from kitbag.performance.models import Partnership
from kitbag.performance.permissions import editable_partnerships, visible_partnerships
from kitbag.resources.used_by import EDITABLE_SHOWN, UsedByLink, register_use_kind


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit() and len(value) < 19]


def show_partnerships(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    found = visible_partnerships(viewer).filter(pk__in=_ids(ids)).only("pk", "name", "slug")
    return {
        str(p.pk): UsedByLink(
            kind="partnership",
            label=p.name,
            url=reverse("performance:partnership_detail", kwargs={"slug": p.slug}),
        )
        for p in found
    }


def editable(viewer: Any, ids: list[str] | None) -> dict[str, str]:
    found = editable_partnerships(viewer, own_only=ids is None)
    if ids is not None:
        found = found.filter(pk__in=_ids(ids))
    else:
        found = found.order_by("name")[:EDITABLE_SHOWN]
    return {str(pk): name for pk, name in found.values_list("pk", "name")}


def identify(partnership: Partnership) -> str:
    return str(partnership.pk)


def register() -> None:
    register_use_kind(
        "partnership",
        show_partnerships,
        label=gettext_lazy("Partnership"),
        editable=editable,
        page="partnership",
        identify=identify,
    )
