"""The organisations API: same filters as the page, one pagination shape, read-only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

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

pytestmark = pytest.mark.django_db


LIST_URL = "/api/v1/organisations"
RESOLVE_URL = "/api/v1/organisations/resolve"
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def many_bodies(count: int = 120) -> None:
    for n in range(count):
        OrganisationFactory.create(
            name=f"Body {n:03d} Council",
            short_name=f"Body {n:03d}",
            nation="Wales" if n % 2 else "England",
            classification_code="WPA" if n % 2 else "NMD",
            end_date=YESTERDAY if n % 10 == 0 else None,
        )


def all_api_slugs(client: Client, params: dict[str, str]) -> list[str]:
    slugs: list[str] = []
    url: str | None = LIST_URL + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    while url:
        data = client.get(url).json()
        slugs += [row["slug"] for row in data["results"]]
        url = data["next"]
    return slugs


class TestList:
    def test_every_list_has_count_next_previous_and_results(self, client: Client) -> None:
        many_bodies()
        data = client.get(LIST_URL, {"page": 2}).json()
        assert list(data) == ["count", "next", "previous", "results"]
        assert data["count"] == 120
        assert len(data["results"]) == 50
        assert data["next"].endswith("/api/v1/organisations?page=3")
        assert data["previous"].endswith("/api/v1/organisations")

    def test_page_size_goes_up_to_a_thousand(self, client: Client) -> None:
        many_bodies(30)
        assert len(client.get(LIST_URL, {"page_size": 7}).json()["results"]) == 7
        assert len(client.get(LIST_URL, {"page_size": 5000}).json()["results"]) == 30

    def test_a_page_past_the_end_is_not_found(self, client: Client) -> None:
        many_bodies(3)
        assert client.get(LIST_URL, {"page": 9}).status_code == 404

    def test_rows_describe_the_body_and_link_to_it(self, client: Client) -> None:
        OrganisationFactory.create(
            name="Adur District Council",
            short_name="Adur",
            code="ADU",
            classification_code="NMD",
            classification_name="Non-metropolitan district",
        )
        (row,) = client.get(LIST_URL).json()["results"]
        assert row["slug"] == "adur"
        assert row["type"] == "NMD"
        assert row["type_name"] == "Non-metropolitan district"
        assert row["current"] is True
        assert row["url"] == "http://testserver/api/v1/organisations/adur"
        assert row["html_url"] == "http://testserver/organisations/adur/"

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"nation": "Wales"},
            {"type": "NMD", "current": "false"},
            {"q": "body 01"},
            {"kind": "police-force"},
            {"region": "South East", "current": "true"},
        ],
    )
    def test_filters_give_exactly_what_the_page_and_its_download_give(
        self, client: Client, params: dict[str, str]
    ) -> None:
        many_bodies()
        response = client.get(reverse("registry:organisation_download_csv"), params)
        content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        page_slugs = [row["slug"] for row in csv.DictReader(io.StringIO(content))]
        assert all_api_slugs(client, params) == page_slugs

    @pytest.mark.parametrize(
        "params,field",
        [
            ({"kind": "council"}, "kind"),
            ({"current": "maybe"}, "current"),
            ({"nation": "Narnia"}, "nation"),
        ],
    )
    def test_an_unknown_value_is_a_400_that_names_the_parameter(
        self, client: Client, params: dict[str, str], field: str
    ) -> None:
        response = client.get(LIST_URL, params)
        assert response.status_code == 400
        assert field in response.json()

    def test_a_page_costs_a_fixed_number_of_queries(
        self, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
    ) -> None:
        many_bodies()
        with django_assert_max_num_queries(2):
            client.get(LIST_URL, {"nation": "Wales", "page_size": "1000"})

    def test_the_api_is_read_only(self, client: Client) -> None:
        assert client.post(LIST_URL, {"name": "New Council"}).status_code == 405
        OrganisationFactory.create(name="Adur District Council", short_name="Adur")
        assert client.delete(f"{LIST_URL}/adur").status_code == 405
        assert Organisation.objects.count() == 1

    def test_addresses_have_no_trailing_slash(self, client: Client) -> None:
        assert client.get(LIST_URL).status_code == 200
        assert client.get(LIST_URL + "/").status_code == 404


class TestDetail:
    @pytest.fixture
    def cardiff(self) -> Organisation:
        cardiff = OrganisationFactory.create(
            name="Cardiff Council",
            short_name="Cardiff",
            code="CRF",
            nation="Wales",
            democracy_cms="ModernGov",
            democracy_url="https://cardiff.moderngov.co.uk",
        )
        IdentifierFactory.create(
            organisation=cardiff, scheme=IdentifierScheme.GSS, value="W06000015"
        )
        IdentifierFactory.create(
            organisation=cardiff, scheme=IdentifierScheme.GSS, value="W05000001", is_current=False
        )
        OrganisationNameFactory.create(organisation=cardiff, name="Cyngor Caerdydd", language="cy")
        region = OrganisationFactory.create(name="Cardiff Capital Region", short_name="")
        ParentLink.objects.create(
            child=cardiff, parent=region, relation=ParentRelation.COMBINED_AUTHORITY
        )
        child = OrganisationFactory.create(
            name="Cardiff Harbour Authority", short_name="", kind="other"
        )
        ParentLink.objects.create(
            child=child, parent=cardiff, relation=ParentRelation.PARENT_ORGANISATION
        )
        county = OrganisationFactory.create(
            name="South Glamorgan County Council",
            short_name="South Glamorgan",
            end_date=dt.date(1996, 3, 31),
        )
        Succession.objects.create(predecessor=county, successor=cardiff, date=dt.date(1996, 4, 1))
        return cardiff

    def test_the_record_has_codes_names_links_history_and_democracy_system(
        self, client: Client, cardiff: Organisation
    ) -> None:
        data = client.get(f"{LIST_URL}/cardiff").json()
        assert data["name"] == "Cardiff Council"
        assert {
            "scheme": "gss",
            "scheme_label": "ONS GSS code",
            "value": "W05000001",
            "current": False,
        } in data["identifiers"]
        assert {
            "name": "Cyngor Caerdydd",
            "language": "cy",
            "official": False,
            "source": "test",
        } in data["names"]
        assert data["parents"][0]["relation"] == "combined-authority"
        assert data["parents"][0]["organisation"]["slug"] == "cardiff-capital-region"
        assert data["children"][0]["organisation"]["name"] == "Cardiff Harbour Authority"
        assert data["predecessors"] == [
            {
                "date": "1996-04-01",
                "organisation": {
                    "slug": "south-glamorgan",
                    "name": "South Glamorgan County Council",
                    "kind": "local-authority",
                    "code": data["predecessors"][0]["organisation"]["code"],
                    "current": False,
                    "url": "http://testserver/api/v1/organisations/south-glamorgan",
                    "html_url": "http://testserver/organisations/south-glamorgan/",
                },
            }
        ]
        assert data["successors"] == []
        assert data["democracy_system"] == {
            "cms": "ModernGov",
            "url": "https://cardiff.moderngov.co.uk",
        }

    def test_no_democracy_system_is_null(self, client: Client) -> None:
        OrganisationFactory.create(
            name="Gwent Police", short_name="", slug="gwent", kind="police-force"
        )
        assert client.get(f"{LIST_URL}/gwent").json()["democracy_system"] is None

    def test_the_query_count_does_not_grow_with_the_record(
        self,
        client: Client,
        cardiff: Organisation,
        django_assert_num_queries: DjangoAssertNumQueries,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    ) -> None:
        with django_assert_num_queries(7):
            client.get(f"{LIST_URL}/cardiff")
        with django_capture_on_commit_callbacks(execute=True):  # as if committed
            for n in range(10):
                OrganisationNameFactory.create(organisation=cardiff, name=f"Alias {n}")
                IdentifierFactory.create(organisation=cardiff, value=f"C{n}")
        with django_assert_num_queries(7):
            client.get(f"{LIST_URL}/cardiff")

    def test_an_unknown_slug_is_a_404(self, client: Client) -> None:
        response = client.get(f"{LIST_URL}/no-such-body")
        assert response.status_code == 404
        assert "detail" in response.json()


class TestResolve:
    @pytest.fixture(autouse=True)
    def register(self) -> None:
        camden = OrganisationFactory.create(
            name="London Borough of Camden",
            short_name="Camden",
            code="CMD",
            classification_code="LBO",
        )
        OrganisationNameFactory.create(organisation=camden, name="Camden Council")
        cardiff = OrganisationFactory.create(
            name="Cardiff Council", short_name="Cardiff", code="CRF", nation="Wales"
        )
        OrganisationNameFactory.create(organisation=cardiff, name="Cyngor Caerdydd", language="cy")
        OrganisationFactory.create(
            name="Cardiff and Vale University Health Board",
            short_name="",
            slug="cardiff-and-vale",
            kind=OrganisationKind.NHS_TRUST,
            code="7A4",
        )

    def test_a_welsh_name_resolves_to_the_council(self, client: Client) -> None:
        response = client.get(RESOLVE_URL, {"name": "Cyngor Caerdydd"})
        assert response.status_code == 200
        data = response.json()
        assert data["query"] == "Cyngor Caerdydd"
        assert data["best"]["slug"] == "cardiff"
        assert data["best"]["code"] == "CRF"
        assert 0 < data["best"]["score"] <= 1
        assert data["best"]["url"] == "http://testserver/api/v1/organisations/cardiff"
        assert isinstance(data["alternatives"], list)

    def test_kind_narrows_the_match(self, client: Client) -> None:
        data = client.get(RESOLVE_URL, {"name": "Cardiff", "kind": "nhs-trust"}).json()
        assert data["best"] is None or data["best"]["kind"] == "nhs-trust"
        for match in data["alternatives"]:
            assert match["kind"] == "nhs-trust"

    def test_a_name_we_do_not_know_has_no_best_match(self, client: Client) -> None:
        data = client.get(RESOLVE_URL, {"name": "Ministry of Magic"}).json()
        assert data["best"] is None

    def test_a_missing_name_is_a_400_that_says_so(self, client: Client) -> None:
        response = client.get(RESOLVE_URL)
        assert response.status_code == 400
        assert response.json() == {"name": ["This field is required."]}

    def test_an_unknown_kind_is_a_400(self, client: Client) -> None:
        response = client.get(RESOLVE_URL, {"name": "Camden", "kind": "council"})
        assert response.status_code == 400
        assert "kind" in response.json()

    def test_resolve_is_not_read_as_a_slug_even_if_a_body_has_that_slug(
        self, client: Client
    ) -> None:
        OrganisationFactory.create(name="Resolve Trust", short_name="", slug="resolve")
        assert "query" in client.get(RESOLVE_URL, {"name": "Camden"}).json()
