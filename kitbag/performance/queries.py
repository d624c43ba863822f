"""Reads shared by the pages, the export and the benchmark: observations with Kitbag's own
comparison of each against its group, computed by `statistics` from the stored values.

Kitbag's figures leave out values flagged suspect (the ASC2 2019-20 zeros); the publishers'
figures, kept on each observation, included them. Where the two differ, pages show both.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.models import Membership
from kitbag.accounts.permissions import Viewer
from kitbag.core.parts import Figure
from kitbag.performance import statistics
from kitbag.performance.models import (
    ComparisonGroup,
    Indicator,
    Observation,
    Partnership,
    PartnershipMember,
    SignOff,
    Source,
    Status,
)
from kitbag.performance.permissions import (
    Audience,
    visible_comparison_groups,
    visible_indicators,
    visible_observations,
    visible_partnerships,
)
from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    ParentLink,
    ParentRelation,
    Succession,
)

NATION: dict[str, str] = {Source.OFLOG: "England", Source.LGBF: "Scotland"}


class Group(enum.StrEnum):
    NATION = "nation"
    COUNCIL_TYPE = "council-type"
    FAMILY_GROUP = "family-group"
    CUSTOM = "custom"  # a ComparisonGroup someone defined: see CustomGroup


# The key of a custom group's members; everyone else is compared among themselves under "".
IN_CUSTOM_GROUP = "in"


@dataclass(frozen=True)
class CustomGroup:
    """A person-defined group of councils, as the statistics need it."""

    slug: str
    name: str
    organisation_ids: frozenset[int]

    @classmethod
    def of(cls, group: ComparisonGroup) -> CustomGroup:
        """Reads the group's councils' ids (one query)."""
        return cls(
            slug=group.slug,
            name=group.name,
            organisation_ids=frozenset(group.councils.values_list("pk", flat=True)),
        )


def groups_for(indicator: Indicator) -> list[Group]:
    """The comparison groups an indicator's data supports."""
    if indicator.source == Source.OFLOG:
        return [Group.NATION, Group.COUNCIL_TYPE]
    return [Group.NATION, Group.FAMILY_GROUP] if indicator.family_type else [Group.NATION]


def family_group_label(code: str) -> str:
    """ "rurality-2" -> "Family group 2 (rurality)"."""
    kind, _, number = code.partition("-")
    return f"Family group {number} ({kind})" if number else code


@dataclass(frozen=True)
class Compared:
    """One observation with Kitbag's comparison of it (None where it does not apply)."""

    observation: Observation
    group: str  # the name of the group it was compared within
    median: float | None
    mad: float | None  # the national MAD: a stable scale whatever the group
    d: float | None
    band: statistics.Band
    wording: statistics.Wording
    rank: int | None
    group_size: int
    family_group_average: float | None
    national_value: float | None
    national_method: str  # "ratio of sums", "published" or ""

    @property
    def value(self) -> float | None:
        return self.observation.value


def _counted(observation: Observation) -> float | None:
    return None if observation.status == Status.SUSPECT else observation.value


def key_for(group: Group, custom: CustomGroup | None = None) -> Callable[[Observation], str]:
    """Which group an observation falls in: the key its comparison is computed within."""
    if group is Group.CUSTOM:
        if custom is None:
            raise ValueError("a custom group needs its councils")
        ids = custom.organisation_ids
        return lambda o: IN_CUSTOM_GROUP if o.organisation_id in ids else ""
    if group is Group.COUNCIL_TYPE:
        return lambda o: o.council_type
    if group is Group.FAMILY_GROUP:
        return lambda o: o.family_group
    return lambda o: ""


def _group_name(
    indicator: Indicator, group: Group, key: str, custom: CustomGroup | None = None
) -> str:
    if group is Group.CUSTOM and custom is not None:
        return f"the median of {custom.name}" if key else "the median of the councils outside it"
    if group is Group.COUNCIL_TYPE:
        return f"the median of {key}"
    if group is Group.FAMILY_GROUP:
        return f"the median of {family_group_label(key)}"
    return f"the {NATION.get(indicator.source, 'national')} median"


def national_value(indicator: Indicator, period: Sequence[Observation]) -> tuple[float | None, str]:
    """The LGBF Scotland figure: a ratio of the councils' sums where they have numerators and
    denominators, else the figure the source supplies. Oflog publishes no England figure."""
    if indicator.source != Source.LGBF:
        return None, ""
    pairs = [(o.numerator, o.denominator) for o in period if o.status != Status.SUSPECT]
    if any(n is not None and d is not None for n, d in pairs):
        value = statistics.ratio_of_sums(
            pairs,
            numerator_multiplier=indicator.numerator_multiplier,
            denominator_multiplier=indicator.denominator_multiplier,
        )
        return value, "ratio of sums"
    published = [o.published_national for o in period if o.published_national is not None]
    return (published[0], "published") if published else (None, "")


def compare_period(
    indicator: Indicator,
    period: Sequence[Observation],
    *,
    group: Group = Group.NATION,
    custom: CustomGroup | None = None,
) -> list[Compared]:
    """Every observation of one indicator in one period against its group (for a custom group,
    its councils against their own median and ranked among themselves; the scale stays the
    national MAD, as for every group)."""
    polarity = statistics.Polarity(indicator.polarity)
    national_mad = statistics.mad(_counted(o) for o in period)
    national, method = national_value(indicator, period)
    key_of = key_for(group, custom)
    members: dict[str, list[Observation]] = defaultdict(list)
    families: dict[str, list[float | None]] = defaultdict(list)
    for observation in period:
        members[key_of(observation)].append(observation)
        if observation.family_group:
            families[observation.family_group].append(_counted(observation))
    averages = {code: statistics.mean(values) for code, values in families.items()}
    compared: list[Compared] = []
    for key, group_members in members.items():
        values = [_counted(o) for o in group_members]
        group_median = statistics.median(values)
        ranked = statistics.ranks(
            {o.pk: _counted(o) for o in group_members},
            polarity=polarity,
            midpoint=indicator.midpoint,
        )
        comparator = _group_name(indicator, group, key, custom)
        for observation in group_members:
            d = statistics.mads_from_median(
                observation.value, median=group_median, mad=national_mad
            )
            band = (
                statistics.band_of(d, value=observation.value, median=group_median)
                if observation.value is not None
                else statistics.Band.UNGRADED
            )
            compared.append(
                Compared(
                    observation=observation,
                    group=comparator,
                    median=group_median,
                    mad=national_mad,
                    d=d,
                    band=band,
                    wording=statistics.wording(band, polarity=polarity, comparator=comparator),
                    rank=ranked[observation.pk],
                    group_size=len(statistics.present(values)),
                    family_group_average=averages.get(observation.family_group),
                    national_value=national,
                    national_method=method,
                )
            )
    return compared


def compare_all(
    indicator: Indicator,
    observations: Iterable[Observation],
    *,
    group: Group = Group.NATION,
    custom: CustomGroup | None = None,
) -> list[Compared]:
    """Every observation of one indicator, period by period, in the order given."""
    by_period: dict[str, list[Observation]] = defaultdict(list)
    for observation in observations:
        by_period[observation.period_label].append(observation)
    result: dict[int, Compared] = {}
    for period in by_period.values():
        for compared in compare_period(indicator, period, group=group, custom=custom):
            result[compared.observation.pk] = compared
    return [result[o.pk] for period in by_period.values() for o in period]


def indicators(viewer: Viewer = None, *, source: str | None = None) -> QuerySet[Indicator]:
    # Counted: published sources' figures only, so a count never hints at hidden figures.
    imported = Q(observations__import_run__isnull=False)
    found = visible_indicators(viewer).annotate(
        observation_count=Count("observations", filter=imported),
        latest_start=Max("observations__period_start", filter=imported),
    )
    return found.filter(source=source) if source else found


def observations_of(indicator: Indicator, viewer: Viewer = None) -> QuerySet[Observation]:
    """The indicator's figures the viewer may see (imported figures are public)."""
    return (
        visible_observations(viewer)
        .filter(indicator=indicator)
        .select_related("organisation")
        .order_by("period_start", "period_label", "organisation__name")
    )


def observations_for_export(*, source: str) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(indicator__source=source, import_run__isnull=False)
        .select_related("indicator", "organisation")
        .order_by("indicator__code", "period_start", "period_label", "gss")
    )


def latest_for_organisation(organisation: Organisation) -> list[Compared]:
    """The organisation's figure in the latest period of each indicator it has, compared with
    the nation. Two queries whatever the number of indicators."""
    # Published sources' figures only: partners' figures are in the partnerships section.
    own = list(
        Observation.objects.filter(
            organisation=organisation, value__isnull=False, import_run__isnull=False
        )
        .select_related("indicator")
        .order_by("indicator__source", "indicator__code", "-period_start")
    )
    latest: dict[int, Observation] = {}
    for observation in own:
        latest.setdefault(observation.indicator_id, observation)
    if not latest:
        return []
    wanted = {(o.indicator_id, o.period_label) for o in latest.values()}
    peers: dict[tuple[int, str], list[Observation]] = defaultdict(list)
    for observation in Observation.objects.filter(
        import_run__isnull=False,
        indicator_id__in=latest.keys(),
        period_label__in={label for _indicator, label in wanted},
    ):
        if (observation.indicator_id, observation.period_label) in wanted:
            peers[(observation.indicator_id, observation.period_label)].append(observation)
    result: list[Compared] = []
    for observation in latest.values():
        period = peers[(observation.indicator_id, observation.period_label)]
        for compared in compare_period(observation.indicator, period):
            if compared.observation.pk == observation.pk:
                result.append(compared)
    return result


def performance_figures() -> list[Figure]:
    """The home page's figures for this part."""
    return [
        Figure(label=_("Indicators"), value=visible_indicators(None).count()),
        Figure(label=_("Published figures"), value=visible_observations(None).count()),
    ]


# Partnerships: every read below starts from a permissions.visible_* queryset, so a page, the
# API, a CSV or a chart never holds a row the reader may not see.


def partnerships_for(viewer: Viewer) -> QuerySet[Partnership]:
    return (
        visible_partnerships(viewer)
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            outcome_count=Count("outcomes", distinct=True),
        )
        .order_by("name")
    )


def current_members(partnership: Partnership) -> QuerySet[PartnershipMember]:
    return (
        partnership.members.filter(left_on__isnull=True)
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )


def partnership_indicators(viewer: Viewer, partnership: Partnership) -> QuerySet[Indicator]:
    return (
        visible_indicators(viewer)
        .filter(partnership=partnership)
        .select_related("owner_organisation")
        .order_by("code")
    )


def partnership_figures(viewer: Viewer, partnership: Partnership) -> QuerySet[Observation]:
    """The partnership's figures the reader may see, newest period first."""
    return (
        visible_observations(viewer)
        .filter(indicator__partnership=partnership)
        .select_related("indicator", "organisation", "owner_organisation", "entered_by")
        .order_by("indicator__code", "-period_start", "gss", "organisation__name")
    )


def figures_awaiting(viewer: Viewer, partnership: Partnership) -> QuerySet[Observation]:
    """Drafts and approved figures of the reader's own organisations: theirs to sign off."""
    organisations = Audience.of(viewer).organisations
    if organisations is None:
        return Observation.objects.none()
    return (
        Observation.objects.filter(
            indicator__partnership=partnership,
            owner_organisation_id__in=organisations,
            sign_off__in=[SignOff.DRAFT, SignOff.APPROVED],
        )
        .select_related("indicator", "organisation", "owner_organisation", "entered_by")
        .order_by("sign_off", "indicator__code", "-period_start")
    )


@dataclass(frozen=True)
class PersonPartnership:
    partnership: Partnership
    coordinates: bool  # the person is its coordinator
    member_role: str  # the role of the organisation their profile shows ("" when it is none)


def partnerships_of_person(
    viewer: Viewer, *, user_id: int, shown_organisation_id: int | None
) -> list[PersonPartnership]:
    """The partnerships a person coordinates and those the organisation their public profile shows
    belongs to, as the viewer may see them: two queries however many there are.

    Only the organisation the person chose to show counts (and only while their membership of it is
    verified and active): their other memberships are not theirs to have published by us."""
    current = PartnershipMember.objects.filter(left_on__isnull=True)
    belongs = Q(pk=-1)
    if shown_organisation_id is not None:
        verified = (
            Membership.objects.active()
            .filter(user_id=user_id, organisation_id=shown_organisation_id)
            .values("organisation_id")
        )
        belongs = Q(pk__in=current.filter(organisation_id__in=verified).values("partnership_id"))
    partnerships = list(
        visible_partnerships(viewer)
        .filter(Q(coordinator_id=user_id) | belongs)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=current.filter(organisation_id=shown_organisation_id or -1),
                to_attr="shown_organisation_memberships",
            )
        )
        .order_by("name", "pk")
    )
    found = []
    for partnership in partnerships:
        memberships = getattr(partnership, "shown_organisation_memberships", [])
        found.append(
            PersonPartnership(
                partnership=partnership,
                coordinates=partnership.coordinator_id == user_id,
                member_role=memberships[0].get_role_display() if memberships else "",
            )
        )
    return found


def partnerships_of_organisation(
    viewer: Viewer, organisation: Organisation
) -> QuerySet[PartnershipMember]:
    return (
        PartnershipMember.objects.filter(
            organisation=organisation,
            left_on__isnull=True,
            partnership__in=visible_partnerships(viewer),
        )
        .select_related("partnership")
        .order_by("partnership__name")
    )


def comparison_groups(viewer: Viewer) -> QuerySet[ComparisonGroup]:
    """Custom comparison groups the person may see, with their owner, by name."""
    return (
        visible_comparison_groups(viewer)
        .select_related("owner_organisation")
        .annotate(council_count=Count("councils", distinct=True))
        .order_by("name", "pk")
    )


def comparison_group_councils(group: ComparisonGroup) -> QuerySet[Organisation]:
    return group.councils.order_by("name")


@dataclass(frozen=True)
class MapPlaces:
    """Where councils sit on the hex map: a hex's GSS code (current or former) to its council,
    and a district to its county (a county's figure colours its districts' hexes)."""

    council_by_gss: dict[str, int]
    county_of: dict[int, int]


def map_places() -> MapPlaces:
    """Two queries, whatever the number of councils."""
    council_by_gss: dict[str, int] = {}
    for value, organisation_id in (
        Identifier.objects.filter(
            scheme=IdentifierScheme.GSS, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
        )
        .order_by("-is_current")
        .values_list("value", "organisation_id")
    ):
        council_by_gss.setdefault(value, organisation_id)
    county_of = dict(
        ParentLink.objects.filter(relation=ParentRelation.COUNTY).values_list(
            "child_id", "parent_id"
        )
    )
    return MapPlaces(council_by_gss=council_by_gss, county_of=county_of)


def successions_of(organisation_ids: Iterable[int]) -> list[Succession]:
    """The registry's succession records touching any of the bodies, with both ends: one query."""
    ids = list(organisation_ids)
    if not ids:
        return []
    return list(
        Succession.objects.filter(Q(predecessor_id__in=ids) | Q(successor_id__in=ids))
        .select_related("predecessor", "successor")
        .order_by("date", "pk")
    )
