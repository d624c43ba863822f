"""Who may find, read and write to people: rows added to the one permission table.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Profile                  ask_for_help            signed in, not its owner, while the profile is
                                                 public and its owner accepts messages
Profile                  ask_for_mentoring       the same, while its owner also offers mentoring
Message                  view                    its sender and its recipient
Message                  reply                   the same, while both accounts exist
Message                  report                  its recipient
MentoringRequest         view                    its mentee and its mentor
MentoringRequest         decide                  its mentor, while it waits for an answer
MentoringRequest         withdraw                its mentee, while it waits for an answer
MessageReport            resolve                 moderators, staff
(no object)              moderate_messages       moderators, staff (the reports queue)
=======================  ======================  ==============================================

Seeing a profile is accounts' rule (`Profile`, `view`): public, or its owner, or staff. Whether a
person is shown anywhere outside their own account (page, search, API, another app's list) is
`is_public_person` / `public_people` in queries.py, the same for every viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kitbag.accounts.models import Profile
from kitbag.accounts.permissions import (
    Actor,
    Rule,
    any_of,
    moderators,
    owner,
    register_rules,
    staff,
    when,
)
from kitbag.network.models import (
    HelpOffer,
    MentoringRequest,
    MentoringState,
    Message,
    MessageReport,
)


def _help_offer_of(profile: Profile) -> HelpOffer | None:
    try:
        return profile.user.help_offer
    except HelpOffer.DoesNotExist:
        return None


def _askable(profile: Profile) -> bool:
    offer = _help_offer_of(profile)
    return (
        profile.is_public
        and profile.user.is_active
        and offer is not None
        and offer.accepts_messages
    )


def _mentorable(profile: Profile) -> bool:
    offer = _help_offer_of(profile)
    return _askable(profile) and offer is not None and offer.offers_mentoring


def _someone_else_when(condition: Callable[[Profile], bool]) -> Rule:
    """Signed-in people other than the profile's owner, for profiles meeting `condition`."""

    def rule(actor: Actor, profile: Profile) -> bool:
        return actor.is_signed_in and not actor.is_user(profile.user_id) and condition(profile)

    return rule


def _sender(message: Message) -> int | None:
    return message.sender_id


def _recipient(message: Message) -> int | None:
    return message.recipient_id


def _both_exist(message: Message) -> bool:
    return message.sender_id is not None and message.recipient_id is not None


def _pending(request: MentoringRequest) -> bool:
    return request.state == MentoringState.PENDING


def _mentee(request: MentoringRequest) -> int | None:
    return request.mentee_id


def _mentor(request: MentoringRequest) -> int | None:
    return request.mentor_id


NETWORK_RULES: dict[tuple[type[Any] | None, str], Any] = {
    (Profile, "ask_for_help"): _someone_else_when(_askable),
    (Profile, "ask_for_mentoring"): _someone_else_when(_mentorable),
    (Message, "view"): any_of(owner(_sender), owner(_recipient)),
    (Message, "reply"): when(_both_exist, any_of(owner(_sender), owner(_recipient))),
    (Message, "report"): owner(_recipient),
    (MentoringRequest, "view"): any_of(owner(_mentee), owner(_mentor)),
    (MentoringRequest, "decide"): when(_pending, owner(_mentor)),
    (MentoringRequest, "withdraw"): when(_pending, owner(_mentee)),
    (MessageReport, "resolve"): any_of(moderators, staff),
    (None, "moderate_messages"): any_of(moderators, staff),
}
register_rules(NETWORK_RULES)
