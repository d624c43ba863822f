"""Conversations as followable things (kitbag/core/happenings.py); every conversation is public."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kitbag.conversations.models import Conversation
from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)


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


def announce_conversation(conversation: Conversation) -> None:
    """A new conversation, to followers of its organisation and of its consultation (once that is
    public: a draft's followers are its own members, and the title would name it)."""
    keys = [key_of("conversation", conversation.pk)]
    if conversation.owner_id is not None:
        keys.append(key_of("organisation", conversation.owner_id))
    consultation = conversation.consultation
    if consultation is not None and not consultation.is_draft:
        keys.append(key_of("consultation", consultation.pk))
    owner = conversation.owner
    publish_happening(
        Happening(
            kind="conversation-opened",
            title=_("%(owner)s opened a conversation: %(title)s")
            % {"owner": owner.name if owner else _("Someone"), "title": conversation.title},
            summary=conversation.question,
            url=conversation.get_absolute_url(),
            happened_at=conversation.created_at,
            concerns=keys,
        )
    )
