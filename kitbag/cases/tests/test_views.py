"""The finding and reading pages: the case list and search, the case page, the organisation section."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.cases import services
from kitbag.cases.models import (
    Adoption,
    Asset,
    BenefitItem,
    Case,
    CaseIdentifier,
    CasePartner,
    CaseRelation,
    Contact,
    CostItem,
    PartnerRole,
    Product,
    RecordStatus,
    Recurrence,
)
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme, Organisation
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/cases/"


def indexed(**fields: object) -> Case:
    """A case saved and put in the search index, as services would."""
    fields.setdefault("published_at", timezone.now())
    case = CaseFactory.create(**fields)
    services.reindex_case(case=case)
    return case


def member_of(
    organisation: Organisation, role: str = MembershipRole.MEMBER, email: str = ""
) -> User:
    user = UserFactory.create(email=email or f"{role}-{organisation.slug}@example.org")
    MembershipFactory.create(user=user, organisation=organisation, role=role)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main_text(response: object) -> str:
    page = response.content.decode()  # type: ignore[attr-defined]
    main = page[page.index("<main") : page.index("</main>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def facet_labels(response: object, facet: str) -> list[str]:
    groups = {group.name: group for group in response.context["groups"]}  # type: ignore[attr-defined]
    group = groups[facet]
    return [f"{o.label} ({o.count})" for o in (*group.options, *group.more_options)]


def titles(response: object) -> list[str]:
    return [row.case.title for row in response.context["rows"]]  # type: ignore[attr-defined]


# --- The list and search page ----------------------------------------------------------------------


class TestCaseList:
    def test_an_empty_search_lists_public_cases_newest_first_and_never_drafts(
        self, builtin_codes: None, client: Client
    ) -> None:
        now = timezone.now()
        indexed(title="Older", published_at=now - dt.timedelta(days=3))
        indexed(title="Newer", published_at=now - dt.timedelta(days=1))
        indexed(
            title="Flagged for an update",
            status=RecordStatus.NEEDS_UPDATE,
            published_at=now - dt.timedelta(days=2),
        )
        indexed(
            title="Archived", status=RecordStatus.ARCHIVED, published_at=now - dt.timedelta(days=4)
        )
        indexed(title="Secret draft", status=RecordStatus.DRAFT)
        indexed(title="Waiting for review", status=RecordStatus.IN_REVIEW)

        response = client.get(LIST_URL)

        assert response.status_code == 200
        assert titles(response) == ["Newer", "Flagged for an update", "Older", "Archived"]
        text = main_text(response)
        assert "4 cases" in text
        assert "Secret draft" not in text and "Waiting for review" not in text

    def test_drafts_stay_out_of_search_even_for_their_owners(self, builtin_codes: None) -> None:
        lead = OrganisationFactory.create()
        owner = member_of(lead, MembershipRole.EDITOR)
        indexed(
            title="Chatbot draft", status=RecordStatus.DRAFT, lead_organisation=lead, owner=owner
        )
        response = signed_in(owner).get(LIST_URL + "?q=chatbot")
        assert titles(response) == []
        assert "No cases match your search." in main_text(response)

    def test_a_search_highlights_matched_words_in_titles_and_snippets(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Chatbot for <b>bins</b>", summary="Residents ask the chatbot about bins.")
        indexed(title="Road gritting routes", summary="Gritters plan their routes.")

        response = client.get(LIST_URL + "?q=chatbot")

        assert titles(response) == ["Chatbot for <b>bins</b>"]
        page = response.content.decode()
        assert "<mark>Chatbot</mark> for &lt;b&gt;bins&lt;/b&gt;" in page
        assert "the <mark>chatbot</mark> about bins" in page
        assert "1 case matches “chatbot”" in main_text(response)

    def test_filters_narrow_the_results_and_count_values_with_readable_labels(
        self, builtin_codes: None, client: Client
    ) -> None:
        wales = OrganisationFactory.create(name="Cardiff Council", nation="Wales")
        indexed(
            title="Beta in England",
            phase=code("govuk-phase", "beta"),
            outcome=code("outcome-label", "worked"),
        )
        indexed(title="Alpha in Wales", phase=code("govuk-phase", "alpha"), lead_organisation=wales)
        indexed(
            title="Imported from Austria",
            lead_organisation=None,
            lead_organisation_name="AMS",
            lead_organisation_category="Central-Government",
            country_code="AT",
            start_year=2020,
        )

        everything = client.get(LIST_URL)
        # Phases in the list's own order, not by count.
        assert facet_labels(everything, "phase") == ["Alpha (1)", "Beta (1)"]
        # The UK and its nations first, then other countries; every UK case is a UK case.
        assert facet_labels(everything, "nation") == [
            "United Kingdom (2)",
            "England (1)",
            "Wales (1)",
            "Austria (1)",
        ]
        assert facet_labels(everything, "organisation_type") == [
            "Local authority (2)",
            "Central government organisation (1)",
        ]
        assert facet_labels(everything, "outcome") == ["Worked (1)"]
        assert facet_labels(everything, "year") == ["2020 (1)"]

        narrowed = client.get(LIST_URL + "?nation=Wales")
        assert titles(narrowed) == ["Alpha in Wales"]
        assert "Remove filter Nation or country: Wales" in main_text(narrowed)

    def test_a_chosen_filter_still_offers_the_other_values_of_its_own_facet(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title="Beta one", phase=code("govuk-phase", "beta"))
        indexed(title="Alpha one", phase=code("govuk-phase", "alpha"))

        response = client.get(LIST_URL + "?phase=beta")

        assert titles(response) == ["Beta one"]
        assert facet_labels(response, "phase") == ["Alpha (1)", "Beta (1)"]
        page = response.content.decode()
        assert 'name="phase" type="checkbox" value="beta" checked' in page
        assert 'name="phase" type="checkbox" value="alpha">' in page
        # Two values of one facet: either will do.
        assert sorted(titles(client.get(LIST_URL + "?phase=beta&phase=alpha"))) == [
            "Alpha one",
            "Beta one",
        ]

    def test_every_facet_of_the_search_document_has_a_filter_group(
        self, builtin_codes: None, client: Client
    ) -> None:
        from kitbag.cases.search_documents import FACETS

        response = client.get(LIST_URL)
        assert [group.name for group in response.context["groups"]] == list(FACETS)

    def test_sorting_by_newest_and_by_relevance(self, builtin_codes: None, client: Client) -> None:
        now = timezone.now()
        indexed(title="Waste", summary="A chatbot about waste.", published_at=now)
        indexed(
            title="Chatbot for council tax",
            summary="A chatbot.",
            published_at=now - dt.timedelta(days=9),
        )

        assert titles(client.get(LIST_URL + "?q=chatbot")) == ["Chatbot for council tax", "Waste"]
        assert titles(client.get(LIST_URL + "?q=chatbot&sort=newest")) == [
            "Waste",
            "Chatbot for council tax",
        ]

    def test_results_are_paged_with_the_govuk_pagination_keeping_the_search(
        self, builtin_codes: None, client: Client
    ) -> None:
        for n in range(23):
            indexed(title=f"Case {n:02d}", phase=code("govuk-phase", "beta"))

        first = client.get(LIST_URL + "?phase=beta")
        second = client.get(LIST_URL + "?phase=beta&page=2")
        beyond = client.get(LIST_URL + "?phase=beta&page=9")

        assert len(titles(first)) == 20
        assert len(titles(second)) == 3
        assert titles(beyond) == titles(second)
        assert 'class="govuk-pagination"' in first.content.decode()
        assert "?phase=beta&amp;page=2" in first.content.decode()
        assert "(page 2 of 2)" in second.content.decode()

    def test_no_results_explains_what_to_try_next(
        self, builtin_codes: None, client: Client
    ) -> None:
        response = client.get(LIST_URL + "?q=zzzzqqq")
        text = main_text(response)
        assert "0 cases match “zzzzqqq”" in text
        assert "check the spelling" in text

    def test_download_and_feed_links_carry_the_same_search_without_the_page(
        self, builtin_codes: None, client: Client
    ) -> None:
        response = client.get(LIST_URL + "?q=chatbot&phase=beta&page=2")
        assert response.context["csv_url"] == "/cases/download.csv?q=chatbot&phase=beta"
        assert response.context["json_url"] == "/cases/download.json?q=chatbot&phase=beta"
        assert response.context["feed_url"] == "/cases/feed.atom?q=chatbot&phase=beta"
        assert 'type="application/atom+xml"' in response.content.decode()

    @pytest.mark.parametrize("query", ["", "?q=chatbot", "?q=chatbot&phase=beta&nation=England"])
    def test_the_list_costs_the_same_number_of_queries_for_3_and_20_cases(
        self,
        builtin_codes: None,
        client: Client,
        query: str,
        django_assert_num_queries: DjangoAssertNumQueries,
        settings: Any,
    ) -> None:
        settings.KITBAG_PAGE_CACHE_SECONDS = 0  # count the queries of drawing the page itself

        def make(count: int) -> None:
            for n in range(count):
                case = indexed(title=f"Chatbot {n}", phase=code("govuk-phase", "beta"))
                case.services.set([])
                case.technologies.set([code("technology", "chatbot")])
                Adoption.objects.create(
                    case=case,
                    adopter=OrganisationFactory.create(),
                    status=code("adoption-status", "live"),
                )

        make(3)
        client.get(LIST_URL + query)  # warm the session and caches
        with CaptureQueriesContext(connection) as three:
            client.get(LIST_URL + query)
        # Counted now: the next request clears the connection's log.
        expected = len(three.captured_queries)
        make(17)
        client.get(LIST_URL + query)
        with django_assert_num_queries(expected):
            response = client.get(LIST_URL + query)
        assert len(titles(response)) == 20
        assert response.content.decode().count("Adopted by 1 organisation<") == 20

    def test_a_card_counts_every_adopter_once(self, builtin_codes: None, client: Client) -> None:
        case = indexed(title="Chatbot for council tax")
        indexed(title="Chatbot nobody adopted")
        for status in ("live", "stopped"):
            Adoption.objects.create(
                case=case,
                adopter=OrganisationFactory.create(),
                status=code("adoption-status", status),
            )

        page = client.get(LIST_URL + "?q=chatbot").content.decode()

        assert page.count("Adopted by 2 organisations") == 1
        assert "Adopted by 1" not in page


# --- The case page --------------------------------------------------------------------------------


class TestCasePagePermissions:
    @pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.IN_REVIEW])
    def test_an_unpublished_case_is_not_found_by_the_public_or_other_organisations(
        self, builtin_codes: None, client: Client, status: str
    ) -> None:
        case = indexed(title="Not yet", status=status)
        outsider = member_of(OrganisationFactory.create(), MembershipRole.ADMIN)
        assert client.get(case.get_absolute_url()).status_code == 404
        assert signed_in(outsider).get(case.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.IN_REVIEW])
    def test_its_owner_and_members_of_its_lead_see_an_unpublished_case_with_a_banner(
        self, builtin_codes: None, status: str
    ) -> None:
        lead = OrganisationFactory.create(name="Rightshire Council")
        owner = UserFactory.create(email="owner@example.org")
        case = indexed(title="Not yet", status=status, lead_organisation=lead, owner=owner)
        for viewer in (owner, member_of(lead)):
            response = signed_in(viewer).get(case.get_absolute_url())
            assert response.status_code == 200
            assert "Not published" in main_text(response)
            assert "It is not in search, downloads or feeds." in main_text(response)

    def test_a_missing_case_is_not_found(self, builtin_codes: None, client: Client) -> None:
        assert client.get("/cases/no-such-case/").status_code == 404

    def test_needs_update_and_archived_cases_are_public_with_a_banner(
        self, builtin_codes: None, client: Client
    ) -> None:
        stale = indexed(
            status=RecordStatus.NEEDS_UPDATE,
            last_confirmed_at=timezone.make_aware(dt.datetime(2023, 5, 4)),
        )
        archived = indexed(
            status=RecordStatus.ARCHIVED, archive_reason="Replaced by the national service."
        )
        assert "it was last confirmed on 4 May 2023" in main_text(
            client.get(stale.get_absolute_url())
        )
        archived_text = main_text(client.get(archived.get_absolute_url()))
        assert "Archived" in archived_text
        assert "Why: Replaced by the national service." in archived_text

    def test_editor_links_show_only_to_people_the_rules_allow(
        self, builtin_codes: None, client: Client
    ) -> None:
        lead = OrganisationFactory.create()
        case = indexed(lead_organisation=lead)
        edit_url = reverse("cases:case_edit", args=[case.slug])
        publish_url = reverse("cases:case_move", args=[case.slug, "archive"])
        adopt_url = reverse("cases:adoption_create", args=[case.slug])
        relate_url = reverse("cases:relation_create", args=[case.slug])

        anonymous = client.get(case.get_absolute_url()).content.decode()
        for url in (edit_url, publish_url, relate_url):
            assert url not in anonymous
        # Offered to signed-out readers too: the form asks them to sign in first.
        assert adopt_url in anonymous

        elsewhere = (
            signed_in(member_of(OrganisationFactory.create()))
            .get(case.get_absolute_url())
            .content.decode()
        )
        assert adopt_url in elsewhere  # a verified member of another organisation may adopt
        assert edit_url not in elsewhere and relate_url not in elsewhere

        editor = (
            signed_in(member_of(lead, MembershipRole.EDITOR))
            .get(case.get_absolute_url())
            .content.decode()
        )
        for url in (
            edit_url,
            publish_url,
            relate_url,
            reverse("cases:case_confirm", args=[case.slug]),
        ):
            assert url in editor
        # Publishing is not open from "published"; archiving is, and is a POST with a token.
        assert reverse("cases:case_move", args=[case.slug, "publish"]) not in editor
        assert 'name="csrfmiddlewaretoken"' in editor

        member = signed_in(member_of(lead)).get(case.get_absolute_url()).content.decode()
        assert edit_url in member and publish_url not in member


class TestCasePageContent:
    def test_every_filled_field_is_shown(self, builtin_codes: None, client: Client) -> None:
        lead = OrganisationFactory.create(name="Rightshire Council")
        partner = OrganisationFactory.create(name="Partnershire Council")
        case = indexed(
            title="Council tax chatbot",
            lead_organisation=lead,
            phase=code("govuk-phase", "beta"),
            operational_status=code("operational-status", "pilot"),
            outcome=code("outcome-label", "did-not-work"),
            evidence_level=code("nesta-evidence", "2"),
            evidence_assessed_by=code("evidence-assessed-by", "independent"),
            evidence_assessor_name="Rightshire University",
            sector=code("cofog", "10"),
            problem="Calls *peaked* every March.",
            what_was_done="We built a chatbot.",
            results="Calls fell.",
            what_did_not_work="Older residents **would not** use it.",
            conditions_for_success="A clean FAQ.",
            what_to_adapt="Your own tone.",
            lessons="Test early.",
            start_year=2021,
            end_year=2023,
            team_size_fte=Decimal("2.5"),
            duration_weeks=12,
            area_description="The whole district",
            algorithmic_transparency_record_url="https://www.gov.uk/algorithmic-transparency-records/x",
        )
        case.technologies.set([code("technology", "chatbot")])
        CasePartner.objects.create(case=case, organisation=partner, role=PartnerRole.FUNDER)
        CasePartner.objects.create(
            case=case, organisation_name="Bot Ltd", role=PartnerRole.SUPPLIER
        )
        CostItem.objects.create(case=case, description="Build", amount=Decimal("12000"))
        CostItem.objects.create(
            case=case,
            description="Licence",
            amount=Decimal("2500.50"),
            recurrence=Recurrence.PER_YEAR,
        )
        BenefitItem.objects.create(
            case=case, description="Fewer calls", amount=Decimal("30000"), cashable=True
        )
        Asset.objects.create(
            case=case,
            kind=Asset.Kind.CODE,
            title="Bot source",
            url="https://github.com/x/bot",
            licence="MIT",
        )
        Product.objects.create(
            case=case, name="BotPlatform", supplier_name="Bot Ltd", is_open_source=False
        )
        CaseIdentifier.objects.create(case=case, scheme="ipsx", value="10042")

        text = main_text(client.get(case.get_absolute_url()))

        for expected in [
            "Rightshire Council",
            "Partnershire Council (funder)",
            "Bot Ltd (supplier)",
            "Phase Beta",
            "Operational status Pilot",
            "Did not work",
            "What did not work Older residents would not use it.",
            "Level 2 of 5 on the Nesta Standards of Evidence",
            "Assessed by Independent: Rightshire University",
            "Social protection (COFOG 10)",
            "Chatbot or virtual assistant",
            "Calls peaked every March.",
            "We built a chatbot.",
            "Calls fell.",
            "A clean FAQ.",
            "Your own tone.",
            "Test early.",
            "2021 to 2023",
            "2.5 full-time equivalent",
            "12 weeks",
            "The whole district",
            "Read the record on GOV.UK",
            "Build One-off £12,000",
            "Total one-off £12,000",
            "Total each year £2,500.50",
            "Total each year (£30,000 cashable) £30,000",
            "Bot source Code MIT",
            "BotPlatform Bot Ltd No",
            "10042",
            str(case.uuid),
        ]:
            assert expected in text, expected
        page = client.get(case.get_absolute_url()).content.decode()
        assert "<em>peaked</em>" in page

    def test_text_people_wrote_is_sanitised(self, builtin_codes: None, client: Client) -> None:
        case = indexed(
            title="<script>alert(1)</script>",
            problem="<script>alert(2)</script> [x](javascript:alert(3))",
            what_did_not_work="<img src=x onerror=alert(4)>",
        )
        page = client.get(case.get_absolute_url()).content.decode()
        assert "<script>alert" not in page
        assert 'href="javascript' not in page
        assert "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_contact_details_show_to_signed_in_people_unless_the_contact_is_public(
        self, builtin_codes: None, client: Client
    ) -> None:
        case = indexed()
        Contact.objects.create(
            case=case,
            name="Jo Private",
            email="jo@rightshire.gov.uk",
            offers=["talk", "share-code"],
        )
        Contact.objects.create(
            case=case, name="Sam Public", email="sam@rightshire.gov.uk", is_public=True
        )

        anonymous = main_text(client.get(case.get_absolute_url()))
        assert "Jo Private" not in anonymous and "jo@rightshire.gov.uk" not in anonymous
        assert "Offers to: open to a conversation, share code and assets" in anonymous
        assert "Sam Public" in anonymous and "sam@rightshire.gov.uk" in anonymous
        assert "Sign in to see contact details." in anonymous

        someone = UserFactory.create(email="reader@example.org")
        signed = main_text(signed_in(someone).get(case.get_absolute_url()))
        assert "Jo Private" in signed and "jo@rightshire.gov.uk" in signed

    def test_an_imported_case_names_its_source_and_licence(
        self, builtin_codes: None, client: Client
    ) -> None:
        case = indexed(
            source="ipsx",
            source_url="https://example.org/ams",
            source_catalogue="AlgorithmWatch",
            provenance={
                "source": "ipsx",
                "id": "10042",
                "imported_at": "2026-01-02T10:00:00+00:00",
            },
            lead_organisation=None,
            lead_organisation_name="Public Employment Service Austria",
        )
        text = main_text(client.get(case.get_absolute_url()))
        assert "Where this record comes from" in text
        assert "Catalogue AlgorithmWatch" in text
        assert "https://example.org/ams" in text
        assert "Public Employment Service Austria" in text
        assert "Imported 2 January 2026" in text

    def test_json_ld_describes_the_case_its_services_and_its_lead_with_identifiers(
        self, builtin_codes: None, client: Client
    ) -> None:
        lead = OrganisationFactory.create(name="Rightshire Council", slug="rightshire")
        IdentifierFactory.create(organisation=lead, scheme=IdentifierScheme.GSS, value="E07000001")
        case = indexed(title="Bins </script><script>alert(1)</script>", lead_organisation=lead)
        from kitbag.vocabularies.models import Code, CodeList

        services_list = CodeList.objects.create(slug="lgsl-services", name="LGSL")
        case.services.set(
            [Code.objects.create(code_list=services_list, code="524", label="Bin collection")]
        )

        page = client.get(case.get_absolute_url()).content.decode()
        block = page[page.index('<script type="application/ld+json">') :]
        block = block[len('<script type="application/ld+json">') : block.index("</script>")]
        data = json.loads(block)
        assert data["@type"] == ["CreativeWork", "Project"]
        assert data["name"] == "Bins </script><script>alert(1)</script>"
        assert data["about"][0] == {
            "@type": "Service",
            "name": "Bin collection",
            "identifier": {"@type": "PropertyValue", "propertyID": "lgsl", "value": "524"},
        }
        assert data["provider"]["@type"] == "GovernmentOrganization"
        assert {"propertyID": "gss", "value": "E07000001"}.items() <= data["provider"][
            "identifier"
        ][0].items()
        assert data["@id"].endswith(case.get_absolute_url())


class TestCasePageSpread:
    def test_the_lineage_shows_both_directions_with_what_changed_and_hides_drafts(
        self, builtin_codes: None, client: Client
    ) -> None:
        origin = indexed(title="The original")
        case = indexed(title="This case")
        follower = indexed(title="The follower")
        grandchild = indexed(title="The grandchild")
        draft = indexed(title="A draft follower", status=RecordStatus.DRAFT)
        adapted = code("spread-relation", "adapted")
        CaseRelation.objects.create(
            from_case=case, to_case=origin, relation=code("spread-relation", "inspired-by")
        )
        CaseRelation.objects.create(
            from_case=follower,
            to_case=case,
            relation=adapted,
            changes_made="Added Welsh",
            confirmed_by_both=True,
        )
        CaseRelation.objects.create(from_case=grandchild, to_case=follower, relation=adapted)
        CaseRelation.objects.create(from_case=draft, to_case=case, relation=adapted)

        response = client.get(case.get_absolute_url())
        text = main_text(response)

        assert "What this case built on" in text
        assert "The original" in text and "inspired it" in text
        assert (
            "The follower" in text and "adapted it" in text and "What changed: Added Welsh" in text
        )
        assert "The grandchild" in text
        assert "Claimed by one side" in text
        assert "A draft follower" not in text
        html_text = response.content.decode()
        # The grandchild is nested inside the follower's list item.
        follower_at = html_text.index("The follower")
        assert html_text.index(
            '<ul class="govuk-list govuk-list--bullet kitbag-lineage">', follower_at
        ) < html_text.index("The grandchild")

    def test_adopters_are_listed_with_totals_of_cost_and_savings(
        self, builtin_codes: None, client: Client
    ) -> None:
        case = indexed()
        CostItem.objects.create(case=case, description="Build", amount=Decimal("10000"))
        for name, status, cost, saving in [
            ("Adoptshire", "live", "5000", "12000"),
            ("Pilotshire", "piloting", "1000", "500"),
            ("Thinkshire", "considering", None, None),
        ]:
            Adoption.objects.create(
                case=case,
                adopter=OrganisationFactory.create(name=f"{name} Council"),
                status=code("adoption-status", status),
                cost=Decimal(cost) if cost else None,
                annual_saving=Decimal(saving) if saving else None,
            )

        text = main_text(client.get(case.get_absolute_url()))

        assert "3 organisations adopted this case" in text
        assert "Adoptshire Council Live £5,000 £12,000" in text
        assert "Thinkshire Council Considering – –" in text
        assert "The lead organisation £10,000 –" in text
        assert "All together £16,000 £12,500" in text

    def test_adopting_councils_are_marked_on_the_hex_map(
        self, builtin_codes: None, client: Client, tmp_path: Path, settings: object
    ) -> None:
        write_hexjson(
            tmp_path, settings, {"E07000001": (0, 0), "E07000002": (1, 0), "E07000003": (0, 1)}
        )
        lead = OrganisationFactory.create(name="Leadshire Council")
        IdentifierFactory.create(organisation=lead, scheme=IdentifierScheme.GSS, value="E07000001")
        adopter = OrganisationFactory.create(name="Adoptshire Council")
        IdentifierFactory.create(
            organisation=adopter, scheme=IdentifierScheme.GSS, value="E07000002"
        )
        trust = OrganisationFactory.create(name="Rightshire NHS Trust", kind="nhs-trust")
        case = indexed(lead_organisation=lead)
        Adoption.objects.create(case=case, adopter=adopter, status=code("adoption-status", "live"))
        Adoption.objects.create(
            case=case, adopter=trust, status=code("adoption-status", "piloting")
        )

        response = client.get(case.get_absolute_url())
        page = response.content.decode()

        assert page.count('class="kitbag-hex kitbag-hex--context"') == 1
        assert 'aria-label="Adoptshire Council (adopter, live)"' in page
        assert 'aria-label="Leadshire Council (lead organisation)"' in page
        assert "kitbag-hex--adoption-live" in page
        assert "Rightshire NHS Trust Not on the council map" in main_text(response)
        assert [entry.label for entry in response.context["map_legend"]] == [
            "Lead organisation",
            "Live",
        ]

    def test_similar_cases_are_shown_with_their_reasons(
        self, builtin_codes: None, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from kitbag.cases import views
        from kitbag.cases.similar_cases import SimilarCase

        case = indexed(title="This one")
        other = indexed(title="Another chatbot")
        monkeypatch.setattr(
            views,
            "similar_cases",
            lambda **kwargs: [SimilarCase(case=other, score=1.0, reasons=("Same service: Bins",))],
        )
        text = main_text(client.get(case.get_absolute_url()))
        assert "Similar cases Another chatbot" in text
        assert "Same service: Bins" in text

    @pytest.mark.parametrize("signed", [False, True])
    def test_the_case_page_costs_the_same_queries_with_one_or_many_adopters_and_relations(
        self,
        builtin_codes: None,
        tmp_path: Path,
        settings: object,
        django_assert_num_queries: DjangoAssertNumQueries,
        signed: bool,
    ) -> None:
        write_hexjson(tmp_path, settings, {f"E070000{n:02d}": (n, 0) for n in range(30)})
        lead = OrganisationFactory.create()
        case = indexed(lead_organisation=lead)
        client = signed_in(member_of(lead, MembershipRole.EDITOR)) if signed else Client()
        adapted = code("spread-relation", "adapted")

        def spread(start: int, count: int) -> None:
            for n in range(start, start + count):
                adopter = OrganisationFactory.create()
                IdentifierFactory.create(
                    organisation=adopter, scheme=IdentifierScheme.GSS, value=f"E070000{n:02d}"
                )
                Adoption.objects.create(
                    case=case,
                    adopter=adopter,
                    status=code("adoption-status", "live"),
                    cost=Decimal(n),
                )
                follower = indexed(title=f"Follower {n}")
                CaseRelation.objects.create(from_case=follower, to_case=case, relation=adapted)
                CaseRelation.objects.create(
                    from_case=indexed(title=f"Grandchild {n}"), to_case=follower, relation=adapted
                )
                CostItem.objects.create(case=case, description=f"Item {n}", amount=Decimal(n))
                Contact.objects.create(case=case, name=f"Contact {n}")

        spread(1, 1)
        client.get(case.get_absolute_url())
        with CaptureQueriesContext(connection) as one:
            client.get(case.get_absolute_url())
        # Counted now: the next request clears the connection's log.
        expected = len(one.captured_queries)
        spread(2, 12)
        # Similar cases keep an in-memory index that reloads when cases change: warm it again.
        client.get(case.get_absolute_url())
        with django_assert_num_queries(expected):
            response = client.get(case.get_absolute_url())
        assert "13 organisations adopted this case" in main_text(response)


def write_hexjson(directory: Path, settings: object, hexes: dict[str, tuple[int, int]]) -> None:
    settings.KITBAG_DATA_DIR = str(directory)  # type: ignore[attr-defined]
    path = directory / registry_queries.COUNCIL_HEXJSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"layout": "odd-r", "hexes": {k: {"q": q, "r": r} for k, (q, r) in hexes.items()}}
        )
    )


# --- Organisation pages and the header ---------------------------------------------------------------


class TestOrganisationPage:
    def test_an_organisation_page_lists_its_public_cases_and_adoptions_but_no_drafts(
        self, builtin_codes: None, client: Client
    ) -> None:
        organisation = OrganisationFactory.create(name="Rightshire Council", slug="rightshire")
        indexed(title="Our chatbot", lead_organisation=organisation)
        indexed(title="Our secret draft", lead_organisation=organisation, status=RecordStatus.DRAFT)
        theirs = indexed(title="Their gritting routes")
        draft_elsewhere = indexed(title="Their draft", status=RecordStatus.DRAFT)
        Adoption.objects.create(
            case=theirs, adopter=organisation, status=code("adoption-status", "piloting")
        )
        Adoption.objects.create(
            case=draft_elsewhere, adopter=organisation, status=code("adoption-status", "live")
        )

        text = main_text(client.get(organisation.get_absolute_url()))

        assert "Innovation cases 1 case it leads Our chatbot" in text
        assert "Cases it adopted Their gritting routes" in text
        assert "(piloting)" in text
        assert "Our secret draft" not in text and "Their draft" not in text
        assert (
            "/cases/?organisation=rightshire"
            in client.get(organisation.get_absolute_url()).content.decode()
        )

    def test_an_organisation_with_no_cases_says_so(
        self, builtin_codes: None, client: Client
    ) -> None:
        organisation = OrganisationFactory.create()
        text = main_text(client.get(organisation.get_absolute_url()))
        # One line, not two headings with nothing under them (issue 16).
        assert "Innovation cases It has not published or adopted a case yet." in text
        assert "Cases it adopted" not in text


def test_the_header_links_to_the_library_and_marks_it_as_the_current_section(
    builtin_codes: None, client: Client
) -> None:
    case = indexed()
    for url in (LIST_URL, case.get_absolute_url()):
        page = client.get(url).content.decode()
        assert re.search(
            r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="/cases/" aria-current="true">',
            page,
        ), url
    home = client.get("/").content.decode()
    assert 'href="/cases/"' in home
