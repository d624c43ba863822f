"""Who may do what in conversations: rows added to the one permission table.

=============  ==================  ===============================================================
object         action              allowed
=============  ==================  ===============================================================
Conversation   take_part           anyone when it allows anonymous participation, else signed in
Conversation   moderate            editors and admins of the owning organisation, moderators, staff
Statement      view                anyone when approved (or pending in a permissive conversation);
                                   moderators of the conversation always
=============  ==================  ===============================================================
Every channel (pages, API, exports) goes through these rules or `queries.visible_statements`.
"""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.permissions import Actor, any_of, moderators, register_rules, role_of, staff
from kitbag.conversations.models import Conversation, Moderation, Statement, StatementState


def _take_part(actor: Actor, obj: Any) -> bool:
    return bool(obj.allow_anonymous) or actor.is_signed_in


_organisers = any_of(
    role_of(MembershipRole.EDITOR, MembershipRole.ADMIN, organisation_id=lambda c: c.owner_id),
    moderators,
    staff,
)


def _view_statement(actor: Actor, obj: Any) -> bool:
    if obj.state == StatementState.APPROVED:
        return True
    if obj.state == StatementState.PENDING and obj.conversation.moderation == Moderation.PERMISSIVE:
        return True
    return _organisers(actor, obj.conversation)


register_rules(
    {
        (Conversation, "take_part"): _take_part,
        (Conversation, "moderate"): _organisers,
        (Statement, "view"): _view_statement,
    }
)
