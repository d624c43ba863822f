"""The site-wide search: one query ranked within every kind, grouped, counted, public only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kitbag.search.kinds import SearchKind, kind_named, register_kind, unregister_kind
from kitbag.search.queries import (
    PER_KIND,
    rank_kinds,
    search,
    site_search,
    site_search_list,
)
from kitbag.search.services import index_document

pytestmark = pytest.mark.django_db

# The kinds later parts add (people, events, resources, partnerships, projects), as they will
# register them: the site-wide search must need nothing more of them.
LATER_KINDS = (
    SearchKind(doc_type="partnership", label="partnership", plural="partnerships", order=60),
    SearchKind(doc_type="project", label="project", plural="projects", order=62),
    SearchKind(doc_type="person", label="person", plural="people", order=65),
    SearchKind(doc_type="event", label="event", plural="events", order=70),
    SearchKind(doc_type="resource", label="resource", plural="resources", order=75),
)
EVERY_KIND = ("organisation", "case", "consultation", "conversation") + tuple(
    kind.doc_type for kind in LATER_KINDS
)


@pytest.fixture
def later_kinds() -> Iterator[None]:
    # The apps that have landed registered some of these already: put theirs back afterwards.
    registered = {kind.doc_type: kind_named(kind.doc_type) for kind in LATER_KINDS}
    for kind in LATER_KINDS:
        register_kind(kind)
    yield
    for doc_type, earlier in registered.items():
        unregister_kind(doc_type)
        if earlier is not None:
            register_kind(earlier)


def _index(doc_type: str, object_id: str, title: str, **fields: Any) -> None:
    index_document(
        doc_type=doc_type,
        object_id=object_id,
        title=title,
        url=f"/{doc_type}/{object_id}/",
        **fields,
    )


def _gritting_everywhere(count_of_each: int = 1) -> None:
    for doc_type in EVERY_KIND:
        for n in range(count_of_each):
            _index(doc_type, f"{doc_type}-{n}", f"Winter gritting {doc_type} {n}")


def test_hits_are_grouped_by_kind_in_the_kinds_order_with_their_counts(later_kinds: None) -> None:
    _index("case", "1", "Gritting routes by sensor", body="Sensors say where gritting is needed.")
    _index("case", "2", "Gritting with salt from the sea")
    _index("organisation", "7", "Gritshire County Council")
    _index("resource", "r1", "A guide to gritting")
    _index("case", "3", "Potholes")

    results = site_search(query="gritting")

    assert {count.kind.doc_type: count.count for count in results.counts} == {
        "organisation": 0,
        "case": 2,
        "consultation": 0,
        "conversation": 0,
        "partnership": 0,
        "project": 0,
        "person": 0,
        "event": 0,
        "resource": 1,
    }
    assert results.total == 3
    assert [(group.kind.doc_type, group.count) for group in results.groups] == [
        ("case", 2),
        ("resource", 1),
    ]
    case_hits = results.groups[0].hits
    assert [hit.object_id for hit in case_hits] == ["1", "2"]
    assert case_hits[0].url == "/case/1/"
    assert "<mark>Gritting</mark>" in case_hits[0].title_highlighted
    assert "<mark>gritting</mark>" in case_hits[0].snippet


def test_each_kind_shows_its_best_few_and_counts_them_all(later_kinds: None) -> None:
    _gritting_everywhere(count_of_each=PER_KIND + 2)
    results = site_search(query="gritting")
    assert [group.count for group in results.groups] == [PER_KIND + 2] * len(EVERY_KIND)
    assert all(len(group.hits) == PER_KIND for group in results.groups)


def test_a_kinds_count_is_what_its_own_search_finds(later_kinds: None) -> None:
    _gritting_everywhere(count_of_each=3)
    _index("case", "phrase", "Road gritting", body="gritting the road before frost")
    _index("case", "words", "Frost", body="road salt, then later gritting")
    for query in ("gritting", "gritt", "road gritting", '"road gritting"', "frost"):
        ranking = rank_kinds(query=query, doc_types=EVERY_KIND)
        for doc_type in EVERY_KIND:
            alone = search(query=query, doc_type=doc_type, page_size=100, correct=False)
            assert ranking.totals[doc_type] == alone.total, (query, doc_type)
            assert [str(row["object_id"]) for _, row in ranking.ranked[doc_type]] == [
                hit.object_id for hit in alone.hits
            ], (query, doc_type)


@pytest.mark.parametrize("doc_type", EVERY_KIND)
def test_a_document_that_is_not_public_never_appears_or_counts(
    later_kinds: None, doc_type: str
) -> None:
    _index(doc_type, "public", "Gritting in public")
    _index(doc_type, "hidden", "Gritting in private", is_public=False)

    results = site_search(query="gritting")
    assert results.count_of(doc_type) == 1
    assert [hit.object_id for hit in results.hits] == ["public"]
    narrowed = site_search(query="gritting", kind=doc_type)
    assert narrowed.total == 1
    assert [hit.object_id for hit in narrowed.hits] == ["public"]
    listed = site_search_list(query="private")
    assert listed.total == 0
    assert listed.hits == []


def test_narrowed_to_a_kind_its_hits_come_a_page_at_a_time(later_kinds: None) -> None:
    for n in range(25):
        _index("event", f"e{n:02}", f"Gritting meetup {n}")
    _index("case", "c", "Gritting case")
    first = site_search(query="gritting", kind="event", page_size=10)
    third = site_search(query="gritting", kind="event", page=3, page_size=10)
    assert first.total == 25
    assert first.page_count == 3
    assert len(first.hits) == 10
    assert len(third.hits) == 5
    assert {hit.doc_type for hit in first.hits + third.hits} == {"event"}
    # Every kind's count is still given, for the list of kinds beside the results.
    assert first.count_of("case") == 1


def test_as_one_list_the_kinds_follow_each_other_across_pages(later_kinds: None) -> None:
    for n in range(3):
        _index("organisation", f"o{n}", f"Gritting body {n}")
        _index("case", f"c{n}", f"Gritting case {n}")
        _index("resource", f"r{n}", f"Gritting guide {n}")
    pages = [site_search_list(query="gritting", page=n, page_size=4) for n in (1, 2, 3)]
    assert [[hit.doc_type for hit in page.hits] for page in pages] == [
        ["organisation"] * 3 + ["case"],
        ["case"] * 2 + ["resource"] * 2,
        ["resource"],
    ]
    assert {page.total for page in pages} == {9}


def test_an_empty_query_finds_nothing(later_kinds: None) -> None:
    _gritting_everywhere()
    results = site_search(query="  ")
    assert results.total == 0
    assert results.hits == []


def test_the_queries_are_the_same_however_many_kinds_match(later_kinds: None) -> None:
    def queries_for(query: str) -> int:
        site_search(query=query)  # warm: id sets and counts kept until the next write
        with CaptureQueriesContext(connection) as captured:
            results = site_search(query=query)
        assert results.hits
        return len(captured.captured_queries)

    _index("case", "one", "Snowplough")
    _gritting_everywhere(count_of_each=4)
    one_kind = queries_for("snowplough")
    every_kind = queries_for("gritting")
    assert one_kind == every_kind
    # The text index's matches, the ranked rows, the shown texts and links; on PostgreSQL the
    # first is five statements (a savepoint and the planner's setting around it, backends/).
    assert every_kind <= (3 if connection.vendor == "sqlite" else 7)


def test_a_document_indexed_without_a_link_gets_one_from_its_kind(later_kinds: None) -> None:
    register_kind(
        SearchKind(
            doc_type="resource",
            label="resource",
            plural="resources",
            links=lambda ids: {object_id: f"/library/{object_id}" for object_id in ids},
        )
    )
    index_document(doc_type="resource", object_id="old", title="Gritting handbook")
    (hit,) = site_search(query="gritting").hits
    assert hit.url == "/library/old"


def test_kinds_not_registered_are_not_searched() -> None:
    index_document(doc_type="secret-kind", object_id="1", title="Gritting")
    assert site_search(query="gritting").total == 0
