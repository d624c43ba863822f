"""Synthetic cases: reproducible from a seed, valid, searchable, indexed as index_document would."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms.models import model_to_dict

from kitbag.cases import synthetic
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.queries import CaseSearch, search_cases
from kitbag.cases.search_documents import DOC_TYPE
from kitbag.cases.services import reindex_case
from kitbag.cases.tests.factories import CaseFactory
from kitbag.registry.models import OrganisationKind
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.search.models import SearchDocument
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def pools(builtin_codes: None) -> synthetic.Pools:
    """A few real LGSL codes and organisations of every kind, not the whole lists."""
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=[
            WantedCode("58", "Council tax account enquiries"),
            WantedCode("59", "Council tax discount"),
            WantedCode("524", "Household waste collection"),
            WantedCode("141", "Housing repairs"),
            WantedCode("287", "Direct payments"),
            WantedCode("474", "Parking permits"),
            WantedCode("438", "Joining a library"),
        ],
    )
    write_code_list(
        wanted=WantedList(slug="lgsl-functions", name="LGSL functions"),
        codes=[
            WantedCode("30", "Environmental protection"),
            WantedCode("38", "Waste management", parent="30"),
            WantedCode("42", "Government, citizens and rights"),
            WantedCode("56", "Taxation", parent="42"),
            WantedCode("58", "Health and social care"),
            WantedCode("59", "Adult services", parent="58"),
        ],
    )
    for n in range(4):
        OrganisationFactory(name=f"Testshire District Council {n}")
    OrganisationFactory(
        kind=OrganisationKind.NHS_TRUST, name="Testshire NHS Trust", short_name="", nation=""
    )
    OrganisationFactory(kind=OrganisationKind.POLICE_FORCE, name="Testshire Police")
    OrganisationFactory(
        kind=OrganisationKind.CENTRAL_GOVERNMENT, name="Department for Tests", nation=""
    )
    return synthetic.Pools.load()


def _plain(spec: synthetic.CaseSpec) -> dict[str, Any]:
    fields = {
        name: (getattr(value, "pk", value) if hasattr(value, "pk") else value)
        for name, value in spec.fields.items()
    }
    return {
        "fields": fields,
        "services": [code.code for code in spec.services],
        "functions": [code.code for code in spec.functions],
        "technologies": [code.code for code in spec.technologies],
        "partners": [(org.slug, role) for org, role in spec.partners],
        "products": spec.products,
        "costs": spec.costs,
        "benefits": spec.benefits,
    }


def _generate(pools: synthetic.Pools, *, count: int, seed: int, start: int = 0) -> list[Any]:
    return [
        _plain(spec)
        for spec in synthetic.generate_specs(pools=pools, count=count, seed=seed, start=start)
    ]


def test_the_same_seed_gives_the_same_cases_and_another_seed_other_cases(
    pools: synthetic.Pools,
) -> None:
    first = _generate(pools, count=50, seed=7)
    assert first == _generate(pools, count=50, seed=7)
    other = _generate(pools, count=50, seed=8)
    assert [c["fields"]["title"] for c in first] != [c["fields"]["title"] for c in other]


def test_a_case_is_the_same_whatever_the_count_or_start(pools: synthetic.Pools) -> None:
    assert _generate(pools, count=10, seed=3)[7] == _generate(pools, count=1, seed=3, start=7)[0]


def test_generated_cases_are_valid_marked_and_spread_over_the_workflow(
    pools: synthetic.Pools,
) -> None:
    assert synthetic.write_cases(synthetic.generate_specs(pools=pools, count=200, seed=1)) == 200
    cases = list(Case.objects.prefetch_related("services", "functions", "technologies"))
    assert len(cases) == 200
    for case in cases:
        case.full_clean()
        assert len(case.summary.split()) <= 60
        assert case.lead_organisation is not None
        assert case.phase is not None and case.operational_status is not None
        assert case.provenance[synthetic.PROVENANCE_KEY] is True
        assert case.slug.startswith(synthetic.SLUG_PREFIX)
        assert list(case.technologies.all())
        assert not case.revisions.exists()
    statuses = Counter(case.status for case in cases)
    assert statuses[RecordStatus.PUBLISHED] > 120
    assert statuses[RecordStatus.DRAFT] > 0
    assert {case.lead_organisation.kind for case in cases if case.lead_organisation} >= {
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.NHS_TRUST,
    }
    assert sum(1 for case in cases if case.services.exists()) > 100
    # Short and long records, as people write them.
    lengths = sorted(len(case.problem + case.what_was_done + case.results) for case in cases)
    assert lengths[-1] > 5 * lengths[len(lengths) // 2]
    assert synthetic.real_written_cases().count() == 0


def test_word_frequencies_have_a_long_tail(pools: synthetic.Pools) -> None:
    text = " ".join(
        " ".join(str(spec.fields[name]) for name in ("title", "summary", "problem", "results"))
        for spec in synthetic.generate_specs(pools=pools, count=300, seed=2)
    )
    counts = Counter(re.findall(r"[a-z]+", text.lower()))
    ranked = [count for _, count in counts.most_common()]
    # A few words are very common and many are rare, as in real write-ups.
    assert ranked[0] > 30 * ranked[len(ranked) // 2]
    assert sum(1 for count in ranked if count <= 3) > len(ranked) // 4


def test_generated_cases_are_indexed_and_search_finds_only_the_public_ones(
    pools: synthetic.Pools,
) -> None:
    synthetic.write_cases(synthetic.generate_specs(pools=pools, count=120, seed=4), batch_size=50)
    assert SearchDocument.objects.filter(doc_type=DOC_TYPE).count() == 120
    public = Case.objects.public().order_by("pk").first()
    assert public is not None
    word = max(re.findall(r"[A-Za-z]{6,}", public.title), key=len)
    results = search_cases(search_for=CaseSearch(query=word, page_size=100), viewer=AnonymousUser())
    found = {hit.case.pk for hit in results.hits}
    assert public.pk in found
    assert all(hit.case.is_public for hit in results.hits)
    everything = search_cases(search_for=CaseSearch(page_size=100), viewer=AnonymousUser())
    assert everything.total == Case.objects.public().count() < 120


def test_counts_cached_before_generating_or_removing_are_forgotten(
    pools: synthetic.Pools,
) -> None:
    synthetic.write_cases(synthetic.generate_specs(pools=pools, count=10, seed=6))
    before = search_cases(search_for=CaseSearch(), viewer=AnonymousUser()).total
    synthetic.write_cases(synthetic.generate_specs(pools=pools, count=10, seed=6, start=10))
    after = search_cases(search_for=CaseSearch(), viewer=AnonymousUser()).total
    assert after == Case.objects.public().count() > before
    synthetic.remove_synthetic_cases()
    assert search_cases(search_for=CaseSearch(), viewer=AnonymousUser()).total == 0


def _index_state(case: Case) -> dict[str, Any]:
    document = SearchDocument.objects.get(doc_type=DOC_TYPE, object_id=str(case.pk))
    row = model_to_dict(document)
    row.pop("id")
    facets = sorted(document.facet_rows.values_list("name", "value"))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT title, extra, body FROM search_fts WHERE rowid = %s", [document.pk]
            )
        else:
            cursor.execute(
                "SELECT search_vector::text FROM search_searchdocument WHERE id = %s",
                [document.pk],
            )
        text_index = cursor.fetchall()
    return {"document": row, "facets": facets, "text_index": text_index}


def test_bulk_indexing_writes_exactly_what_index_document_writes(pools: synthetic.Pools) -> None:
    synthetic.write_cases(synthetic.generate_specs(pools=pools, count=30, seed=5))
    cases = list(Case.objects.order_by("pk"))
    bulk = [_index_state(case) for case in cases]
    assert all(state["text_index"] and state["facets"] for state in bulk)
    for case in cases:
        reindex_case(case=case)
    assert [_index_state(case) for case in cases] == bulk


def test_the_command_generates_and_removes_synthetic_cases(pools: synthetic.Pools) -> None:
    out = StringIO()
    call_command("generate_cases", "--count", "25", "--seed", "9", stdout=out)
    assert "Generated 25 synthetic cases from seed 9" in out.getvalue()
    assert synthetic.synthetic_cases().count() == 25
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_cases", "--count", "5", "--seed", "9", stdout=StringIO())
    call_command("generate_cases", "--count", "5", "--seed", "9", "--replace", stdout=StringIO())
    assert synthetic.synthetic_cases().count() == 5
    call_command("generate_cases", "--remove", stdout=StringIO())
    assert not Case.objects.exists()
    assert not SearchDocument.objects.exists()


def test_the_command_refuses_a_database_with_cases_people_wrote(pools: synthetic.Pools) -> None:
    real = CaseFactory.create()
    reindex_case(case=real)
    with pytest.raises(CommandError, match="cases people wrote"):
        call_command("generate_cases", "--count", "5", stdout=StringIO())
    assert Case.objects.count() == 1
    call_command("generate_cases", "--count", "5", "--alongside-real-cases", stdout=StringIO())
    call_command("generate_cases", "--remove", stdout=StringIO())
    assert list(Case.objects.all()) == [real]
    assert SearchDocument.objects.get().object_id == str(real.pk)
