"""Registry reads shared by the pages, the downloads and the API."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from kitbag.registry import queries, resolver
from kitbag.registry.filters import OrganisationFilter
from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    ParentLink,
    ParentRelation,
    Succession,
)
from kitbag.registry.tests.factories import (
    IdentifierFactory,
    OrganisationFactory,
    OrganisationNameFactory,
)

pytestmark = pytest.mark.django_db

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def resolver_says(monkeypatch: pytest.MonkeyPatch) -> Callable[[Organisation | None], None]:
    def configure(organisation: Organisation | None) -> None:
        def resolve(name: str, *, kind: str | None = None, limit: int = 5) -> resolver.Resolution:
            if organisation is None:
                return resolver.Resolution(query=name, best=None)
            match = resolver.Match(
                organisation_id=organisation.pk,
                slug=organisation.slug,
                code=organisation.code,
                kind=organisation.kind,
                name=organisation.name,
                score=0.95,
            )
            return resolver.Resolution(query=name, best=match)

        monkeypatch.setattr(resolver, "resolve_name", resolve)

    return configure


def filtered(**params: str) -> list[str]:
    return [o.slug for o in OrganisationFilter(params, queryset=queries.listed_organisations()).qs]


class TestNameSearch:
    def test_every_word_must_appear_in_a_name_or_alias(self) -> None:
        OrganisationFactory.create(name="Bristol City Council", short_name="Bristol")
        OrganisationFactory.create(name="Bristol Water", short_name="", kind=OrganisationKind.OTHER)
        OrganisationFactory.create(name="City of London Corporation", short_name="City of London")
        assert filtered(q="bristol city") == ["bristol"]
        assert filtered(q="BRISTOL") == ["bristol", "bristol-water"]

    def test_aliases_are_found_through_search_text(self) -> None:
        cardiff = OrganisationFactory.create(
            name="Cardiff Council",
            short_name="Cardiff",
            search_text="cardiff council cardiff cyngor caerdydd",
        )
        OrganisationNameFactory.create(organisation=cardiff, name="Cyngor Caerdydd", language="cy")
        assert filtered(q="Cyngor Caerdydd") == ["cardiff"]

    def test_any_identifier_or_the_primary_code_finds_a_body(self) -> None:
        camden = OrganisationFactory.create(
            name="London Borough of Camden", short_name="Camden", code="CMD"
        )
        IdentifierFactory.create(
            organisation=camden, scheme=IdentifierScheme.GSS, value="E09000007"
        )
        IdentifierFactory.create(
            organisation=camden, scheme=IdentifierScheme.GSS, value="E05000001", is_current=False
        )
        OrganisationFactory.create(name="Other Council", short_name="Other")
        assert filtered(q="cmd") == ["camden"]
        assert filtered(q="e09000007") == ["camden"]
        assert filtered(q="E05000001") == ["camden"]

    def test_blank_search_lists_everything(self) -> None:
        OrganisationFactory.create_batch(3)
        assert len(filtered(q="   ")) == 3


class TestResolverInSearch:
    def test_a_confident_resolver_match_comes_first_even_without_matching_words(
        self, resolver_says: Callable[[Organisation | None], None]
    ) -> None:
        camden = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
        OrganisationFactory.create(
            name="Camden Lock Trust", short_name="", kind=OrganisationKind.OTHER
        )
        resolver_says(camden)
        assert filtered(q="LB Camden") == ["camden"]
        assert filtered(q="camden")[0] == "camden"

    def test_other_filters_still_apply_to_the_resolver_match(
        self, resolver_says: Callable[[Organisation | None], None]
    ) -> None:
        camden = OrganisationFactory.create(
            name="London Borough of Camden", short_name="Camden", nation="England"
        )
        resolver_says(camden)
        assert filtered(q="LB Camden", nation="Wales") == []

    def test_no_confident_match_leaves_plain_word_search(
        self, resolver_says: Callable[[Organisation | None], None]
    ) -> None:
        OrganisationFactory.create(name="Zeta Council", short_name="Zeta")
        OrganisationFactory.create(name="Alpha Zeta Council", short_name="Alpha Zeta")
        resolver_says(None)
        assert filtered(q="zeta") == ["alpha-zeta", "zeta"]

    def test_the_resolver_is_asked_within_the_chosen_kind(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        asked: list[str | None] = []

        def resolve(name: str, *, kind: str | None = None, limit: int = 5) -> resolver.Resolution:
            asked.append(kind)
            return resolver.Resolution(query=name, best=None)

        monkeypatch.setattr(resolver, "resolve_name", resolve)
        filtered(q="Bristol", kind="nhs-trust")
        assert asked == ["nhs-trust"]


class TestFilters:
    @pytest.fixture(autouse=True)
    def bodies(self) -> None:
        OrganisationFactory.create(
            name="Adur District Council",
            short_name="Adur",
            classification_code="NMD",
            region="South East",
        )
        OrganisationFactory.create(
            name="Cardiff Council",
            short_name="Cardiff",
            classification_code="WPA",
            nation="Wales",
            region="Wales",
        )
        OrganisationFactory.create(
            name="Avon County Council",
            short_name="Avon",
            classification_code="CTY",
            end_date=YESTERDAY,
        )
        OrganisationFactory.create(
            name="Gwent Police",
            short_name="",
            slug="gwent",
            kind=OrganisationKind.POLICE_FORCE,
            classification_code="",
            nation="Wales",
            region="",
        )

    def test_kind(self) -> None:
        assert filtered(kind="police-force") == ["gwent"]

    def test_nation(self) -> None:
        assert filtered(nation="Wales") == ["cardiff", "gwent"]

    def test_region(self) -> None:
        assert filtered(region="South East") == ["adur", "avon"]

    def test_type_is_the_classification_code(self) -> None:
        assert filtered(type="WPA") == ["cardiff"]

    def test_current_and_former(self) -> None:
        assert filtered(current="true") == ["adur", "cardiff", "gwent"]
        assert filtered(current="false") == ["avon"]

    def test_a_body_ending_in_the_future_is_still_current(self) -> None:
        OrganisationFactory.create(
            name="Zed Council", short_name="Zed", end_date=dt.date.today() + dt.timedelta(days=30)
        )
        assert "zed" in filtered(current="true")

    def test_filters_combine(self) -> None:
        assert filtered(nation="Wales", kind="local-authority", current="true") == ["cardiff"]

    @pytest.mark.parametrize(
        "params", [{"kind": "council"}, {"nation": "Narnia"}, {"current": "maybe"}]
    )
    def test_invalid_values_are_errors_and_are_ignored(self, params: dict[str, str]) -> None:
        filters = OrganisationFilter(params, queryset=queries.listed_organisations())
        assert not filters.is_valid()
        assert set(filters.errors) == set(params)
        assert len(filters.qs) == 4

    def test_region_options_are_distinct_and_sorted(self) -> None:
        assert queries.region_options() == ["South East", "Wales"]

    def test_type_options_are_grouped_by_kind(self) -> None:
        groups = queries.type_options()
        assert [g.kind for g in groups] == ["local-authority"]
        assert [t.code for t in groups[0].types] == ["CTY", "NMD", "WPA"]


class TestDetail:
    def test_a_body_with_everything_costs_the_same_queries_as_a_bare_one(
        self, django_assert_num_queries: DjangoAssertNumQueries
    ) -> None:
        bare = OrganisationFactory.create(name="Bare Council", short_name="Bare")
        full = OrganisationFactory.create(name="Full Council", short_name="Full")
        for n in range(5):
            IdentifierFactory.create(organisation=full, value=f"F{n}")
            OrganisationNameFactory.create(organisation=full, name=f"Full alias {n}")
            child = OrganisationFactory.create(name=f"Child {n} Council", short_name=f"Child {n}")
            ParentLink.objects.create(child=child, parent=full, relation=ParentRelation.COUNTY)
            parent = OrganisationFactory.create(
                name=f"Parent {n} Council", short_name=f"Parent {n}"
            )
            ParentLink.objects.create(child=full, parent=parent, relation=ParentRelation.COUNTY)
            old = OrganisationFactory.create(name=f"Old {n} Council", short_name=f"Old {n}")
            Succession.objects.create(predecessor=old, successor=full, date=dt.date(2009, 4, 1))
            new = OrganisationFactory.create(name=f"New {n} Council", short_name=f"New {n}")
            Succession.objects.create(predecessor=full, successor=new)

        def touch_everything(slug: str) -> Organisation:
            organisation = queries.organisations_with_relations().get(slug=slug)
            list(organisation.identifiers.all())
            list(organisation.names.all())
            [link.parent.name for link in organisation.parent_links.all()]
            [link.child.name for link in organisation.child_links.all()]
            [link.predecessor.name for link in organisation.predecessor_links.all()]
            [link.successor.name for link in organisation.successor_links.all()]
            return organisation

        with CaptureQueriesContext(connection) as bare_queries:
            touch_everything(bare.slug)
        with CaptureQueriesContext(connection) as full_queries:
            loaded = touch_everything(full.slug)
        assert len(full_queries) == len(bare_queries) == 7
        assert len(loaded.child_links.all()) == 5


def test_download_rows_carry_every_column_with_an_absolute_link() -> None:
    OrganisationFactory.create(
        name="Adur District Council",
        short_name="Adur",
        code="ADU",
        population=64301,
        end_date=YESTERDAY,
        democracy_cms="ModernGov",
        democracy_url="https://democracy.adur-worthing.gov.uk",
    )
    (row,) = queries.download_rows(
        queries.listed_organisations(), base_url="https://kitbag.example/"
    )
    assert tuple(row) == queries.DOWNLOAD_FIELDS
    assert row["code"] == "ADU"
    assert row["current"] is False
    assert row["democracy_cms"] == "ModernGov"
    assert row["url"] == "https://kitbag.example/organisations/adur/"


@pytest.fixture
def hexjson_dir(tmp_path: Path, settings: object) -> Path:
    settings.KITBAG_DATA_DIR = str(tmp_path)  # type: ignore[attr-defined]
    (tmp_path / queries.COUNCIL_HEXJSON).parent.mkdir(parents=True)
    return tmp_path


def write_hexjson(directory: Path, hexes: dict[str, dict[str, object]]) -> Path:
    path = directory / queries.COUNCIL_HEXJSON
    path.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))
    return path


class TestCouncilMap:
    def test_hexes_join_councils_on_current_and_former_gss_codes(self, hexjson_dir: Path) -> None:
        camden = OrganisationFactory.create(
            name="London Borough of Camden",
            short_name="Camden",
            classification_code="LBO",
            classification_name="London borough",
        )
        IdentifierFactory.create(
            organisation=camden, scheme=IdentifierScheme.GSS, value="E09000007"
        )
        fife = OrganisationFactory.create(
            name="Fife Council",
            short_name="Fife",
            classification_code="SCO",
            classification_name="Scottish unitary authority",
            nation="Scotland",
        )
        IdentifierFactory.create(organisation=fife, scheme=IdentifierScheme.GSS, value="S12000047")
        IdentifierFactory.create(
            organisation=fife, scheme=IdentifierScheme.GSS, value="S12000015", is_current=False
        )
        write_hexjson(
            hexjson_dir,
            {
                "E09000007": {"n": "Camden", "q": 0, "r": 0},
                "S12000015": {"n": "Fife", "q": 1, "r": 5},
                "E07000999": {"n": "Nowhere", "q": 2, "r": 0},
            },
        )
        council_map = queries.council_map()
        assert council_map.drawing is not None
        joined = {area.placed.hex.key: area.council for area in council_map.areas}
        assert joined == {"E09000007": camden, "S12000015": fife, "E07000999": None}
        assert [row.council for row in council_map.rows] == [fife, camden]
        assert [h.key for h in council_map.unmatched] == ["E07000999"]
        assert [(e.code, e.label, e.count) for e in council_map.legend] == [
            ("LBO", "London borough", 1),
            ("SCO", "Scottish unitary authority", 1),
        ]

    def test_the_map_page_data_costs_one_query(
        self, hexjson_dir: Path, django_assert_num_queries: DjangoAssertNumQueries
    ) -> None:
        for n in range(5):
            IdentifierFactory.create(scheme=IdentifierScheme.GSS, value=f"E0700000{n}")
        write_hexjson(hexjson_dir, {f"E0700000{n}": {"q": n, "r": 0} for n in range(5)})
        with django_assert_num_queries(1):
            council_map = queries.council_map()
            [row.council.name for row in council_map.rows]
        assert len(council_map.rows) == 5

    def test_a_missing_file_gives_no_drawing_and_lists_current_councils(
        self, hexjson_dir: Path
    ) -> None:
        current = OrganisationFactory.create(name="Adur District Council", short_name="Adur")
        IdentifierFactory.create(
            organisation=current, scheme=IdentifierScheme.GSS, value="E07000223"
        )
        former = OrganisationFactory.create(
            name="Avon County Council", short_name="Avon", end_date=YESTERDAY
        )
        IdentifierFactory.create(
            organisation=former, scheme=IdentifierScheme.GSS, value="E10000001"
        )
        council_map = queries.council_map()
        assert council_map.drawing is None
        assert [row.council for row in council_map.rows] == [current]

    def test_an_unreadable_file_is_treated_as_missing(self, hexjson_dir: Path) -> None:
        (hexjson_dir / queries.COUNCIL_HEXJSON).write_text("{not json")
        assert queries.council_hexmap() is None

    def test_the_layout_is_cached_until_the_file_changes(self, hexjson_dir: Path) -> None:
        path = write_hexjson(hexjson_dir, {"A": {"q": 0, "r": 0}})
        first = queries.council_hexmap()
        assert queries.council_hexmap() is first
        write_hexjson(hexjson_dir, {"A": {"q": 0, "r": 0}, "B": {"q": 1, "r": 0}})
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        second = queries.council_hexmap()
        assert second is not first
        assert second is not None and len(second.hexes) == 2


def _area_body(name: str, gss: str, *, former: str = "") -> Organisation:
    body = OrganisationFactory.create(name=name)
    Identifier.objects.create(organisation=body, scheme=IdentifierScheme.GSS, value=gss)
    if former:
        Identifier.objects.create(
            organisation=body, scheme=IdentifierScheme.GSS, value=former, is_current=False
        )
    return body


def test_gss_areas_around_follow_county_and_combined_authority_links_never_sideways(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    region = _area_body("West of England Combined Authority", "E47000009")
    county = _area_body("Devon County Council", "E10000008")
    mid_devon = _area_body("Mid Devon District Council", "E07000042", former="E07000999")
    exeter = _area_body("Exeter City Council", "E07000041")
    department = _area_body("A Government Department", "E99999999")
    for district in (mid_devon, exeter):
        ParentLink.objects.create(child=district, parent=county, relation="county")
    ParentLink.objects.create(child=county, parent=region, relation="combined-authority")
    # Not a geographic link: a parent organisation says nothing about areas.
    ParentLink.objects.create(child=mid_devon, parent=department, relation="parent-organisation")
    with django_assert_max_num_queries(8):
        around = queries.gss_areas_around(["e07000042", "E10000008", "E12345678"])
    # A district: itself (current and former codes), its county and the county's authority.
    assert around["E07000042"] == {"E07000042", "E07000999", "E10000008", "E47000009"}
    # A county: itself, what contains it and what it contains.
    assert around["E10000008"] == {"E10000008", "E47000009", "E07000042", "E07000999", "E07000041"}
    # A code the registry does not know stands for itself alone.
    assert around["E12345678"] == {"E12345678"}
    # Two districts of one county do not contain each other.
    assert "E07000041" not in around["E07000042"]
