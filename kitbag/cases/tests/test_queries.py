"""The reads the case pages, downloads, feeds and the API share (kitbag/cases/queries.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.cases import queries, services
from kitbag.cases.models import Adoption, Case, CaseRelation, CostItem, RecordStatus
from kitbag.cases.queries import CaseSearch
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def indexed(**fields: object) -> Case:
    case = CaseFactory.create(**fields)
    services.reindex_case(case=case)
    return case


class TestCaseSearchFromParams:
    def test_it_reads_the_query_facets_sort_and_page(self) -> None:
        search = CaseSearch.from_params(
            QueryDict("q=chatbot&phase=beta&phase=alpha&nation=Wales&sort=newest&page=3")
        )
        assert search.query == "chatbot"
        assert search.filters == {"phase": ["beta", "alpha"], "nation": ["Wales"]}
        assert search.sort == "newest"
        assert search.page == 3

    def test_bad_values_fall_back_quietly(self) -> None:
        search = CaseSearch.from_params(
            QueryDict("sort=sideways&page=minus&page_size=100000&colour=red&phase=")
        )
        assert search.sort == "newest"  # no query: newest first
        assert search.page == 1
        assert search.page_size == 100
        assert search.filters == {}

    def test_a_query_sorts_by_relevance_unless_told(self) -> None:
        assert CaseSearch.from_params(QueryDict("q=bins")).sort == "relevance"


class TestFacetLabels:
    def test_codes_take_their_list_labels_and_the_rest_read_as_words(
        self, builtin_codes: None
    ) -> None:
        labels = queries.facet_value_labels(
            {
                "phase": ["beta"],
                "evidence": ["3"],
                "technology": ["chatbot"],
                "nation": ["Wales", "country-at", "country-zz"],
                "organisation_type": ["local-authority", "local-government", "made-up-kind"],
                "year": ["2021"],
                "service": ["99999"],
            }
        )
        assert labels["phase"] == {"beta": "Beta"}
        assert labels["evidence"] == {"3": "Level 3"}
        assert labels["technology"] == {"chatbot": "Chatbot or virtual assistant"}
        assert labels["nation"] == {"Wales": "Wales", "country-at": "Austria", "country-zz": "ZZ"}
        assert labels["organisation_type"] == {
            "local-authority": "Local authority",
            "local-government": "Local government",
            "made-up-kind": "Made up kind",
        }
        assert labels["year"] == {"2021": "2021"}
        # A code no longer in its list still shows, as itself.
        assert labels["service"] == {"99999": "99999"}


class TestFacetGroups:
    def test_a_value_chosen_in_an_old_link_shows_even_with_no_matches(
        self, builtin_codes: None
    ) -> None:
        indexed(title="Beta", phase=code("govuk-phase", "beta"))
        search = CaseSearch(filters={"phase": ["retired"]})
        results = queries.search_cases(search_for=search, viewer=None)
        phase = next(
            g for g in queries.facet_groups(search_for=search, results=results) if g.name == "phase"
        )
        assert [(o.value, o.count, o.selected) for o in phase.options] == [
            ("beta", 1, False),
            ("retired", 0, True),
        ]

    def test_long_facets_fold_the_rest_under_more_but_keep_chosen_values_in_view(
        self, builtin_codes: None
    ) -> None:
        for start in range(2001, 2013):
            indexed(start_year=start)
        search = CaseSearch(filters={"year": ["2001"]})
        results = queries.search_cases(search_for=search, viewer=None)
        year = next(
            g for g in queries.facet_groups(search_for=search, results=results) if g.name == "year"
        )
        assert [o.value for o in year.options][:8] == [str(y) for y in range(2012, 2004, -1)]
        assert year.options[-1].value == "2001" and year.options[-1].selected
        assert [o.value for o in year.more_options] == ["2004", "2003", "2002"]


class TestMatchingCases:
    def test_it_walks_every_page_in_the_search_order(self, builtin_codes: None) -> None:
        for n in range(205):
            indexed(title=f"Chatbot {n:03d}")
        found = list(queries.matching_cases(search_for=CaseSearch(query="chatbot"), viewer=None))
        assert len(found) == 205
        assert len({case.pk for case in found}) == 205

    def test_it_stops_at_the_limit(self, builtin_codes: None) -> None:
        for _n in range(5):
            indexed()
        assert len(list(queries.matching_cases(search_for=CaseSearch(), viewer=None, limit=2))) == 2

    def test_count_matching_counts_public_matches(self, builtin_codes: None) -> None:
        indexed(title="Chatbot")
        indexed(title="Chatbot draft", status=RecordStatus.DRAFT)
        assert queries.count_matching(search_for=CaseSearch(query="chatbot")) == 1


class TestLineage:
    def test_drafts_in_the_tree_are_seen_only_by_those_who_may_see_them(
        self, builtin_codes: None
    ) -> None:
        lead = OrganisationFactory.create()
        case = indexed(title="Root")
        draft = indexed(title="Draft follower", status=RecordStatus.DRAFT, lead_organisation=lead)
        beyond = indexed(title="Beyond the draft")
        adapted = code("spread-relation", "adapted")
        CaseRelation.objects.create(from_case=draft, to_case=case, relation=adapted)
        CaseRelation.objects.create(from_case=beyond, to_case=draft, relation=adapted)

        public = queries.case_lineage(case=case, viewer=None)
        assert public.is_empty

        member = UserFactory.create(email="member@example.org")
        MembershipFactory.create(
            user=member,
            organisation=lead,
            role=MembershipRole.MEMBER,
        )
        theirs = queries.case_lineage(case=case, viewer=member)
        assert [item.case.title for item in theirs.followers] == ["Draft follower"]
        assert [item.case.title for item in theirs.followers[0].children] == ["Beyond the draft"]

    def test_unrelated_cases_and_loops_do_not_confuse_the_tree(self, builtin_codes: None) -> None:
        a, b, c = indexed(title="A"), indexed(title="B"), indexed(title="C")
        indexed(title="Unrelated")
        adapted = code("spread-relation", "adapted")
        CaseRelation.objects.create(from_case=b, to_case=a, relation=adapted)
        CaseRelation.objects.create(from_case=c, to_case=b, relation=adapted)
        CaseRelation.objects.create(
            from_case=a, to_case=c, relation=code("spread-relation", "inspired-by")
        )
        tree = queries.case_lineage(case=b, viewer=None)
        assert [item.case.title for item in tree.origins] == ["A"]
        assert [item.case.title for item in tree.followers] == ["C"]


class TestSpreadTotals:
    def test_totals_come_from_the_prefetched_adoptions_and_items(self, builtin_codes: None) -> None:
        case = indexed()
        CostItem.objects.create(case=case, description="Build", amount=Decimal("100"))
        Adoption.objects.create(
            case=case,
            adopter=OrganisationFactory.create(),
            status=code("adoption-status", "live"),
            cost=Decimal("50"),
            annual_saving=Decimal("75"),
        )
        page_case = queries.case_page_cases(None).get(pk=case.pk)
        totals = queries.spread_totals_of(page_case)
        assert totals.total_cost == Decimal("150")
        assert totals.total_annual_saving == Decimal("75")


class TestOrganisationReads:
    def test_an_organisation_s_cases_and_adoptions_leave_out_unpublished_cases(
        self, builtin_codes: None
    ) -> None:
        organisation = OrganisationFactory.create()
        indexed(title="Ours", lead_organisation=organisation)
        indexed(title="Our draft", lead_organisation=organisation, status=RecordStatus.DRAFT)
        theirs = indexed(title="Theirs")
        their_draft = indexed(title="Their draft", status=RecordStatus.IN_REVIEW)
        for adopted in (theirs, their_draft):
            Adoption.objects.create(
                case=adopted, adopter=organisation, status=code("adoption-status", "live")
            )
        assert [c.title for c in queries.cases_led_by(organisation=organisation, viewer=None)] == [
            "Ours"
        ]
        assert [
            a.case.title for a in queries.adoptions_by(organisation=organisation, viewer=None)
        ] == ["Theirs"]
