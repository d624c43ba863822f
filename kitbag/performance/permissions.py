"""Who may see and change partnerships, their indicators and figures: rows added to the one
permission table, and the ``visible_*`` querysets every channel lists through.

Roles used here. *Verified member of X*: an active Membership of organisation X (any role).
*Partner of P*: a verified member of an organisation that is a current member of partnership P
(lead, partner or observer); P's coordinator counts as a partner of P. *Lead of P*: a verified
member of a current lead organisation of P.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Partnership              view                    see "Visibility" below; staff
Indicator                view                    imported ones: anyone; partnership-defined:
                                                 see "Visibility"; staff
Observation              view                    see "Visibility"; staff
Partnership              edit                    its coordinator, leads of it, staff
Partnership              manage_members          the same
Partnership              define_indicators       the same (indicators and outcomes)
Partnership              enter_figures           verified members of a current lead or partner
                                                 organisation (not observers)
Observation              approve                 verified members of its owning organisation,
                                                 while it is a draft
Observation              publish                 the same, while it is approved
Observation              edit                    the same, while it is not published
Indicator                set_target              verified members of a partnership indicator's
                                                 owning organisation (imported ones: nobody)
(no object)              create_partnership      anyone with a verified membership
ComparisonGroup          view                    public ones: anyone; private ones: verified
                                                 members of its owning organisation; staff
ComparisonGroup          edit                    verified members of its owning organisation
ComparisonGroup          delete                  the same
(no object)              create_comparison_group anyone with a verified membership
=======================  ======================  ==============================================

Visibility. Each of a partnership, an indicator and a figure is *public*, *partners only* or
*one organisation*, and may have an embargo date. At each level a person passes when it is public
and past its embargo (a figure must also be published), or when it is public or partners-only and
they are a partner of the partnership, or when they are a verified member of that level's one
organisation (the partnership's chosen organisation, the indicator's owner, the figure's owner);
the coordinator always passes the partnership's own level.
A figure is visible only when the person passes all three levels: the narrowest wins, so a
partnership can never show a partner's figure wider than its owner allows. Imported figures of
published sources are public, as the sources are.

``can(user, "view", obj)`` asks the same querysets for the one object, so the pages, the API,
the CSV, the charts, the organisation page and search can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from kitbag.accounts.models import Membership
from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    register_rules,
    staff,
    when,
)
from kitbag.performance.models import (
    ComparisonGroup,
    GroupVisibility,
    Indicator,
    MemberRole,
    Observation,
    Partnership,
    PartnershipMember,
    SignOff,
    Target,
    Visibility,
)

PUBLIC = Visibility.PUBLIC
PARTNERS = Visibility.PARTNERS


@dataclass(frozen=True)
class Audience:
    """Who the person is, as subqueries (nothing is fetched until the list is)."""

    is_staff: bool
    user_id: int | None
    organisations: QuerySet[Any] | None  # ids of organisations they are verified members of
    partnerships: QuerySet[Any] | None  # ids of partnerships they are partners of or coordinate

    @classmethod
    def of(cls, viewer: Viewer) -> Audience:
        actor = Actor.of(viewer)
        if actor.user is None:
            return cls(is_staff=False, user_id=None, organisations=None, partnerships=None)
        organisations = (
            Membership.objects.active().filter(user=actor.user).values("organisation_id")
        )
        partnerships = Partnership.objects.filter(
            Q(coordinator=actor.user)
            | Q(
                members__left_on__isnull=True,
                members__organisation_id__in=organisations,
            )
        ).values("pk")
        return cls(
            is_staff=actor.is_staff,
            user_id=actor.user.pk,
            organisations=organisations,
            partnerships=partnerships,
        )


def _level(
    audience: Audience,
    *,
    prefix: str,
    organisation: str,
    partnership: str,
    published: Q | None = None,
) -> Q:
    """Who passes one level (partnership, indicator or figure) whose fields start with prefix."""
    now = timezone.now()
    public = Q(**{f"{prefix}visibility": PUBLIC}) & (
        Q(**{f"{prefix}embargo_until__isnull": True}) | Q(**{f"{prefix}embargo_until__lte": now})
    )
    if published is not None:
        public &= published
    if audience.organisations is None or audience.partnerships is None:
        return public
    partners = Q(**{f"{prefix}visibility__in": [PUBLIC, PARTNERS]}) & Q(
        **{f"{partnership}__in": audience.partnerships}
    )
    own = Q(**{f"{organisation}__in": audience.organisations})
    return public | partners | own


def _partnership_level(audience: Audience, path: str) -> Q:
    prefix = f"{path}__" if path else ""
    passes = _level(
        audience,
        prefix=prefix,
        organisation=f"{prefix}visible_to_organisation",
        partnership=f"{prefix}pk" if path == "" else path,
    )
    if audience.user_id is None:
        return passes
    # The coordinator always sees the partnership they run, whatever its setting.
    return passes | Q(**{f"{prefix}coordinator_id": audience.user_id})


def _indicator_level(audience: Audience, path: str) -> Q:
    prefix = f"{path}__" if path else ""
    partnership_level = Q(**{f"{prefix}partnership__isnull": True}) | _partnership_level(
        audience, f"{prefix}partnership"
    )
    return (
        _level(
            audience,
            prefix=prefix,
            organisation=f"{prefix}owner_organisation",
            partnership=f"{prefix}partnership",
        )
        & partnership_level
    )


def visible_partnerships(viewer: Viewer) -> QuerySet[Partnership]:
    audience = Audience.of(viewer)
    found = Partnership.objects.all()
    if audience.is_staff:
        return found
    return found.filter(_partnership_level(audience, ""))


def visible_indicators(viewer: Viewer) -> QuerySet[Indicator]:
    audience = Audience.of(viewer)
    found = Indicator.objects.all()
    if audience.is_staff:
        return found
    return found.filter(_indicator_level(audience, ""))


def visible_observations(viewer: Viewer) -> QuerySet[Observation]:
    """Every figure the person may see, on every channel: the narrowest of the figure's, its
    indicator's and its partnership's visibility."""
    audience = Audience.of(viewer)
    found = Observation.objects.all()
    if audience.is_staff:
        return found
    figure = _level(
        audience,
        prefix="",
        organisation="owner_organisation",
        partnership="indicator__partnership",
        published=Q(sign_off=SignOff.PUBLISHED),
    )
    return found.filter(figure & _indicator_level(audience, "indicator"))


def _visible(queryset_of: Any) -> Any:
    def rule(actor: Actor, obj: Any) -> bool:
        return bool(obj.pk) and queryset_of(actor.user).filter(pk=obj.pk).exists()

    return rule


def _is_lead_or_coordinator(actor: Actor, partnership: Partnership) -> bool:
    if actor.user is None:
        return False
    if partnership.coordinator_id == actor.user.pk:
        return True
    return PartnershipMember.objects.filter(
        partnership=partnership,
        left_on__isnull=True,
        role=MemberRole.LEAD,
        organisation_id__in=Membership.objects.active()
        .filter(user=actor.user)
        .values("organisation_id"),
    ).exists()


def editable_partnerships(viewer: Viewer, *, own_only: bool = False) -> QuerySet[Partnership]:
    """Partnerships the viewer may edit: the edit rule (`_is_lead_or_coordinator`, staff) as a
    queryset. With `own_only`, staff get only those they coordinate or their bodies lead."""
    actor = Actor.of(viewer)
    found = Partnership.objects.all()
    if actor.user is None:
        return found.none()
    if actor.is_staff and not own_only:
        return found
    leading = PartnershipMember.objects.filter(
        left_on__isnull=True,
        role=MemberRole.LEAD,
        organisation_id__in=Membership.objects.active()
        .filter(user=actor.user)
        .values("organisation_id"),
    ).values("partnership_id")
    return found.filter(Q(coordinator=actor.user) | Q(pk__in=leading))


def entering_organisations(viewer: Viewer, partnership: Partnership) -> QuerySet[Any]:
    """Organisations the person may enter figures for in the partnership: current lead or
    partner members of it that they are verified members of."""
    actor = Actor.of(viewer)
    if actor.user is None:
        return PartnershipMember.objects.none()
    return (
        PartnershipMember.objects.filter(
            partnership=partnership,
            left_on__isnull=True,
            role__in=[MemberRole.LEAD, MemberRole.PARTNER],
            organisation_id__in=Membership.objects.active()
            .filter(user=actor.user)
            .values("organisation_id"),
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _may_enter(actor: Actor, partnership: Partnership) -> bool:
    return entering_organisations(actor.user, partnership).exists()


def _owner_member(actor: Actor, observation: Observation) -> bool:
    return actor.role_in(observation.owner_organisation_id) is not None


def _is_draft(observation: Observation) -> bool:
    return observation.sign_off == SignOff.DRAFT


def _is_approved(observation: Observation) -> bool:
    return observation.sign_off == SignOff.APPROVED


def _not_published(observation: Observation) -> bool:
    return observation.sign_off != SignOff.PUBLISHED


def visible_targets(viewer: Viewer) -> QuerySet[Target]:
    """A target is seen by whoever may see its indicator: it is the owner's aim, not a figure."""
    return Target.objects.filter(indicator__in=visible_indicators(viewer))


def _owns_partnership_indicator(actor: Actor, indicator: Indicator) -> bool:
    if indicator.partnership_id is None:
        return False
    return actor.role_in(indicator.owner_organisation_id) is not None


def visible_comparison_groups(viewer: Viewer) -> QuerySet[ComparisonGroup]:
    """Public groups, and private ones of the organisations the person is a verified member of:
    the indicator page's choice, the group pages and the API all list through this."""
    audience = Audience.of(viewer)
    found = ComparisonGroup.objects.all()
    if audience.is_staff:
        return found
    public = Q(visibility=GroupVisibility.PUBLIC)
    if audience.organisations is None:
        return found.filter(public)
    return found.filter(public | Q(owner_organisation_id__in=audience.organisations))


def _owns_group(actor: Actor, group: ComparisonGroup) -> bool:
    return actor.role_in(group.owner_organisation_id) is not None


def _has_membership(actor: Actor, obj: Any) -> bool:
    return bool(actor.load_roles())


PERFORMANCE_RULES = {
    (Partnership, "view"): _visible(visible_partnerships),
    (Indicator, "view"): _visible(visible_indicators),
    (Observation, "view"): _visible(visible_observations),
    (Partnership, "edit"): any_of(_is_lead_or_coordinator, staff),
    (Partnership, "manage_members"): any_of(_is_lead_or_coordinator, staff),
    (Partnership, "define_indicators"): any_of(_is_lead_or_coordinator, staff),
    (Partnership, "enter_figures"): _may_enter,
    (Observation, "approve"): when(_is_draft, _owner_member),
    (Observation, "publish"): when(_is_approved, _owner_member),
    (Observation, "edit"): when(_not_published, _owner_member),
    (None, "create_partnership"): _has_membership,
    (Indicator, "set_target"): _owns_partnership_indicator,
    (ComparisonGroup, "view"): _visible(visible_comparison_groups),
    (ComparisonGroup, "edit"): any_of(_owns_group, staff),
    (ComparisonGroup, "delete"): any_of(_owns_group, staff),
    (None, "create_comparison_group"): _has_membership,
}
register_rules(PERFORMANCE_RULES)
