"""The nation or country of a case, as the nation filter, downloads and the API read it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.cases import search_documents
from kitbag.cases.downloads import download_row
from kitbag.cases.tests.factories import CaseFactory
from kitbag.cases.tests.test_views import facet_labels, indexed
from kitbag.registry.models import OrganisationKind
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NATIONS = ["United Kingdom", "England", "Scotland", "Wales", "Northern Ireland"]


def department(name: str = "Department for Work and Pensions") -> object:
    return OrganisationFactory.create(
        kind=OrganisationKind.CENTRAL_GOVERNMENT,
        name=name,
        short_name="",
        nation="",
        region="",
        classification_code="ministerial-department",
    )


class TestNations:
    def test_a_council_is_in_its_nation_and_in_the_united_kingdom(self) -> None:
        case = CaseFactory.create(lead_organisation=OrganisationFactory.create(nation="Wales"))
        assert search_documents.nation(case) == "Wales"
        assert search_documents.nations(case) == ["Wales", "United Kingdom"]

    def test_a_uk_wide_department_is_found_under_every_nation_and_its_own(self) -> None:
        case = CaseFactory.create(lead_organisation=department(), country_code="GB")
        assert search_documents.nation(case) == "United Kingdom"
        assert search_documents.is_uk_wide(case)
        assert search_documents.nations(case) == NATIONS

    def test_a_devolved_government_is_in_its_nation_not_everywhere(self) -> None:
        case = CaseFactory.create(lead_organisation=department("Welsh Government"))
        assert search_documents.nations(case) == ["Wales", "United Kingdom"]
        scottish = CaseFactory.create(lead_organisation=department("Scottish Government"))
        assert search_documents.nation(scottish) == "Scotland"

    def test_a_uk_lead_the_registry_does_not_know_is_a_uk_case_of_no_one_nation(self) -> None:
        case = CaseFactory.create(lead_organisation=None, country_code="GB")
        assert search_documents.nations(case) == ["United Kingdom"]

    def test_other_countries_keep_their_code_as_the_value(self) -> None:
        case = CaseFactory.create(lead_organisation=None, country_code="MD")
        assert search_documents.nations(case) == ["country-md"]
        assert (
            search_documents.nations(CaseFactory.create(lead_organisation=None, country_code=""))
            == []
        )


def test_similarity_compares_a_case_s_own_nation_and_ignores_the_united_kingdom() -> None:
    assert search_documents.own_place(["England", "United Kingdom"]) == {"England"}
    assert search_documents.own_place(["United Kingdom"]) == set()
    assert search_documents.own_place(NATIONS) == set()
    assert search_documents.own_place(["country-md"]) == {"country-md"}


class TestNationFilter:
    def test_uk_first_in_a_fixed_order_then_countries_by_name_never_codes(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Jobs advice", lead_organisation=department(), country_code="GB")
        indexed(title="Bins", lead_organisation=OrganisationFactory.create(nation="Scotland"))
        for number in range(3):
            indexed(title=f"Moldovan {number}", lead_organisation=None, country_code="MD")
        indexed(title="Greek", lead_organisation=None, country_code="EL")

        everything = client.get(reverse("cases:case_list"))
        assert facet_labels(everything, "nation") == [
            "United Kingdom (2)",
            "England (1)",
            "Scotland (2)",
            "Wales (1)",
            "Northern Ireland (1)",
            "Moldova (3)",
            "Greece (1)",
        ]

    def test_the_uk_wide_case_is_under_each_nation_filter(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Jobs advice", lead_organisation=department(), country_code="GB")
        indexed(title="Bins", lead_organisation=OrganisationFactory.create(nation="Scotland"))
        indexed(title="Moldovan", lead_organisation=None, country_code="MD")
        url = reverse("cases:case_list")
        for value, wanted in (
            ("Wales", ["Jobs advice"]),
            ("Northern Ireland", ["Jobs advice"]),
            ("Scotland", ["Bins", "Jobs advice"]),
            ("United Kingdom", ["Bins", "Jobs advice"]),
            ("country-md", ["Moldovan"]),
        ):
            page = client.get(url, {"nation": value})
            assert sorted(row.case.title for row in page.context["rows"]) == wanted, value

    def test_downloads_and_the_api_say_the_same(self, builtin_codes: None, client: Client) -> None:
        case = indexed(title="Moldovan", lead_organisation=None, country_code="MD")
        row = download_row(case, base_url="https://kitbag.example")
        assert (row["nation"], row["country"], row["nations"]) == (
            "country-md",
            "Moldova",
            ["country-md"],
        )
        answer = client.get(reverse("api_case_list")).json()
        (found,) = answer["results"]
        assert (found["nation"], found["country"], found["nations"]) == (
            "country-md",
            "Moldova",
            ["country-md"],
        )
        assert answer["facets"]["nation"] == [
            {"value": "country-md", "label": "Moldova", "count": 1}
        ]


class TestDidYouMean:
    def test_the_list_offers_the_correction_and_shows_its_results_when_nothing_matched(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Council tax chatbot", summary="A chatbot answers questions.")
        indexed(title="Gritting routes", summary="Sensors plan gritting.")
        url = reverse("cases:case_list")

        page = client.get(url, {"q": "chatbt"})
        assert page.context["results"].corrected
        assert [row.case.title for row in page.context["rows"]] == ["Council tax chatbot"]
        text = page.content.decode()
        assert "No cases match “chatbt”." in text and "Did you mean" in text
        assert 'href="/cases/?q=chatbot"' in text
        assert "1 case matches “chatbot”" in text

        page = client.get(url, {"q": "chatbot gritting sensrs"})
        assert not page.context["results"].corrected
        assert page.context["results"].suggestion == "chatbot gritting sensors"
        assert "No cases match" not in page.content.decode()

        assert "did-you-mean" not in client.get(url, {"q": "chatbot"}).content.decode()

    def test_the_api_says_when_it_searched_the_correction(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Council tax chatbot", summary="A chatbot answers questions.")
        answer = client.get(reverse("api_case_list"), {"q": "chatbt"}).json()
        assert (answer["count"], answer["suggestion"], answer["corrected"]) == (
            1,
            "chatbot",
            True,
        )
        answer = client.get(reverse("api_case_list"), {"q": "chatbot"}).json()
        assert (answer["suggestion"], answer["corrected"]) == ("", False)
