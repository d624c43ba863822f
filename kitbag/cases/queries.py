"""Reads the case pages, downloads, feeds and the API share.

`CaseSearch.from_params` parses the one set of query parameters every channel takes (q, the facet
names of search_documents.FACETS and HIDDEN_FACETS, sort, page, page_size); `search_cases` runs it
through the search interface and fetches the page of cases in a fixed number of queries.
Search only ever shows public cases: drafts are found on "Your cases", never through search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import Viewer, can, can_for_some_organisation
from kitbag.cases import spread
from kitbag.cases.facet_labels import (
    CODE_LIST_OF_FACET,
    FACET_TITLES,
    UK_NATION_ORDER,
    plain_label,
)
from kitbag.cases.models import (
    Adoption,
    Case,
    CasePartner,
    CaseQuerySet,
    CaseRelation,
    Product,
    RecordStatus,
    Recurrence,
)
from kitbag.cases.permissions import publishable_cases, visible_cases
from kitbag.cases.search_documents import DOC_TYPE, FACETS, HIDDEN_FACETS
from kitbag.cases.sections import SECTIONS, Section, section_of
from kitbag.cases.services import missing_before_review
from kitbag.core.parts import Figure
from kitbag.registry import hexmap
from kitbag.registry.models import Identifier, IdentifierScheme, Organisation
from kitbag.registry.queries import council_hexmap
from kitbag.search.queries import MAX_PAGE_SIZE, Hit, SearchResults, search
from kitbag.vocabularies.models import Code

Sort = Literal["relevance", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest")
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class CaseSearch:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> CaseSearch:
        """From a QueryDict (or any mapping of lists): unknown or bad values fall back quietly."""

        def values(name: str) -> list[str]:
            getlist = getattr(params, "getlist", None)
            raw = getlist(name) if getlist else params.get(name, [])
            if isinstance(raw, str):
                raw = [raw]
            return [str(v).strip() for v in cast(list[object], raw or []) if str(v).strip()]

        def number(name: str, default: int) -> int:
            found = values(name)
            try:
                return int(found[0]) if found else default
            except ValueError:
                return default

        query = (values("q") or [""])[0]
        sort_values = values("sort")
        sort: Sort = (
            sort_values[0]
            if sort_values and sort_values[0] in SORTS
            else ("relevance" if query else "newest")
        )
        filters = {name: values(name) for name in (*FACETS, *HIDDEN_FACETS) if values(name)}
        return cls(
            query=query,
            filters=filters,
            sort=sort,
            page=max(1, number("page", 1)),
            page_size=min(max(1, number("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE),
        )


@dataclass(frozen=True)
class CaseHit:
    case: Case
    hit: Hit


@dataclass(frozen=True)
class CaseSearchResults:
    total: int
    hits: list[CaseHit]
    facet_counts: dict[str, list[tuple[str, int]]]
    page: int
    page_size: int
    # False when a very broad search counted facets over its best matches only (decision 15).
    facet_counts_complete: bool = True
    # "Did you mean ...?": the query with misspelt words corrected, and whether these results
    # are the corrected query's because the query as typed found nothing (search.queries).
    suggestion: str = ""
    corrected: bool = False

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def cases_for_display(viewer: Viewer) -> CaseQuerySet:
    """Cases the viewer may see, with what a card or a row needs, in a fixed number of queries."""
    return (
        visible_cases(viewer)
        .select_related(
            "lead_organisation",
            "sector",
            "phase",
            "operational_status",
            "evidence_level",
            "outcome",
        )
        .prefetch_related(
            "services",
            "functions",
            "technologies",
            Prefetch("adoptions", queryset=Adoption.objects.select_related("adopter", "status")),
        )
    )


def cases_for_cards(viewer: Viewer) -> CaseQuerySet:
    """Cases the viewer may see, with only what a result card shows, in one query.

    A card names the lead organisation, the phase, status, evidence level and outcome, and how
    many organisations adopted the case; the services, functions and technologies that
    `cases_for_display` prefetches for the API and the feed would cost the list page four
    more queries for nothing.
    """
    adopters = (
        Adoption.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    code_lists = ("phase", "operational_status", "evidence_level", "outcome")
    return (
        visible_cases(viewer)
        .select_related("lead_organisation", *code_lists)
        # The columns a card shows: a case's long texts would be most of what is read.
        .only(
            "slug",
            "status",
            "start_year",
            "lead_organisation_name",
            "lead_organisation",
            "lead_organisation__name",
            *code_lists,
            *(f"{code_list}__{column}" for code_list in code_lists for column in ("code", "label")),
        )
        .annotate(adopter_count=Coalesce(Subquery(adopters, output_field=IntegerField()), 0))
    )


def search_cases(*, search_for: CaseSearch, viewer: Viewer) -> CaseSearchResults:
    """A search with each case as the API and the feed show it."""
    return _search_page(search_for=search_for, cases=cases_for_display(viewer), facets=FACETS)


def search_case_cards(*, search_for: CaseSearch, viewer: Viewer) -> CaseSearchResults:
    """A search with each case as a result card on the list page shows it."""
    return _search_page(search_for=search_for, cases=cases_for_cards(viewer), facets=FACETS)


def search_index(*, search_for: CaseSearch, facets: Iterable[str] = FACETS) -> SearchResults:
    """The search itself, public cases only, before the cases are fetched for display."""
    return search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=search_for.filters,
        facets=list(facets),
        public_only=True,
        page=search_for.page,
        page_size=search_for.page_size,
        sort=search_for.sort,
    )


def _search_page(
    *, search_for: CaseSearch, cases: CaseQuerySet, facets: Iterable[str]
) -> CaseSearchResults:
    results = search_index(search_for=search_for, facets=facets)
    ids = [int(hit.object_id) for hit in results.hits]
    # The index and the cases agree except for a moment mid-write; the cases' own visibility is
    # checked again so that a stale index entry can never show a draft.
    by_id = {case.pk: case for case in cases.public().filter(pk__in=ids)} if ids else {}
    return CaseSearchResults(
        total=results.total,
        hits=[
            CaseHit(case=by_id[int(hit.object_id)], hit=hit)
            for hit in results.hits
            if int(hit.object_id) in by_id
        ],
        facet_counts=results.facet_counts,
        page=results.page,
        page_size=results.page_size,
        facet_counts_complete=results.facet_counts_complete,
        suggestion=results.suggestion,
        corrected=results.corrected,
    )


# --- Filters on the list page --------------------------------------------------------------------

# How many values of a facet show before the rest are folded under "more".
FACET_OPTIONS_SHOWN = 8
# Facets whose values are a short fixed list, shown in the list's own order rather than by count.
ORDERED_FACETS = frozenset({"phase", "status", "evidence", "outcome"})


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    options: list[FacetOption]
    more_options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in (*self.options, *self.more_options) if option.selected]


def facet_value_labels(values: Mapping[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """Labels for facet values: one query for every facet backed by a code list."""
    condition = Q()
    for facet, list_slug in CODE_LIST_OF_FACET.items():
        wanted = {value for value in values.get(facet, ()) if value}
        if wanted:
            condition |= Q(code_list__slug=list_slug, code__in=wanted)
    by_list: dict[str, dict[str, str]] = {}
    if condition:
        rows = Code.objects.filter(condition).values_list("code_list__slug", "code", "label")
        for list_slug, code, label in rows:
            by_list.setdefault(list_slug, {})[code] = label
    labels: dict[str, dict[str, str]] = {}
    for facet, facet_values in values.items():
        from_list = by_list.get(CODE_LIST_OF_FACET.get(facet, ""), {})
        labels[facet] = {
            value: from_list.get(value) or plain_label(facet, value) for value in facet_values
        }
    return labels


def _code_order(values: Mapping[str, Iterable[str]]) -> dict[str, dict[str, int]]:
    condition = Q()
    for facet in ORDERED_FACETS:
        wanted = set(values.get(facet, ()))
        if wanted:
            condition |= Q(code_list__slug=CODE_LIST_OF_FACET[facet], code__in=wanted)
    order: dict[str, dict[str, int]] = {}
    if condition:
        slug_to_facet = {CODE_LIST_OF_FACET[facet]: facet for facet in ORDERED_FACETS}
        for list_slug, code, sort_order in Code.objects.filter(condition).values_list(
            "code_list__slug", "code", "sort_order"
        ):
            order.setdefault(slug_to_facet[list_slug], {})[code] = sort_order
    return order


def nation_rank(value: str) -> int:
    """The UK and its nations first, in a fixed order; other countries after them, in the order
    they came (by count), when used as a stable sort key."""
    return UK_NATION_ORDER.get(value, len(UK_NATION_ORDER))


def ordered_facet_counts(
    facet_counts: Mapping[str, list[tuple[str, int]]],
) -> dict[str, list[tuple[str, int]]]:
    """A search's facet counts in the order pages list them where that is not by count."""
    ordered = dict(facet_counts)
    if "nation" in ordered:
        ordered["nation"] = sorted(ordered["nation"], key=lambda pair: nation_rank(pair[0]))
    return ordered


def _counts_without(search_for: CaseSearch, facet: str) -> list[tuple[str, int]]:
    """A facet's counts with its own filter left out, so its other values can still be chosen."""
    others = {name: values for name, values in search_for.filters.items() if name != facet}
    results = search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=others,
        facets=[facet],
        public_only=True,
        page=1,
        page_size=1,
        # Newest pages in SQL: only the counts are wanted here.
        sort="newest",
    )
    return results.facet_counts.get(facet, [])


def facet_groups(*, search_for: CaseSearch, results: CaseSearchResults) -> list[FacetGroup]:
    """Every facet of FACETS with its values, their labels and counts, and which are chosen."""
    counts = dict(results.facet_counts)
    for facet in FACETS:
        if search_for.filters.get(facet):
            counts[facet] = _counts_without(search_for, facet)
    values: dict[str, list[str]] = {}
    for facet in FACETS:
        seen = [value for value, _count in counts.get(facet, [])]
        missing = [value for value in search_for.filters.get(facet, []) if value not in seen]
        values[facet] = [*seen, *missing]
    labels = facet_value_labels(values)
    order = _code_order(values)
    groups = []
    for facet in FACETS:
        chosen = set(search_for.filters.get(facet, []))
        by_value = dict(counts.get(facet, []))
        options = [
            FacetOption(
                value=value,
                label=labels[facet][value],
                count=by_value.get(value, 0),
                selected=value in chosen,
            )
            for value in values[facet]
        ]
        if facet == "year":
            options.sort(key=lambda option: option.value, reverse=True)
        elif facet == "nation":
            options.sort(key=lambda option: nation_rank(option.value))
        elif facet in ORDERED_FACETS:
            ranks = order.get(facet, {})
            options.sort(key=lambda option: (ranks.get(option.value, 10**6), option.value))
        # The chosen values always show, whatever their rank.
        shown = options[:FACET_OPTIONS_SHOWN]
        more = options[FACET_OPTIONS_SHOWN:]
        shown += [option for option in more if option.selected]
        more = [option for option in more if not option.selected]
        groups.append(
            FacetGroup(name=facet, title=str(FACET_TITLES[facet]), options=shown, more_options=more)
        )
    return groups


# --- Every match, for downloads and feeds ------------------------------------------------------

# A download holds at most this many cases; the JSON says when it was cut short.
MAX_DOWNLOAD_ROWS = 10_000


def matching_cases(
    *, search_for: CaseSearch, viewer: Viewer, limit: int | None = None
) -> Iterator[Case]:
    """Every public case the search matches, in its order, fetched a page at a time, up to
    `limit` (MAX_DOWNLOAD_ROWS unless given)."""
    limit = MAX_DOWNLOAD_ROWS if limit is None else limit
    cases = cases_for_display(viewer).prefetch_related("identifiers")
    page = 1
    given = 0
    while given < limit:
        size = min(MAX_PAGE_SIZE, limit - given)
        # Pages are cut at MAX_PAGE_SIZE; a short last chunk would shift the page boundaries.
        results = _search_page(
            search_for=CaseSearch(
                query=search_for.query,
                filters=search_for.filters,
                sort=search_for.sort,
                page=page,
                page_size=MAX_PAGE_SIZE,
            ),
            cases=cases,
            facets=(),
        )
        for case_hit in results.hits[:size]:
            yield case_hit.case
            given += 1
        if page >= results.page_count or not results.hits:
            return
        page += 1


def count_matching(*, search_for: CaseSearch) -> int:
    return search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=search_for.filters,
        public_only=True,
        page=1,
        page_size=1,
        sort="newest",
    ).total


# --- The case page -----------------------------------------------------------------------------


def case_page_cases(viewer: Viewer) -> CaseQuerySet:
    """Cases the viewer may see, with every part the case page shows, in a fixed number of queries."""
    gss = Identifier.objects.filter(scheme=IdentifierScheme.GSS)
    return (
        visible_cases(viewer)
        .select_related(
            "lead_organisation",
            "sector",
            "phase",
            "operational_status",
            "evidence_level",
            "evidence_assessed_by",
            "outcome",
        )
        .prefetch_related(
            "identifiers",
            "services",
            Prefetch("functions", queryset=Code.objects.select_related("parent")),
            "technologies",
            Prefetch("partners", queryset=CasePartner.objects.select_related("organisation")),
            "costs",
            "benefits",
            "assets",
            Prefetch("products", queryset=Product.objects.select_related("supplier")),
            "contacts",
            "lead_organisation__identifiers",
            Prefetch(
                "adoptions",
                queryset=Adoption.objects.select_related("adopter", "status")
                .prefetch_related(Prefetch("adopter__identifiers", queryset=gss, to_attr="gss"))
                .order_by("adopter__name", "pk"),
            ),
        )
    )


@dataclass(frozen=True)
class LineageItem:
    case: Case
    relation: str  # the relation code
    label: str  # its label
    changes_made: str
    happened_on: dt.date | None
    confirmed_by_both: bool
    repeated: bool
    children: list[LineageItem]


@dataclass(frozen=True)
class CaseLineage:
    origins: list[LineageItem]
    followers: list[LineageItem]

    @property
    def is_empty(self) -> bool:
        return not self.origins and not self.followers


def _related_case_ids(case_id: int) -> list[int]:
    """Every case joined to this one by relations in either direction, in one recursive query."""
    table = connection.ops.quote_name(CaseRelation._meta.db_table)
    sql = f"""
        WITH RECURSIVE reach(id) AS (
            SELECT CAST(%s AS BIGINT)
            UNION
            SELECT CASE WHEN r.from_case_id = reach.id THEN r.to_case_id ELSE r.from_case_id END
            FROM {table} r JOIN reach ON r.from_case_id = reach.id OR r.to_case_id = reach.id
        )
        SELECT id FROM reach
    """  # noqa: S608 - the table name is ours; the case id is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id])
        return [int(row[0]) for row in cursor.fetchall()]


def case_lineage(*, case: Case, viewer: Viewer) -> CaseLineage:
    """The lineage tree of a case, through cases the viewer may see: three queries."""
    connected = _related_case_ids(case.pk)
    visible = {
        other.pk: other
        for other in visible_cases(viewer)
        .filter(pk__in=connected)
        .select_related("lead_organisation")
    }
    visible[case.pk] = case
    relations = CaseRelation.objects.filter(
        from_case_id__in=list(visible), to_case_id__in=list(visible)
    ).select_related("relation")
    tree = spread.lineage(
        (
            spread.Edge(
                pk=relation.pk,
                from_id=relation.from_case_id,
                to_id=relation.to_case_id,
                relation=relation.relation.code,
                label=relation.relation.label,
                changes_made=relation.changes_made,
                happened_on=relation.happened_on,
                confirmed_by_both=relation.confirmed_by_both,
            )
            for relation in relations
        ),
        root_id=case.pk,
    )

    def items(nodes: Iterable[spread.LineageNode]) -> list[LineageItem]:
        return [
            LineageItem(
                case=visible[node.case_id],
                relation=node.edge.relation,
                label=node.edge.label,
                changes_made=node.edge.changes_made,
                happened_on=node.edge.happened_on,
                confirmed_by_both=node.edge.confirmed_by_both,
                repeated=node.repeated,
                children=items(node.children),
            )
            for node in nodes
        ]

    return CaseLineage(origins=items(tree.origins), followers=items(tree.followers))


def spread_totals_of(case: Case) -> spread.SpreadTotals:
    """Cost and savings across the lead and its adopters, from the prefetched parts."""
    return spread.spread_totals(
        adoptions=[
            spread.AdoptionFigures(
                status=adoption.status.code,
                cost=adoption.cost,
                annual_saving=adoption.annual_saving,
            )
            for adoption in case.adoptions.all()
        ],
        lead_costs=cost_totals(case),
        lead_benefits=benefit_totals(case),
    )


def cost_totals(case: Case) -> spread.ItemTotals:
    return spread.item_totals(
        spread.Item(amount=item.amount, per_year=item.recurrence == Recurrence.PER_YEAR)
        for item in case.costs.all()
    )


def benefit_totals(case: Case) -> spread.ItemTotals:
    return spread.item_totals(
        spread.Item(
            amount=item.amount,
            per_year=item.recurrence == Recurrence.PER_YEAR,
            cashable=item.cashable,
        )
        for item in case.benefits.all()
    )


@dataclass(frozen=True)
class AdopterArea:
    placed: hexmap.PlacedHex
    # "lead", an adoption status code, or "" for a council with no part in this case.
    role: str
    organisation: Organisation | None
    adoption: Adoption | None


@dataclass(frozen=True)
class AdopterMap:
    drawing: hexmap.HexMapDrawing
    areas: list[AdopterArea]
    on_map: frozenset[int]  # organisation ids drawn on the map

    @property
    def highlighted(self) -> list[AdopterArea]:
        return [area for area in self.areas if area.role]


def adopter_map(case: Case) -> AdopterMap | None:
    """The council hex map with the lead and adopting councils marked; None with no map or no one
    on it. Uses only prefetched identifiers: no queries."""
    drawing = council_hexmap()
    if drawing is None:
        return None
    roles: dict[str, tuple[str, Organisation, Adoption | None]] = {}
    for adoption in case.adoptions.all():
        for identifier in getattr(adoption.adopter, "gss", []):  # a Prefetch to_attr
            roles[identifier.value] = (adoption.status.code, adoption.adopter, adoption)
    lead = case.lead_organisation
    if lead is not None:
        for identifier in lead.identifiers.all():
            if identifier.scheme == IdentifierScheme.GSS:
                roles[identifier.value] = ("lead", lead, None)
    areas = []
    on_map: set[int] = set()
    for placed in drawing.hexes:
        found = roles.get(placed.hex.key)
        if found is None:
            areas.append(AdopterArea(placed=placed, role="", organisation=None, adoption=None))
            continue
        on_map.add(found[1].pk)
        areas.append(
            AdopterArea(placed=placed, role=found[0], organisation=found[1], adoption=found[2])
        )
    if not on_map:
        return None
    # Marked hexes last, so their outlines are drawn over their neighbours'.
    areas.sort(key=lambda area: bool(area.role))
    return AdopterMap(drawing=drawing, areas=areas, on_map=frozenset(on_map))


# --- Organisation pages ------------------------------------------------------------------------


def cases_led_by(*, organisation: Organisation, viewer: Viewer) -> CaseQuerySet:
    return (
        visible_cases(viewer)
        .public()
        .filter(lead_organisation=organisation)
        .select_related("phase", "outcome", "operational_status")
        .order_by("-published_at", "-pk")
    )


def adoptions_by(*, organisation: Organisation, viewer: Viewer) -> QuerySet[Adoption]:
    return (
        Adoption.objects.filter(
            adopter=organisation, case__in=visible_cases(viewer).public().values("pk")
        )
        .select_related("case", "case__lead_organisation", "status")
        .order_by("case__title", "pk")
    )


def adoption_organisations(user: User, case: Case) -> QuerySet[Organisation]:
    """The organisations a person can record an adoption for: those they are a verified member of,
    except the case's own lead. The form lists them; the API picks from them."""
    organisations = Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user).organisation_ids()
    )
    if case.lead_organisation_id is not None:
        organisations = organisations.exclude(pk=case.lead_organisation_id)
    return organisations.order_by("name")


# --- Review --------------------------------------------------------------------------------------


def cases_waiting_for_review(*, viewer: Viewer) -> CaseQuerySet:
    """Cases in review that the viewer may publish (the permission table's publish rule, as a
    queryset), the longest waiting first. The list page and every count of it read this."""
    return (
        publishable_cases(viewer)
        .filter(status=RecordStatus.IN_REVIEW)
        .select_related("lead_organisation", "phase")
        .order_by("updated_at", "pk")
    )


@dataclass(frozen=True)
class ReviewCount:
    lead: str
    count: int


def review_counts(*, viewer: Viewer) -> list[ReviewCount]:
    """How many cases wait for the viewer's review, by lead organisation, most first."""
    rows = (
        cases_waiting_for_review(viewer=viewer)
        .order_by()
        .values("lead_organisation__name", "lead_organisation_name")
        .annotate(count=Count("pk"))
    )
    counts = [
        ReviewCount(
            lead=row["lead_organisation__name"] or row["lead_organisation_name"] or "",
            count=row["count"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda each: (-each.count, each.lead))


def may_review_cases(viewer: Viewer) -> bool:
    """Whether the viewer may publish some case: asked of the publish rule with a case led by no
    one (moderators and staff) and with a case led by each organisation they hold a role in."""
    return can(viewer, "publish", Case()) or can_for_some_organisation(
        viewer, "publish", lambda organisation_id: Case(lead_organisation_id=organisation_id)
    )


# --- The task list of a case being written ----------------------------------------------------


@dataclass(frozen=True)
class Task:
    section: Section
    # "completed", "incomplete" (something review needs is missing) or "not-started".
    status: str
    # What review still needs from this section, as (field, message).
    missing: list[tuple[str, str]]


def _answered(case: Case, name: str) -> bool:
    """Whether a field or part holds an answer: a value other than empty or the model's default."""
    field = next((f for f in Case._meta.get_fields() if f.name == name), None)
    if field is None or field.one_to_many or field.many_to_many:
        return bool(getattr(case, name).exists())
    value = getattr(case, getattr(field, "attname", name))
    if value in (None, "", []):
        return False
    return bool(value != field.get_default())  # type: ignore[union-attr]


def case_task_list(case: Case) -> list[Task]:
    """Each section of a saved case with how far it has got, for the task list page."""
    missing = missing_before_review(case)
    tasks = []
    for section in SECTIONS:
        needed = [
            (name, message) for name, message in missing.items() if section_of(name) is section
        ]
        started = any(_answered(case, name) for name in (*section.fields, *section.parts))
        if needed:
            status = "incomplete" if started else "not-started"
        else:
            status = "completed" if started or not section.optional else "not-started"
        tasks.append(Task(section=section, status=status, missing=needed))
    return tasks


def library_figures() -> list[Figure]:
    """The library's figures on the home page, in two queries: what anyone may read."""
    public = visible_cases(None).public()
    return [
        Figure(label=_("Cases"), value=public.count()),
        Figure(
            label=_("Adoptions recorded"),
            value=Adoption.objects.filter(case__in=public.values("pk")).count(),
        ),
    ]
