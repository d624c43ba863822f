"""The network's part of a person's data download, and what erasing their account does here.

What they offer goes with the account (it cascades). Messages and mentoring requests they sent or
received are deleted with it: the other person has the email, and a stored copy naming a former
user would keep what they wrote after they asked for it to go. A report about a message goes too
(it cascades), its outcome stays in the moderators' log, which names nobody.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kitbag.accounts.models import Profile, User
from kitbag.network.models import HelpOffer, MentoringRequest, Message, MessageReport
from kitbag.network.search_documents import DOC_TYPE
from kitbag.search.services import remove_document


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def collect(user: User) -> dict[str, Any]:
    offer = HelpOffer.objects.filter(user=user).prefetch_related("services", "free_tags").first()
    messages = Message.objects.filter(Q(sender=user) | Q(recipient=user)).order_by("created_at")
    return {
        "help_offer": (
            {
                "services": [code.code for code in offer.services.all()],
                "tags": offer.tag_names,
                "offers": list(offer.offers),
                "accepts_messages": offer.accepts_messages,
            }
            if offer
            else None
        ),
        "messages": [
            {
                "you": "sent it" if m.sender_id == user.pk else "received it",
                "subject": m.subject,
                "body": m.body,
                "showed_your_address": m.shows_address if m.sender_id == user.pk else None,
                "at": _when(m.created_at),
            }
            for m in messages
        ],
        "messages_you_reported": [
            {"reason": r.reason, "at": _when(r.created_at), "outcome": r.outcome or None}
            for r in MessageReport.objects.filter(reported_by=user)
        ],
        "mentoring": [
            {
                "you_are": "the mentee" if r.mentee_id == user.pk else "the mentor",
                "about": r.about,
                "state": r.state,
                "answer": r.answer,
                "at": _when(r.created_at),
                "decided_at": _when(r.decided_at),
            }
            for r in MentoringRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        ],
    }


def erase(user: User) -> None:
    for profile_id in Profile.objects.filter(user=user).values_list("pk", flat=True):
        remove_document(doc_type=DOC_TYPE, object_id=str(profile_id))
    Message.objects.filter(Q(sender=user) | Q(recipient=user)).delete()
    MentoringRequest.objects.filter(Q(mentee=user) | Q(mentor=user)).delete()
