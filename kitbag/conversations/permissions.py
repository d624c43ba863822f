"""Who may do what in conversations: rows added to the one permission table.

=============  ===================  ==============================================================
object         action               allowed
=============  ===================  ==============================================================
Organisation   create_conversation  verified members of the organisation (any role), staff
Conversation   organise             verified members of the owning organisation (any role), staff:
                                    settings, seed statements, meta, closing and reopening
Conversation   take_part            while open: anyone when it allows anonymous participation,
                                    else signed in
Conversation   moderate             verified members of the owning organisation, moderators, staff
Statement      view                 anyone when approved (or pending in a permissive conversation);
                                    moderators of the conversation always
=============  ===================  ==============================================================
Every membership is verified (an address at the organisation's domain, an invitation, or staff:
kitbag/accounts), so "verified members" is any active role. An imported conversation has no owner:
only staff organise it. Every channel (pages, API, exports) goes through these rules or
`queries.visible_statements`.
"""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.permissions import Actor, any_of, moderators, register_rules, role_of, staff
from kitbag.conversations.models import Conversation, Moderation, Statement, StatementState
from kitbag.registry.models import Organisation

ANY_ROLE = (MembershipRole.MEMBER, MembershipRole.EDITOR, MembershipRole.ADMIN)


def _take_part(actor: Actor, obj: Any) -> bool:
    if obj.closed_at is not None:
        return False
    return bool(obj.allow_anonymous) or actor.is_signed_in


_members = role_of(*ANY_ROLE, organisation_id=lambda c: c.owner_id)
_organisers = any_of(_members, staff)
_moderators = any_of(_members, moderators, staff)


def _view_statement(actor: Actor, obj: Any) -> bool:
    if obj.state == StatementState.APPROVED:
        return True
    if obj.state == StatementState.PENDING and obj.conversation.moderation == Moderation.PERMISSIVE:
        return True
    return _moderators(actor, obj.conversation)


register_rules(
    {
        (Organisation, "create_conversation"): any_of(
            role_of(*ANY_ROLE, organisation_id=lambda o: o.pk), staff
        ),
        (Conversation, "organise"): _organisers,
        (Conversation, "take_part"): _take_part,
        (Conversation, "moderate"): _moderators,
        (Statement, "view"): _view_statement,
    }
)
