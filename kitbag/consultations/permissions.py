"""Who may see and change consultations and comments: rows added to the one permission table.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Organisation             create_consultation     editors and admins of the organisation, staff
Consultation             view                    anyone unless a draft; a draft to members of
                                                 its organisation (any role), moderators, staff
Consultation             edit                    editors and admins of its organisation, staff
Consultation             publish                 the same
Consultation             close                   the same
Consultation             revise                  the same
Consultation             respond                 the same
Consultation             comment                 signed in, while it is open
Consultation             answer                  verified members of its organisation (any
                                                 role: they answer as the organisation), while
                                                 it is not a draft
Consultation             view_queue              members of its organisation (any role), staff
Comment                  view                    anyone when shown (and its consultation is not
                                                 a draft); its author while it waits for a
                                                 moderator; moderators and staff
Comment                  reply                   signed in, while the consultation is open, the
                                                 comment is shown and the thread is not at its
                                                 deepest
Comment                  flag                    signed in, when shown
Comment                  moderate                moderators, staff
Consultation             manage_elsewhere        verified members of its organisation (any
                                                 role), moderators, staff: sources and answers
ElsewherePost            view                    anyone when shown (and its consultation is not
                                                 a draft); moderators, staff
ElsewherePost            record_answer           verified members of the organisation
ElsewherePost            moderate                moderators, staff
(no object)              moderate_consultations  moderators, staff
=======================  ======================  ==============================================

Hidden text never leaves the moderators' queue: pages, feeds, exports, search and the API list
comments through `shown_comments`, whoever asks (test_permission_matrix.py walks every channel).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    anyone,
    moderators,
    owner,
    register_rules,
    role_of,
    signed_in,
    staff,
    when,
)
from kitbag.consultations.models import (
    MAX_DEPTH,
    Comment,
    CommentState,
    Consultation,
    ConsultationStatus,
    ElsewherePost,
)
from kitbag.registry.models import Organisation

MEMBER = MembershipRole.MEMBER
EDITOR = MembershipRole.EDITOR
ADMIN = MembershipRole.ADMIN


def _itself(organisation: Organisation) -> int | None:
    return organisation.pk


def _owner_of(consultation: Consultation) -> int | None:
    return consultation.organisation_id


def _comment_owner(comment: Comment) -> int | None:
    return comment.consultation.organisation_id


def _author(comment: Comment) -> int | None:
    return comment.author_id


def _not_draft(consultation: Consultation) -> bool:
    return consultation.status != ConsultationStatus.DRAFT


def _is_open(consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.OPEN


def _shown(comment: Comment) -> bool:
    return comment.state == CommentState.VISIBLE and _not_draft(comment.consultation)


def _pending(comment: Comment) -> bool:
    return comment.state == CommentState.PENDING


def _may_reply_to(comment: Comment) -> bool:
    return _shown(comment) and _is_open(comment.consultation) and comment.depth < MAX_DEPTH


def _post_shown(post: ElsewherePost) -> bool:
    return post.state == CommentState.VISIBLE and _not_draft(post.consultation)


def _post_owner(post: ElsewherePost) -> int | None:
    return post.consultation.organisation_id


EDITORS_OF = any_of(role_of(EDITOR, ADMIN, organisation_id=_owner_of), staff)

CONSULTATION_RULES: dict[tuple[type[Any] | None, str], Any] = {
    (Organisation, "create_consultation"): any_of(
        role_of(EDITOR, ADMIN, organisation_id=_itself), staff
    ),
    (Consultation, "view"): any_of(
        when(_not_draft, anyone),
        role_of(MEMBER, EDITOR, ADMIN, organisation_id=_owner_of),
        moderators,
        staff,
    ),
    (Consultation, "edit"): EDITORS_OF,
    (Consultation, "publish"): EDITORS_OF,
    (Consultation, "close"): EDITORS_OF,
    (Consultation, "revise"): EDITORS_OF,
    (Consultation, "respond"): EDITORS_OF,
    (Consultation, "comment"): when(_is_open, signed_in),
    (Consultation, "answer"): when(
        _not_draft, role_of(MEMBER, EDITOR, ADMIN, organisation_id=_owner_of)
    ),
    (Consultation, "view_queue"): any_of(
        role_of(MEMBER, EDITOR, ADMIN, organisation_id=_owner_of), staff
    ),
    (Comment, "view"): any_of(
        when(_shown, anyone), when(_pending, owner(_author)), moderators, staff
    ),
    (Comment, "reply"): when(_may_reply_to, signed_in),
    (Comment, "flag"): when(_shown, signed_in),
    (Comment, "moderate"): any_of(moderators, staff),
    (None, "moderate_consultations"): any_of(moderators, staff),
    (Consultation, "manage_elsewhere"): any_of(
        role_of(MEMBER, EDITOR, ADMIN, organisation_id=_owner_of), moderators, staff
    ),
    (ElsewherePost, "view"): any_of(when(_post_shown, anyone), moderators, staff),
    (ElsewherePost, "record_answer"): role_of(MEMBER, EDITOR, ADMIN, organisation_id=_post_owner),
    (ElsewherePost, "moderate"): any_of(moderators, staff),
}
register_rules(CONSULTATION_RULES)


def visible_consultations(viewer: Viewer) -> QuerySet[Consultation]:
    """Every consultation the viewer may see: all but drafts, and drafts of their organisations."""
    actor = Actor.of(viewer)
    consultations = Consultation.objects.all()
    if actor.is_staff or actor.is_moderator:
        return consultations
    public = ~Q(status=ConsultationStatus.DRAFT)
    if actor.user is None:
        return consultations.filter(public)
    theirs = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return consultations.filter(public | Q(organisation_id__in=theirs))


def editable_consultations(viewer: Viewer, *, own_only: bool = False) -> QuerySet[Consultation]:
    """Every consultation the viewer may edit (`EDITORS_OF`: editors and admins of its
    organisation, staff). With `own_only`, staff get only their organisations' ones."""
    actor = Actor.of(viewer)
    consultations = Consultation.objects.all()
    if actor.user is None:
        return consultations.none()
    if actor.is_staff and not own_only:
        return consultations
    editing_for = (
        Membership.objects.active()
        .filter(user=actor.user, role__in=(EDITOR, ADMIN))
        .organisation_ids()
    )
    return consultations.filter(organisation_id__in=editing_for)


def public_consultations() -> QuerySet[Consultation]:
    """What every channel that is the same for everyone (feeds, search, exports) may show."""
    return Consultation.objects.public()


def shown_comments(consultation: Consultation | None = None) -> QuerySet[Comment]:
    """Comments anyone may read: shown, on a consultation that is not a draft."""
    comments = Comment.objects.shown().exclude(consultation__status=ConsultationStatus.DRAFT)
    return comments if consultation is None else comments.filter(consultation=consultation)


def shown_posts(consultation: Consultation) -> QuerySet[ElsewherePost]:
    """Posts elsewhere anyone may read: shown, about a consultation that is not a draft."""
    if consultation.status == ConsultationStatus.DRAFT:
        return ElsewherePost.objects.none()
    return consultation.elsewhere_posts.filter(state=CommentState.VISIBLE)
