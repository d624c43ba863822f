"""What a conversation looks like to the search index, for the site-wide search.

Every conversation is public (there are no drafts): its title, its opening question and the
statements anyone may see (`queries.visible_statements`). A statement a moderator hides, or one
waiting for approval in a strict conversation, is not in it: `services.reindex` writes the
document again whenever a statement is added or moderated, so a hidden statement's words stop
finding the conversation at once. Votes and participants are never indexed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kitbag.conversations.models import Conversation
from kitbag.conversations.queries import visible_statements

DOC_TYPE = "conversation"


@dataclass(frozen=True)
class ConversationDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True
    url: str = ""


def document_for(conversation: Conversation) -> ConversationDocument:
    statements = visible_statements(conversation).order_by("number").values_list("text", flat=True)
    owner = conversation.owner
    return ConversationDocument(
        title=conversation.title,
        body="\n\n".join(part for part in (conversation.question, *statements) if part),
        extra=owner.name if owner is not None else "",
        facets={"organisation": [owner.slug] if owner is not None else []},
        sort_date=conversation.created_at.date() if conversation.created_at else None,
        url=conversation.get_absolute_url(),
    )
