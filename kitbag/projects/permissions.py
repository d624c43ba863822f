"""Who may see and change projects, ask and answer about them, and decide suggested duplicates.

Visibility uses the partnership work's vocabulary (performance.models.Visibility):

=====================  ====================  ================================================
object                 action                allowed
=====================  ====================  ================================================
Project                view                  public: anyone. partners: members of the owner
                                             organisation, of a partner organisation, of a
                                             current member of its partnership; the
                                             partnership's coordinator and councillors.
                                             organisation: members of the owner organisation
Project                edit                  members of the owner organisation (an active
                                             membership: verified by address or invitation)
Project                override_rag          the same
Project                ask_question          the partnership's current councillors, when they
                                             may see the project
Project                answer_question       members of the owner organisation
Partnership            oversee               its coordinator and current councillors
Partnership            name_councillors      its coordinator, and staff
DuplicateSuggestion    decide                the coordinators of either project's partnership;
                                             where neither has one, members of either owner
                                             organisation; and whoever may edit both projects
DuplicateSuggestion    combine               whoever may edit both projects (a member of both
                                             owner organisations): merging moves one's records
                                             into the other
(no object)            create_project        anyone with an active membership
=====================  ====================  ================================================

``visible_projects(viewer)`` returns exactly the projects ``can(viewer, "view", project)``
allows, and ``decidable_suggestions(viewer)`` exactly the suggestions ``can(viewer, "decide",
suggestion)`` allows, each as one query's filter (tests/test_permissions.py checks both against
one table).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.models import Membership
from kitbag.accounts.permissions import Actor, Viewer, register_rules
from kitbag.performance.models import Partnership, PartnershipMember, Visibility
from kitbag.projects.models import Councillor, DuplicateSuggestion, Project


def _organisation_ids(actor: Actor) -> set[int]:
    return set(actor.load_roles())


def _member_of_owner(actor: Actor, project: Project) -> bool:
    return actor.role_in(project.owner_organisation_id) is not None


def _partner_organisation_ids(project: Project) -> set[int]:
    ids = {project.owner_organisation_id}
    ids |= {organisation.pk for organisation in project.partner_organisations.all()}
    if project.partnership_id is not None:
        ids |= set(
            PartnershipMember.objects.filter(
                partnership_id=project.partnership_id, left_on__isnull=True
            ).values_list("organisation_id", flat=True)
        )
    return ids


def _is_councillor(actor: Actor, partnership_id: int | None) -> bool:
    return (
        actor.user is not None
        and partnership_id is not None
        and Councillor.objects.filter(
            partnership_id=partnership_id, user=actor.user, ended_at__isnull=True
        ).exists()
    )


def _is_coordinator(actor: Actor, partnership: Partnership | None) -> bool:
    return (
        actor.user is not None
        and partnership is not None
        and actor.is_user(partnership.coordinator_id)
    )


def _may_view(actor: Actor, project: Project) -> bool:
    if project.visibility == Visibility.PUBLIC:
        return True
    if actor.user is None:
        return False
    if _member_of_owner(actor, project):
        return True
    if project.visibility == Visibility.ORGANISATION:
        return False
    return (
        bool(_organisation_ids(actor) & _partner_organisation_ids(project))
        or _is_coordinator(actor, project.partnership)
        or _is_councillor(actor, project.partnership_id)
    )


def _may_edit(actor: Actor, project: Project) -> bool:
    return _member_of_owner(actor, project)


def _may_ask(actor: Actor, project: Project) -> bool:
    return _is_councillor(actor, project.partnership_id) and _may_view(actor, project)


def _may_oversee(actor: Actor, partnership: Partnership) -> bool:
    return _is_coordinator(actor, partnership) or _is_councillor(actor, partnership.pk)


def _may_combine(actor: Actor, suggestion: DuplicateSuggestion) -> bool:
    return _may_edit(actor, suggestion.first) and _may_edit(actor, suggestion.second)


def _may_decide(actor: Actor, suggestion: DuplicateSuggestion) -> bool:
    if actor.user is None:
        return False
    if _may_combine(actor, suggestion):
        return True
    projects = (suggestion.first, suggestion.second)
    partnerships = [p.partnership for p in projects if p.partnership_id is not None]
    if partnerships:
        return any(_is_coordinator(actor, partnership) for partnership in partnerships)
    return any(_member_of_owner(actor, p) for p in projects)


def _may_name_councillors(actor: Actor, partnership: Partnership) -> bool:
    return _is_coordinator(actor, partnership) or (
        actor.user is not None and bool(actor.user.is_staff)
    )


def _has_membership(actor: Actor, obj: Any) -> bool:
    return bool(actor.load_roles())


register_rules(
    {
        (Project, "view"): _may_view,
        (Project, "edit"): _may_edit,
        (Project, "override_rag"): _may_edit,
        (Project, "ask_question"): _may_ask,
        (Project, "answer_question"): _may_edit,
        (Partnership, "oversee"): _may_oversee,
        (Partnership, "name_councillors"): _may_name_councillors,
        (DuplicateSuggestion, "decide"): _may_decide,
        (DuplicateSuggestion, "combine"): _may_combine,
        (None, "create_project"): _has_membership,
    }
)


def visible_projects(viewer: Viewer) -> QuerySet[Project]:
    """The projects the viewer may see, as one query's filter (no row they may not see is read)."""
    actor = Actor.of(viewer)
    public = Q(visibility=Visibility.PUBLIC)
    if actor.user is None:
        return Project.objects.filter(public)
    mine = Membership.objects.active().filter(user=actor.user).organisation_ids()
    partnerships_in = PartnershipMember.objects.filter(
        organisation_id__in=mine, left_on__isnull=True
    ).values("partnership_id")
    as_councillor = Councillor.objects.filter(user=actor.user, ended_at__isnull=True).values(
        "partnership_id"
    )
    partners = (
        Q(owner_organisation_id__in=mine)
        | Q(partner_organisations__in=mine)
        | Q(partnership_id__in=partnerships_in)
        | Q(partnership__coordinator=actor.user)
        | Q(partnership_id__in=as_councillor)
    )
    allowed = (
        public
        | Q(owner_organisation_id__in=mine)
        | (
            Q(visibility=Visibility.PARTNERS)
            & Q(pk__in=Project.objects.filter(partners).values("pk"))
        )
    )
    return Project.objects.filter(allowed)


def decidable_suggestions(viewer: Viewer) -> QuerySet[DuplicateSuggestion]:
    """The suggestions the viewer may decide, as one query's filter: the queue asks this once
    rather than ``can()`` per suggestion."""
    actor = Actor.of(viewer)
    if actor.user is None:
        return DuplicateSuggestion.objects.none()
    mine = Membership.objects.active().filter(user=actor.user).organisation_ids()
    coordinates = Q(first__partnership__coordinator=actor.user) | Q(
        second__partnership__coordinator=actor.user
    )
    owns_one = Q(first__owner_organisation_id__in=mine) | Q(second__owner_organisation_id__in=mine)
    owns_both = _owns_both(mine)
    no_partnership = Q(first__partnership__isnull=True) & Q(second__partnership__isnull=True)
    return DuplicateSuggestion.objects.filter(coordinates | (no_partnership & owns_one) | owns_both)


def _owns_both(mine: Any) -> Q:
    return Q(first__owner_organisation_id__in=mine) & Q(second__owner_organisation_id__in=mine)


def combinable_suggestions(viewer: Viewer) -> QuerySet[DuplicateSuggestion]:
    """The suggestions the viewer may combine (``can(viewer, "combine", suggestion)``: they may
    edit both projects), as one query's filter."""
    actor = Actor.of(viewer)
    if actor.user is None:
        return DuplicateSuggestion.objects.none()
    mine = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return DuplicateSuggestion.objects.filter(_owns_both(mine))
