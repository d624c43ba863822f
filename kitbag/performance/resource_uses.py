"""Partnerships as users of the resource library's links ("partnership:<id>";
kitbag/resources/used_by.py): shown only to whoever may see the partnership, so a partners-only
partnership's use never appears to anyone else, and recorded by whoever may edit it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from kitbag.performance.models import Partnership
from kitbag.performance.permissions import editable_partnerships, visible_partnerships
from kitbag.resources.used_by import register_model_use_kind


def partnership_url(partnership: Partnership) -> str:
    return reverse("performance:partnership_detail", kwargs={"slug": partnership.slug})


def register() -> None:
    register_model_use_kind(
        "partnership",
        visible=lambda viewer: visible_partnerships(viewer).only("pk", "name", "slug"),
        may_record=lambda viewer, own_only: editable_partnerships(viewer, own_only=own_only),
        label_field="name",
        url=partnership_url,
        choices_ordered_by="name",
        label=gettext_lazy("Partnership"),
        page="partnership",
    )
