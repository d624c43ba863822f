"""Reads of the registry that the pages, the downloads and the API share.

Each function returns a queryset or plain data with everything its callers show already joined or
prefetched, so a page costs a fixed number of queries however many names, links or rows it has.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils.translation import gettext as _

from kitbag.core.parts import Figure
from kitbag.registry import hexmap, resolver
from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    ParentLink,
    Succession,
)

logger = logging.getLogger(__name__)

COUNCIL_HEXJSON = Path("openinnovations_hexmaps") / "uk-local-authority-districts-2023.hexjson"


def listed_organisations() -> OrganisationQuerySet:
    """Organisations in list order. List rows need no joins: every column is on Organisation."""
    return Organisation.objects.order_by("name", "pk")


def matching_name(
    queryset: OrganisationQuerySet, query: str, *, kind: str | None = None
) -> OrganisationQuerySet:
    """Organisations whose names or aliases contain every word of `query`, or with it as a code.

    When the name resolver is confident, its match is included (even if no word matches, as with
    "LB Camden") and put first.
    """
    words = query.lower().split()
    if not words:
        return queryset
    by_words = Q()
    for word in words:
        # search_text is stored lower-cased, so a plain LIKE works the same on SQLite and PostgreSQL.
        by_words &= Q(search_text__contains=word)
    code = query.strip()
    by_code = Q(code__iexact=code) | Q(
        Exists(Identifier.objects.filter(organisation=OuterRef("pk"), value__iexact=code))
    )
    condition = by_words | by_code
    best = confident_match(query, kind=kind)
    if best is None:
        return queryset.filter(condition)
    return (
        queryset.filter(condition | Q(pk=best.organisation_id))
        .annotate(
            resolver_rank=Case(
                When(pk=best.organisation_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("resolver_rank", "name", "pk")
    )


def confident_match(query: str, *, kind: str | None = None) -> resolver.Match | None:
    return resolver.resolve_name(query, kind=kind, limit=1).best


@dataclass(frozen=True)
class TypeOption:
    code: str
    name: str


@dataclass(frozen=True)
class TypeGroup:
    kind: str
    label: str
    types: list[TypeOption]


def region_options() -> list[str]:
    return list(
        Organisation.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def type_options() -> list[TypeGroup]:
    """Types (classification codes) in use, grouped by kind for a select with option groups."""
    rows = (
        Organisation.objects.exclude(classification_code="")
        .order_by("kind", "classification_name", "classification_code")
        .values_list("kind", "classification_code", "classification_name")
        .distinct()
    )
    labels = dict(OrganisationKind.choices)
    groups: dict[str, TypeGroup] = {}
    seen: set[str] = set()
    for kind, code, name in rows:
        # A code can appear under two names or two kinds; the filter only knows the code.
        if code in seen:
            continue
        seen.add(code)
        group = groups.setdefault(
            kind, TypeGroup(kind=kind, label=str(labels.get(kind, kind)), types=[])
        )
        group.types.append(TypeOption(code=code, name=name or code))
    return list(groups.values())


def organisations_with_relations() -> OrganisationQuerySet:
    """Organisations with everything a detail page shows: seven queries whatever their size."""
    return Organisation.objects.prefetch_related(
        "identifiers",
        "names",
        Prefetch(
            "parent_links",
            queryset=ParentLink.objects.select_related("parent").order_by("parent__name"),
        ),
        Prefetch(
            "child_links",
            queryset=ParentLink.objects.select_related("child").order_by("child__name"),
        ),
        Prefetch(
            "predecessor_links",
            queryset=Succession.objects.select_related("predecessor").order_by(
                "date", "predecessor__name"
            ),
        ),
        Prefetch(
            "successor_links",
            queryset=Succession.objects.select_related("successor").order_by(
                "date", "successor__name"
            ),
        ),
    )


# Columns of the CSV and JSON downloads, in order.
DOWNLOAD_FIELDS = (
    "slug",
    "name",
    "short_name",
    "kind",
    "code",
    "type",
    "type_name",
    "nation",
    "region",
    "start_date",
    "end_date",
    "current",
    "website",
    "population",
    "democracy_cms",
    "democracy_url",
    "url",
)


def download_rows(queryset: OrganisationQuerySet, *, base_url: str) -> Iterator[dict[str, Any]]:
    """One dict per organisation with DOWNLOAD_FIELDS, streamed so a large list stays cheap."""
    for organisation in queryset.iterator(chunk_size=500):
        yield {
            "slug": organisation.slug,
            "name": organisation.name,
            "short_name": organisation.short_name,
            "kind": organisation.kind,
            "code": organisation.code,
            "type": organisation.classification_code,
            "type_name": organisation.classification_name,
            "nation": organisation.nation,
            "region": organisation.region,
            "start_date": organisation.start_date,
            "end_date": organisation.end_date,
            "current": organisation.is_current,
            "website": organisation.website,
            "population": organisation.population,
            "democracy_cms": organisation.democracy_cms,
            "democracy_url": organisation.democracy_url,
            "url": base_url.rstrip("/") + organisation.get_absolute_url(),
        }


@dataclass(frozen=True)
class MapArea:
    placed: hexmap.PlacedHex
    council: Organisation | None


@dataclass(frozen=True)
class CouncilRow:
    council: Organisation
    gss: str


@dataclass(frozen=True)
class LegendEntry:
    code: str  # classification code; "" for hexes with no matching council
    label: str
    count: int


@dataclass(frozen=True)
class CouncilMap:
    drawing: hexmap.HexMapDrawing | None  # None when the HexJSON file is missing or unreadable
    areas: list[MapArea]
    rows: list[CouncilRow]
    unmatched: list[hexmap.Hex]
    legend: list[LegendEntry]


def council_map() -> CouncilMap:
    """Councils joined to the hex map on GSS code (current and former codes), for the map page."""
    identifiers = (
        Identifier.objects.filter(
            scheme=IdentifierScheme.GSS, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
        )
        .select_related("organisation")
        .order_by("organisation__name", "-is_current")
    )
    by_gss = {identifier.value: identifier.organisation for identifier in identifiers}
    drawing = council_hexmap()
    if drawing is None:
        rows = sorted(
            (
                CouncilRow(council=identifier.organisation, gss=identifier.value)
                for identifier in identifiers
                if identifier.is_current and identifier.organisation.is_current
            ),
            key=_row_order,
        )
        return CouncilMap(drawing=None, areas=[], rows=rows, unmatched=[], legend=[])

    areas = [MapArea(placed=placed, council=by_gss.get(placed.hex.key)) for placed in drawing.hexes]
    rows = sorted(
        (
            CouncilRow(council=area.council, gss=area.placed.hex.key)
            for area in areas
            if area.council
        ),
        key=_row_order,
    )
    unmatched = sorted(
        (area.placed.hex for area in areas if area.council is None), key=lambda h: h.name
    )
    counts = Counter(
        (
            row.council.classification_code,
            row.council.classification_name or row.council.classification_code,
        )
        for row in rows
    )
    legend = [
        LegendEntry(code=code, label=label, count=count)
        for (code, label), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
    ]
    return CouncilMap(drawing=drawing, areas=areas, rows=rows, unmatched=unmatched, legend=legend)


def _row_order(row: CouncilRow) -> tuple[str, str]:
    return row.council.name, row.gss


_hexmap_cache: dict[Path, tuple[int, hexmap.HexMapDrawing]] = {}
_hexmap_lock = threading.Lock()


def council_hexmap() -> hexmap.HexMapDrawing | None:
    """The council hex map, laid out once per version of the file (keyed by its mtime)."""
    if not settings.KITBAG_DATA_DIR:
        return None
    path = Path(settings.KITBAG_DATA_DIR) / COUNCIL_HEXJSON
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    with _hexmap_lock:
        cached = _hexmap_cache.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            drawing = hexmap.draw(hexmap.parse_hexjson(path.read_bytes()))
        except (OSError, hexmap.HexJSONError):
            logger.exception("Cannot draw the council hex map from %s", path)
            return None
        _hexmap_cache[path] = (mtime, drawing)
        return drawing


def register_figures() -> list[Figure]:
    """The register's figure on the home page, in one query."""
    return [Figure(label=_("Public bodies"), value=Organisation.objects.current().count())]


# Links that say one body's area lies within another's. A "parent organisation" (a department
# over an agency) says nothing about geography, so it is not followed.
_AREA_RELATIONS = ("county", "combined-authority")
# Districts sit in counties, counties in combined authorities: three steps is more than enough.
_AREA_DEPTH = 3


def gss_areas_around(codes: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each GSS code, every GSS code (current or former) whose area contains it or lies
    within it, by the registry's county and combined-authority links, itself included: a county
    and a district in it overlap, two districts of one county do not. A code the registry does
    not know maps to itself alone. A fixed number of queries however many codes."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    body_of = dict(
        Identifier.objects.filter(scheme=IdentifierScheme.GSS, value__in=wanted).values_list(
            "value", "organisation_id"
        )
    )
    bodies = set(body_of.values())
    up: dict[int, set[int]] = {pk: set() for pk in bodies}
    down: dict[int, set[int]] = {pk: set() for pk in bodies}
    # Walk up from each body (its containers) and down (what it contains), never sideways: the
    # county's other districts are not in the district's area.
    for direction, found in (("up", up), ("down", down)):
        frontier = {pk: {pk} for pk in bodies}
        for _step in range(_AREA_DEPTH):
            reached = {pk for ids in frontier.values() for pk in ids}
            if not reached:
                break
            if direction == "up":
                links = ParentLink.objects.filter(
                    child_id__in=reached, relation__in=_AREA_RELATIONS
                ).values_list("child_id", "parent_id")
            else:
                links = ParentLink.objects.filter(
                    parent_id__in=reached, relation__in=_AREA_RELATIONS
                ).values_list("parent_id", "child_id")
            next_of: dict[int, set[int]] = {}
            for start, end in links:
                next_of.setdefault(start, set()).add(end)
            frontier = {
                body: {n for pk in ids for n in next_of.get(pk, ())} - found[body]
                for body, ids in frontier.items()
            }
            for body, ids in frontier.items():
                found[body] |= ids
    related = {pk: {pk} | up[pk] | down[pk] for pk in bodies}
    codes_of: dict[int, set[str]] = {}
    for organisation_id, value in Identifier.objects.filter(
        scheme=IdentifierScheme.GSS,
        organisation_id__in={pk for ids in related.values() for pk in ids},
    ).values_list("organisation_id", "value"):
        codes_of.setdefault(organisation_id, set()).add(value)
    return {
        code: frozenset(
            {code}
            | {
                value
                for pk in (related[body_of[code]] if code in body_of else ())
                for value in codes_of.get(pk, ())
            }
        )
        for code in wanted
    }
