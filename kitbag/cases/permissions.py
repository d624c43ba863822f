"""Who may see and change cases, adoptions and relations: rows added to the one permission table.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Case                     view, view_history      anyone when published, needs update or
                                                 archived; otherwise its owner, members of its
                                                 lead organisation (any role), moderators, staff
Case                     edit, submit_for_review its owner, members of its lead organisation
Case                     confirm                 (any role), moderators, staff (all four)
Case                     flag_needs_update
Case                     publish, archive        editors and admins of its lead organisation,
Case                     return_to_draft         moderators, staff (all three)
Case                     transfer_ownership      its owner, editors and admins of its lead
                                                 organisation, staff
Case                     record_adoption         any verified member of some organisation, when
                                                 the case is public (the organisation adopting
                                                 is checked with Organisation/adopt_case)
Case                     relate                  whoever may edit the case the relation starts
                                                 from, when the other case is public or theirs
Organisation             lead_case               its members (any role), staff
Organisation             adopt_case              its members (any role), staff
Adoption                 change, delete          whoever recorded it, members of the adopting
                                                 organisation, moderators, staff
CaseRelation             delete                  whoever recorded it, whoever may edit either
                                                 case, moderators, staff
(no object)              create_case             signed in
=======================  ======================  ==============================================

`visible_cases(viewer)` returns exactly the cases `can(viewer, "view", case)` allows, for lists,
search, downloads, feeds and the API, so a draft never leaks through any of them;
`publishable_cases(viewer)` exactly those `can(viewer, "publish", case)` allows, for the list of
cases waiting for review and its counts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    moderators,
    owner,
    register_rules,
    role_of,
    signed_in,
    staff,
    when,
)
from kitbag.cases.models import PUBLIC_STATUSES, Adoption, Case, CaseQuerySet, CaseRelation
from kitbag.registry.models import Organisation

MEMBER = MembershipRole.MEMBER
EDITOR = MembershipRole.EDITOR
ADMIN = MembershipRole.ADMIN
ANY_ROLE = (MEMBER, EDITOR, ADMIN)


def _lead(case: Case) -> int | None:
    return case.lead_organisation_id


def _case_owner(case: Case) -> int | None:
    return case.owner_id


def _is_public(case: Case) -> bool:
    return case.status in PUBLIC_STATUSES


def _itself(organisation: Organisation) -> int | None:
    return organisation.pk


def _is_verified_member_somewhere(actor: Actor, obj: Any) -> bool:
    if actor.user is None:
        return False
    return Membership.objects.active().filter(user=actor.user).exists()


_edit_case = any_of(
    owner(_case_owner), role_of(*ANY_ROLE, organisation_id=_lead), moderators, staff
)
_publish_case = any_of(role_of(EDITOR, ADMIN, organisation_id=_lead), moderators, staff)


def _may_edit_either(actor: Actor, relation: CaseRelation) -> bool:
    return _edit_case(actor, relation.from_case) or _edit_case(actor, relation.to_case)


CASE_RULES = {
    (Case, "view"): any_of(when(_is_public, lambda actor, obj: True), _edit_case),
    (Case, "view_history"): any_of(when(_is_public, lambda actor, obj: True), _edit_case),
    (Case, "edit"): _edit_case,
    (Case, "submit_for_review"): _edit_case,
    (Case, "confirm"): _edit_case,
    (Case, "flag_needs_update"): _edit_case,
    (Case, "publish"): _publish_case,
    (Case, "archive"): _publish_case,
    (Case, "return_to_draft"): _publish_case,
    (Case, "transfer_ownership"): any_of(
        owner(_case_owner), role_of(EDITOR, ADMIN, organisation_id=_lead), staff
    ),
    (Case, "record_adoption"): when(_is_public, _is_verified_member_somewhere),
    (Case, "relate"): _edit_case,
    (Organisation, "lead_case"): any_of(role_of(*ANY_ROLE, organisation_id=_itself), staff),
    (Organisation, "adopt_case"): any_of(role_of(*ANY_ROLE, organisation_id=_itself), staff),
    (Adoption, "change"): any_of(
        owner(lambda adoption: adoption.recorded_by_id),
        role_of(*ANY_ROLE, organisation_id=lambda adoption: adoption.adopter_id),
        moderators,
        staff,
    ),
    (Adoption, "delete"): any_of(
        owner(lambda adoption: adoption.recorded_by_id),
        role_of(*ANY_ROLE, organisation_id=lambda adoption: adoption.adopter_id),
        moderators,
        staff,
    ),
    (CaseRelation, "delete"): any_of(
        owner(lambda relation: relation.recorded_by_id), _may_edit_either, moderators, staff
    ),
    (None, "create_case"): signed_in,
}
register_rules(CASE_RULES)


def visible_cases(viewer: Viewer) -> CaseQuerySet:
    """Every case the viewer may see: the public ones, and drafts they may edit."""
    actor = Actor.of(viewer)
    cases = Case.objects.all()
    if actor.is_staff or actor.is_moderator:
        return cases
    public = Q(status__in=PUBLIC_STATUSES)
    if actor.user is None:
        return cases.filter(public)
    their_organisations = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return cases.filter(
        public | Q(owner=actor.user) | Q(lead_organisation_id__in=their_organisations)
    )


def editable_cases(viewer: Viewer, *, own_only: bool = False) -> CaseQuerySet:
    """Every case the viewer may edit: the edit rule above (`_edit_case`) as a queryset. With
    `own_only`, moderators and staff get only the cases they own or their organisations lead (a
    list to choose from, not every case there is)."""
    actor = Actor.of(viewer)
    cases = Case.objects.all()
    if actor.user is None:
        return cases.none()
    if (actor.is_staff or actor.is_moderator) and not own_only:
        return cases
    their_organisations = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return cases.filter(Q(owner=actor.user) | Q(lead_organisation_id__in=their_organisations))


def publishable_cases(viewer: Viewer) -> CaseQuerySet:
    """Every case the viewer may publish: the publish rule above (`_publish_case`) as a queryset.

    Editors and admins of the lead organisation, moderators and staff; the permission matrix
    checks that it agrees with `can(viewer, "publish", case)` for every role and status.
    """
    actor = Actor.of(viewer)
    cases = Case.objects.all()
    if actor.is_staff or actor.is_moderator:
        return cases
    if actor.user is None:
        return cases.none()
    publishing_for = (
        Membership.objects.active()
        .filter(user=actor.user, role__in=(EDITOR, ADMIN))
        .organisation_ids()
    )
    return cases.filter(lead_organisation_id__in=publishing_for)


def organisations_viewer_may_act_for(viewer: Viewer) -> QuerySet[Organisation]:
    """Organisations the viewer may lead a case for or record an adoption for."""
    actor = Actor.of(viewer)
    if actor.user is None:
        return Organisation.objects.none()
    if actor.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=actor.user).organisation_ids()
    )
