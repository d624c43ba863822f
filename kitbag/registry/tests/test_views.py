"""Registry pages: what a person sees, what they can download, and what each page costs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from kitbag.registry import queries, resolver
from kitbag.registry.models import (
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

LIST_URL = reverse("registry:organisation_list")
MAP_URL = reverse("registry:council_map")
YESTERDAY = dt.date.today() - dt.timedelta(days=1)
# A fixed number whatever the size of the register: a council's page is the largest, seven for
# the registry and one for each section other parts add (cases led and adopted, whether it has a
# meetings calendar, its openness policies, its figures, its partnerships, its consultations, its
# events, its projects, its conversations).
MAX_QUERIES_PER_PAGE = 17


def text_of(response: Any) -> str:
    return str(response.content.decode())


def count_tags(html: str, tag: str) -> int:
    return len(re.findall(rf"<{tag}[\s>]", html))


def many_bodies() -> None:
    """120 bodies: three pages of the list, half in Wales, every tenth abolished."""
    for n in range(120):
        OrganisationFactory.create(
            name=f"Body {n:03d} Council",
            short_name=f"Body {n:03d}",
            nation="Wales" if n % 2 else "England",
            region="Wales" if n % 2 else "London",
            end_date=YESTERDAY if n % 10 == 0 else None,
        )


@pytest.mark.django_db
class TestListPage:
    def test_the_page_has_a_title_one_heading_a_count_and_labelled_filters(
        self, client: Client
    ) -> None:
        OrganisationFactory.create(name="Adur District Council", short_name="Adur")
        html = text_of(client.get(LIST_URL))
        assert "<title>Public bodies – Kitbag</title>" in html
        assert count_tags(html, "h1") == 1
        assert "1 organisation" in html
        for field in ["q", "kind", "nation", "region", "type"]:
            assert f'for="filter-{field}"' in html and f'id="filter-{field}"' in html
        assert "<legend" in html and "Apply filters" in html
        assert '<caption class="govuk-table__caption' in html
        assert 'href="/organisations/adur/"' in html

    def test_a_page_costs_at_most_ten_queries_however_many_bodies(
        self, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
    ) -> None:
        many_bodies()
        with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
            response = client.get(LIST_URL, {"q": "body", "nation": "Wales", "page": "2"})
        assert response.status_code == 200
        assert "60 organisations" in text_of(response)

    def test_fifty_bodies_per_page_with_govuk_pagination_keeping_the_filters(
        self, client: Client
    ) -> None:
        many_bodies()
        html = text_of(client.get(LIST_URL, {"nation": "England", "page": "1"}))
        assert "60 organisations" in html
        assert html.count('class="govuk-table__row"') == 50 + 1  # plus the header row
        assert 'class="govuk-pagination"' in html
        assert 'href="?nation=England&amp;page=2" rel="next"' in html
        assert 'aria-current="page"' in html

    def test_a_page_number_out_of_range_shows_the_last_page(self, client: Client) -> None:
        many_bodies()
        response = client.get(LIST_URL, {"page": "99"})
        assert response.status_code == 200
        assert "(page 3 of 3)" in text_of(response)
        assert client.get(LIST_URL, {"page": "abc"}).status_code == 200

    def test_abolished_bodies_are_tagged_in_words(self, client: Client) -> None:
        OrganisationFactory.create(
            name="Avon County Council", short_name="Avon", end_date=YESTERDAY
        )
        assert "Abolished" in text_of(client.get(LIST_URL))

    @pytest.mark.parametrize(
        "params,field",
        [
            ({"kind": "council"}, "kind"),
            ({"current": "maybe"}, "current"),
            ({"nation": "Narnia"}, "nation"),
        ],
    )
    def test_bad_parameters_show_an_error_summary_and_are_ignored(
        self, client: Client, params: dict[str, str], field: str
    ) -> None:
        OrganisationFactory.create_batch(2)
        response = client.get(LIST_URL, params)
        html = text_of(response)
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert f'href="#filter-{field}"' in html
        assert "<title>Error: Public bodies" in html
        assert "2 organisations" in html

    def test_no_results_says_so(self, client: Client) -> None:
        html = text_of(client.get(LIST_URL, {"q": "nothing like this"}))
        assert "0 organisations" in html
        assert "No public bodies match these filters." in html

    def test_filter_choices_come_from_the_register(self, client: Client) -> None:
        OrganisationFactory.create(
            classification_code="LBO", classification_name="London borough", region="London"
        )
        html = text_of(client.get(LIST_URL, {"type": "LBO", "region": "London"}))
        assert '<option value="London" selected>London</option>' in html
        assert '<option value="LBO" selected>London borough</option>' in html
        assert '<optgroup label="Local authority">' in html

    def test_download_links_carry_the_filters_but_not_the_page(self, client: Client) -> None:
        many_bodies()
        html = text_of(client.get(LIST_URL, {"nation": "Wales", "page": "2"}))
        assert 'href="/organisations/download.csv?nation=Wales"' in html
        assert 'href="/organisations/download.json?nation=Wales"' in html


@pytest.mark.django_db
def test_a_confident_resolver_match_is_listed_first(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    camden = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
    OrganisationFactory.create(
        name="Aardvark Camden Trust", short_name="", kind=OrganisationKind.OTHER
    )

    def resolve(name: str, *, kind: str | None = None, limit: int = 5) -> resolver.Resolution:
        return resolver.Resolution(
            query=name,
            best=resolver.Match(camden.pk, camden.slug, camden.code, camden.kind, camden.name, 0.9),
        )

    monkeypatch.setattr(resolver, "resolve_name", resolve)
    html = text_of(client.get(LIST_URL, {"q": "camden"}))
    assert html.index("London Borough of Camden") < html.index("Aardvark Camden Trust")


@pytest.mark.django_db
class TestDownloads:
    def page_slugs(self, client: Client, params: dict[str, str]) -> list[str]:
        slugs: list[str] = []
        for page in range(1, 10):
            html = text_of(client.get(LIST_URL, {**params, "page": str(page)}))
            slugs += re.findall(r'<a class="govuk-link" href="/organisations/([\w-]+)/">', html)
            if 'rel="next"' not in html:
                return slugs
        raise AssertionError("too many pages")

    @pytest.mark.parametrize(
        "params", [{}, {"nation": "Wales"}, {"q": "body 1", "current": "true"}]
    )
    def test_csv_holds_exactly_the_filtered_list_across_every_page(
        self, client: Client, params: dict[str, str]
    ) -> None:
        many_bodies()
        response = client.get(reverse("registry:organisation_download_csv"), params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(content)))
        assert tuple(rows[0]) == queries.DOWNLOAD_FIELDS
        assert [row["slug"] for row in rows] == self.page_slugs(client, params)

    @pytest.mark.parametrize("params", [{}, {"nation": "England", "current": "false"}])
    def test_json_holds_exactly_the_filtered_list_across_every_page(
        self, client: Client, params: dict[str, str]
    ) -> None:
        many_bodies()
        response = client.get(reverse("registry:organisation_download_json"), params)
        data = json.loads(response.content)
        assert data["count"] == len(data["results"])
        assert [row["slug"] for row in data["results"]] == self.page_slugs(client, params)

    def test_csv_cells_that_a_spreadsheet_would_run_are_defused(self, client: Client) -> None:
        OrganisationFactory.create(
            name='=HYPERLINK("http://evil")', short_name="", slug="evil", kind="other"
        )
        response = client.get(reverse("registry:organisation_download_csv"))
        content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        (row,) = csv.DictReader(io.StringIO(content))
        assert row["name"].startswith("'=")

    def test_a_download_costs_a_fixed_number_of_queries(
        self, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
    ) -> None:
        many_bodies()
        with django_assert_max_num_queries(3):
            response = client.get(reverse("registry:organisation_download_csv"))
            b"".join(response.streaming_content)  # type: ignore[attr-defined]


def write_hexjson(directory: Path, hexes: dict[str, dict[str, object]]) -> None:
    path = directory / queries.COUNCIL_HEXJSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))


@pytest.mark.django_db
class TestCouncilMapPage:
    @pytest.fixture
    def data_dir(self, tmp_path: Path, settings: Any) -> Path:
        settings.KITBAG_DATA_DIR = str(tmp_path)
        return tmp_path

    def test_each_hex_links_to_its_council_with_a_name_and_the_table_lists_them(
        self, client: Client, data_dir: Path, django_assert_max_num_queries: DjangoAssertNumQueries
    ) -> None:
        camden = OrganisationFactory.create(
            name="London Borough of Camden",
            short_name="Camden",
            classification_code="LBO",
            classification_name="London borough",
            region="London",
        )
        IdentifierFactory.create(
            organisation=camden, scheme=IdentifierScheme.GSS, value="E09000007"
        )
        write_hexjson(
            data_dir,
            {
                "E09000007": {"n": "Camden", "q": 0, "r": 0},
                "E07000999": {"n": "Nowhere", "q": 1, "r": 0},
            },
        )
        with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
            response = client.get(MAP_URL)
        html = text_of(response)
        assert count_tags(html, "h1") == 1
        assert '<title id="hexmap-title">' in html and "<desc" in html
        assert (
            '<a href="/organisations/camden/" aria-label="London Borough of Camden (London borough)">'
            in html
        )
        assert 'class="kitbag-hex kitbag-hex--lbo"' in html
        assert 'class="kitbag-hex kitbag-hex--unmatched"' in html
        assert "Areas with no matching council" in html and "E07000999" in html
        assert "London borough (1)" in html  # the legend says it in words
        assert 'id="council-table"' in html and 'scope="col"' in html
        assert html.count("<polygon") == 2

    def test_without_the_hex_file_the_table_and_a_message_are_shown(
        self, client: Client, data_dir: Path
    ) -> None:
        adur = OrganisationFactory.create(name="Adur District Council", short_name="Adur")
        IdentifierFactory.create(organisation=adur, scheme=IdentifierScheme.GSS, value="E07000223")
        response = client.get(MAP_URL)
        html = text_of(response)
        assert response.status_code == 200
        assert '<svg class="kitbag-hexmap"' not in html
        assert "hex layout file is missing" in html
        assert "Adur District Council" in html


@pytest.mark.django_db
class TestDetailPage:
    @pytest.fixture
    def cardiff(self) -> Organisation:
        cardiff = OrganisationFactory.create(
            name="Cardiff Council",
            short_name="Cardiff",
            code="CRF",
            classification_code="WPA",
            classification_name="Welsh unitary authority",
            nation="Wales",
            region="Wales",
            start_date=dt.date(1996, 4, 1),
            website="https://www.cardiff.gov.uk",
            population=369202,
            democracy_cms="ModernGov",
            democracy_url="https://cardiff.moderngov.co.uk",
        )
        IdentifierFactory.create(
            organisation=cardiff, scheme=IdentifierScheme.LOCAL_AUTHORITY_CODE, value="CRF"
        )
        IdentifierFactory.create(
            organisation=cardiff, scheme=IdentifierScheme.GSS, value="W06000015"
        )
        IdentifierFactory.create(
            organisation=cardiff, scheme=IdentifierScheme.GSS, value="W05000001", is_current=False
        )
        OrganisationNameFactory.create(
            organisation=cardiff, name="Cardiff Council", is_official=True
        )
        OrganisationNameFactory.create(organisation=cardiff, name="Cyngor Caerdydd", language="cy")
        return cardiff

    def test_the_page_gathers_names_codes_type_place_and_links(
        self, client: Client, cardiff: Organisation
    ) -> None:
        html = text_of(client.get(cardiff.get_absolute_url()))
        assert "<title>Cardiff Council – Kitbag</title>" in html
        assert count_tags(html, "h1") == 1
        assert 'class="govuk-breadcrumbs"' in html
        assert '<td class="govuk-table__cell" lang="cy">Cyngor Caerdydd</td>' in html
        assert "Welsh" in html  # the language of the alias, in words
        assert "ONS GSS code" in html and "W06000015" in html and "W05000001" in html
        assert "Former" in html
        assert "Welsh unitary authority" in html
        assert "369,202" in html
        assert 'href="https://cardiff.moderngov.co.uk"' in html and "Meetings website" in html
        assert 'href="https://www.cardiff.gov.uk"' in html
        # Each part fills its own section (kitbag/core/page_sections.py): one openness section,
        # and no heading for a part that has nothing (issue 16).
        assert 'id="cases">Innovation cases</h2>' in html
        assert html.count(">Meeting openness</h2>") == 1
        assert "Nothing yet." not in html
        for missing in ["Consultations", "Partnerships"]:
            assert f">{missing}</h2>" not in html
        assert 'href="/api/v1/organisations/cardiff"' in html

    def test_the_page_carries_schema_org_json_ld(
        self, client: Client, cardiff: Organisation
    ) -> None:
        html = text_of(client.get(cardiff.get_absolute_url()))
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert match is not None
        data = json.loads(match.group(1))
        assert data["@type"] == "GovernmentOrganization"
        assert data["name"] == "Cardiff Council"
        assert "Cyngor Caerdydd" in data["alternateName"]
        assert {"W06000015", "CRF"} <= {i["value"] for i in data["identifier"]}
        assert data["foundingDate"] == "1996-04-01"

    def test_json_ld_cannot_close_its_script_element(self, client: Client) -> None:
        body = OrganisationFactory.create(
            name="Evil </script><script>alert(1)</script>", slug="evil"
        )
        html = text_of(client.get(body.get_absolute_url()))
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert ld is not None and "<" not in ld.group(1)
        assert json.loads(ld.group(1))["name"] == body.name

    def test_parents_children_and_history_with_dates(
        self, client: Client, cardiff: Organisation
    ) -> None:
        county = OrganisationFactory.create(
            name="South Glamorgan County Council",
            short_name="South Glamorgan",
            end_date=dt.date(1996, 3, 31),
        )
        Succession.objects.create(predecessor=county, successor=cardiff, date=dt.date(1996, 4, 1))
        region = OrganisationFactory.create(
            name="Cardiff Capital Region", short_name="", classification_code="COMB"
        )
        ParentLink.objects.create(
            child=cardiff, parent=region, relation=ParentRelation.COMBINED_AUTHORITY
        )
        html = text_of(client.get(cardiff.get_absolute_url()))
        assert "South Glamorgan County Council" in html and "1 April 1996" in html
        assert "Combined authority" in html and "Cardiff Capital Region" in html

        county_html = text_of(client.get(county.get_absolute_url()))
        assert "Abolished" in county_html and "31 March 1996" in county_html
        assert "Replaced by" in county_html and 'href="/organisations/cardiff/"' in county_html

        region_html = text_of(client.get(region.get_absolute_url()))
        assert "Members of this combined authority" in region_html

    def test_the_query_count_does_not_grow_with_aliases_or_children(
        self,
        client: Client,
        cardiff: Organisation,
        django_assert_num_queries: DjangoAssertNumQueries,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    ) -> None:
        # Seven for the registry, two for the cases section (cases led, cases adopted), one for
        # the meetings section (has the council a calendar?), one for the meeting openness
        # section (the council's current policies), one for the performance section (the body's
        # figures; their peers only when it has some), one for the partnerships section (the
        # partnerships it is in that the reader may see), one for the consultations section (its
        # consultations; none, so no answer rate is counted), one for the events section (its
        # upcoming events), one for the projects section (the projects the reader may see; none,
        # so nothing is prefetched), one for the conversations section (its conversations, each
        # with its participants counted in the same query).
        with django_assert_num_queries(17):
            client.get(cardiff.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):  # as if committed
            for n in range(10):
                OrganisationNameFactory.create(organisation=cardiff, name=f"Alias {n}")
                child = OrganisationFactory.create(name=f"Child {n}", short_name="")
                ParentLink.objects.create(
                    child=child, parent=cardiff, relation=ParentRelation.PARENT_ORGANISATION
                )
        with django_assert_num_queries(17):
            client.get(cardiff.get_absolute_url())

    def test_an_unknown_slug_is_not_found(self, client: Client) -> None:
        response = client.get("/organisations/no-such-body/")
        assert response.status_code == 404


@pytest.mark.integration
@pytest.mark.django_db
def test_the_real_register_joins_the_map_and_keeps_pages_cheap(
    client: Client,
    real_data_dir: Path,
    settings: Any,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    settings.KITBAG_DATA_DIR = str(real_data_dir)
    call_command("import_registry", data_dir=str(real_data_dir))
    assert Organisation.objects.councils().count() > 400

    council_map = queries.council_map()
    assert council_map.drawing is not None
    matched = [area for area in council_map.areas if area.council is not None]
    assert len(matched) >= 0.95 * len(council_map.areas)
    assert len(council_map.rows) == len(matched)

    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = client.get(MAP_URL)
    assert response.status_code == 200

    params_list: list[dict[str, str]] = [
        {},
        {"q": "Bristol"},
        {"kind": "local-authority", "current": "false"},
        {"page": "5"},
    ]
    for params in params_list:
        with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
            response = client.get(LIST_URL, params)
        assert response.status_code == 200

    council = Organisation.objects.councils().filter(child_links__isnull=False).first()
    assert council is not None
    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = client.get(council.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_real_resolver_puts_the_body_a_messy_name_means_first(client: Client) -> None:
    OrganisationFactory.create(name="London Borough of Camden", short_name="Camden", code="CMD")
    OrganisationFactory.create(name="Camden Lock Trust", short_name="", kind=OrganisationKind.OTHER)
    html = text_of(client.get(LIST_URL, {"q": "LB Camden"}))
    assert "1 organisation" in html
    assert "London Borough of Camden" in html
