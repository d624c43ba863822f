"""Conversations as followable things (kitbag/core/happenings.py); every conversation is public."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.translation import gettext_lazy

from kitbag.conversations.models import Conversation
from kitbag.core.happenings import Followable, register_followable


def _describe(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): (title, reverse("conversations:detail", args=[slug]))
        for pk, title, slug in Conversation.objects.filter(pk__in=wanted).values_list(
            "pk", "title", "slug"
        )
    }


def register() -> None:
    register_followable(
        Followable(kind="conversation", label=gettext_lazy("Conversation"), describe=_describe)
    )
