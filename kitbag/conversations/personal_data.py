"""What conversations hold about a person, for their personal data download.

Votes made without signing in are tied to a random cookie id, not to a person, so only the
participations of a signed-in account are listed. Deleting an account keeps its votes in the
conversation (the opinion groups depend on them) but unlinks them from the person
(`Participant.user` is set to null).
"""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import User
from kitbag.conversations.models import Conversation, Participant, Statement, Vote

VOTE_WORDS = {Vote.AGREE: "agree", Vote.DISAGREE: "disagree", Vote.PASS: "pass"}


def collect(user: User) -> dict[str, Any]:
    participations = Participant.objects.filter(user=user).select_related("conversation")
    return {
        "conversations_you_took_part_in": [
            {
                "conversation": p.conversation.title,
                "votes": [
                    {
                        "statement": vote.statement.text,
                        "vote": VOTE_WORDS[vote.value],
                        "cast_at": vote.cast_at.isoformat(),
                    }
                    for vote in p.votes.select_related("statement").order_by("cast_at")
                ],
                "statements_you_wrote": [
                    {"text": s.text, "state": s.state}
                    for s in Statement.objects.filter(author=p).order_by("number")
                ],
            }
            for p in participations
        ],
        # Started as an organiser: the conversation is its organisation's and stays when the
        # account goes (created_by is then set to null).
        "conversations_you_started": [
            {"conversation": c.title, "organisation": c.owner.name if c.owner else ""}
            for c in Conversation.objects.filter(created_by=user).select_related("owner")
        ],
    }
