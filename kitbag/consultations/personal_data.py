"""What the consultations part holds about a person: their comments, in their data download;
and what erasing their account does to them: kept, under "a participant", with the name gone."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import User
from kitbag.consultations.models import Comment, Participant

PARTICIPANT = "a participant"


def collect(user: User) -> dict[str, Any]:
    participant = Participant.objects.filter(user=user).first()
    return {
        "display_name": participant.display_name if participant else None,
        "consented_to_publish_at": participant.consented_at.isoformat() if participant else None,
        "comments_you_made": [
            {
                "consultation": comment.consultation.title,
                "version": comment.version.number,
                "paragraph": comment.paragraph_key,
                "quote": comment.quote_exact or None,
                "in_reply_to": comment.parent.key if comment.parent else None,
                "official_response": comment.is_official,
                "shown_as": comment.display_name,
                "text": comment.text,
                "state": comment.state,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("consultation", "version", "parent")
            .order_by("created_at")
        ],
    }


def erase(user: User) -> None:
    """Published comments stay (the debate keeps its shape) under "a participant"; an official
    response stays the organisation's, so it keeps the organisation's name."""
    Comment.objects.filter(author=user, is_official=False).update(
        display_name=PARTICIPANT, author=None
    )
    Comment.objects.filter(author=user, is_official=True).update(author=None)
