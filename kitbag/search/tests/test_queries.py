from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument
from kitbag.search.queries import Sort, _facet_counts, search
from kitbag.search.services import (
    current_generation,
    generation_key,
    index_document,
    remove_document,
)
from kitbag.search.tests.corpus import index_corpus
from kitbag.search.text import facet_filter, facet_token, parse_query

pytestmark = pytest.mark.django_db


def _ids(
    query: str,
    *,
    filters: dict[str, list[str]] | None = None,
    public_only: bool = True,
    sort: Sort = "relevance",
) -> list[str]:
    results = search(
        query=query,
        doc_type="case",
        filters=filters,
        public_only=public_only,
        sort=sort,
        page_size=100,
    )
    return [hit.object_id for hit in results.hits]


def test_drafts_never_appear_in_public_searches() -> None:
    index_document(doc_type="case", object_id="draft", title="Parking draft", is_public=False)
    index_document(doc_type="case", object_id="live", title="Parking live")
    assert _ids("parking") == ["live"]
    assert _ids("") == ["live"]
    assert sorted(_ids("parking", public_only=False)) == ["draft", "live"]


def test_filters_are_anded_across_facets_and_ored_within_one() -> None:
    index_corpus()
    assert set(_ids("", filters={"service": ["parking"], "nation": ["England"]})) == {
        "c01",
        "c06",
        "c13",
        "c23",
    }
    both = set(_ids("", filters={"service": ["parking", "waste"]}))
    assert both == {"c01", "c06", "c13", "c23", "c09", "c10", "c24"}
    assert _ids("", filters={"service": ["parking"], "nation": ["Wales"]}) == []
    assert set(_ids("", filters={"service": []})) == {f"c{n:02}" for n in range(1, 31)}


def test_facet_counts_cover_the_whole_filtered_set_not_one_page() -> None:
    index_corpus()
    results = search(
        query="online",
        doc_type="case",
        filters={"nation": ["England", "Wales"]},
        facets=["service", "nation"],
        page_size=2,
    )
    assert results.total == 8
    assert len(results.hits) == 2
    assert results.facet_counts["nation"] == [("England", 5), ("Wales", 3)]
    # Most first, then alphabetical among equal counts.
    assert results.facet_counts["service"] == [
        ("parking", 3),
        ("adult-care", 1),
        ("housing", 1),
        ("licensing", 1),
        ("registration", 1),
        ("waste", 1),
    ]


def test_facet_counts_of_a_search_agree_with_the_facet_table() -> None:
    # Counted from each document's own copy of its facets; the table is what filters read.
    index_corpus()
    index_document(
        doc_type="case",
        object_id="reindexed",
        title="Online parking permits",
        facets={"service": ["parking", "parking", ""], "nation": ["Wales"]},
    )
    index_document(
        doc_type="case",
        object_id="reindexed",
        title="Online parking permits",
        facets={"service": ["waste"], "nation": cast(list[str], [2])},
    )
    names = ["service", "nation", "never-given"]
    results = search(query="online", doc_type="case", facets=names)
    matched = SearchDocument.objects.filter(object_id__in=[hit.object_id for hit in results.hits])
    assert results.total == len(results.hits)
    assert results.facet_counts == _facet_counts(matched, names)
    assert ("2", 1) in results.facet_counts["nation"]
    assert results.facet_counts["never-given"] == []


def test_titles_are_escaped_and_matched_words_marked() -> None:
    index_document(
        doc_type="case",
        object_id="x",
        title="<script>alert('parking')</script> & Parking",
        body="Parking <b>permits</b> for residents.",
    )
    hit = search(query="parking", doc_type="case").hits[0]
    assert hit.title_highlighted == (
        "&lt;script&gt;alert(&#x27;<mark>parking</mark>&#x27;)&lt;/script&gt; &amp; "
        "<mark>Parking</mark>"
    )
    assert "<script>" not in hit.snippet and "<b>" not in hit.snippet
    assert hit.snippet.startswith("<mark>Parking</mark> &lt;b&gt;permits")


def test_snippets_are_about_thirty_words_around_the_matches() -> None:
    filler = " ".join(f"word{n}" for n in range(60))
    index_document(
        doc_type="case", object_id="x", title="Long", body=f"{filler} potholes fixed {filler}"
    )
    snippet = search(query="potholes", doc_type="case").hits[0].snippet
    assert "<mark>potholes</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.split()) <= 32


def test_the_last_word_is_a_prefix_and_quotes_make_a_phrase() -> None:
    index_corpus()
    assert _ids("pothol") == ["c04", "c28"]
    assert _ids("chat") == ["c19", "c03"]
    assert _ids("chat ") == []  # a finished word is a whole word
    assert _ids('"help early"') == []
    assert _ids('"early help"') == ["c14", "c02"]
    # Without quotes, the cases with both words lead and those with one follow.
    assert _ids("early help")[:2] == ["c14", "c02"]
    assert len(_ids("early help")) > 2


def test_diacritics_are_ignored_both_ways() -> None:
    index_corpus()
    assert _ids("ynys mon") == ["c05"]
    assert _ids("Ynys Môn") == ["c05"]
    hit = search(query="ynys mon", doc_type="case").hits[0]
    assert hit.title_highlighted.startswith("<mark>Ynys</mark> <mark>Môn</mark>")


@pytest.mark.parametrize(
    "hostile",
    [
        "' OR 1=1 --",
        "NEAR(",
        "NEAR(parking council, 2)",
        "*",
        '"',
        '"parking',
        'parking"',
        "title:parking",
        "parking AND OR NOT",
        "-parking",
        "^parking",
        "(((",
        "!@#$%^&*()",
        "'; DROP TABLE search_searchdocument; --",
        "parking" * 1000,
        "parking " * 700,
        "a" * 5000,
        "\x00parking",
        "Ωmega ŵ ☃",
    ],
)
def test_hostile_input_never_errors(hostile: str) -> None:
    index_corpus()
    results = search(query=hostile, doc_type="case", facets=["phase"])
    assert results.total >= 0


def test_an_empty_or_punctuation_only_query_lists_everything_newest_first() -> None:
    index_corpus()
    everything = _ids("")
    assert everything == _ids("  !?*  ") == _ids("the and of")
    assert everything[:3] == ["c19", "c28", "c10"]
    # Undated cases come last, in object_id order.
    assert everything[-2:] == ["c21", "c29"]


def test_pages_split_the_results_without_overlap() -> None:
    index_corpus()
    pages = [search(query="", doc_type="case", page=n, page_size=7) for n in (1, 2, 3, 4, 5)]
    ids = [hit.object_id for page in pages for hit in page.hits]
    assert ids == _ids("")
    assert [len(page.hits) for page in pages] == [7, 7, 7, 7, 2]
    assert pages[0].total == 30 and pages[0].page_count == 5
    assert search(query="", doc_type="case", page=99).hits == []
    ranked = [search(query="online", doc_type="case", page=n, page_size=3) for n in (1, 2, 3, 4)]
    assert [h.object_id for page in ranked for h in page.hits] == _ids("online")


def test_newest_sort_orders_matches_by_date() -> None:
    index_corpus()
    assert _ids("parking", sort="newest") == ["c08", "c01", "c13", "c23", "c06"]


def test_ties_in_score_are_broken_by_date_then_object_id() -> None:
    for object_id, date in (("b", dt.date(2020, 1, 1)), ("a", dt.date(2020, 1, 1)), ("c", None)):
        index_document(doc_type="case", object_id=object_id, title="Pothole", sort_date=date)
    index_document(doc_type="case", object_id="d", title="Pothole", sort_date=dt.date(2021, 1, 1))
    assert _ids("pothole") == ["d", "a", "b", "c"]


def test_web_addresses_and_hyphenated_words_are_split_the_same_on_both_databases() -> None:
    index_document(
        doc_type="case",
        object_id="x",
        title="E-books at camden.gov.uk",
        body="Contact libraries@camden.gov.uk",
    )
    assert _ids("books") == ["x"]
    assert _ids("camden gov") == ["x"]
    assert _ids("libraries") == ["x"]


def test_ties_break_by_object_id_code_points_in_sql_and_in_python_alike() -> None:
    for object_id in ("ab", "a-c", "B", "a_b"):
        index_document(
            doc_type="case", object_id=object_id, title="Pothole", sort_date=dt.date(2020, 1, 1)
        )
    expected = sorted(["ab", "a-c", "B", "a_b"])
    assert _ids("") == expected
    assert _ids("pothole") == expected
    assert _ids("pothole", sort="newest") == expected


def test_a_question_matching_no_case_word_for_word_still_finds_the_best_partial_matches() -> None:
    index_corpus()
    ids = _ids("how can residents renew a taxi licence online from home")
    assert ids[0] == "c29"  # taxi, licence (licences), renew, online
    assert "c01" in ids[:3]  # renew, online, residents


def test_synonyms_count_a_little_less_than_the_words_typed() -> None:
    index_document(doc_type="case", object_id="typed", title="Chatbot for residents")
    index_document(doc_type="case", object_id="synonym", title="Virtual assistant for residents")
    index_document(doc_type="case", object_id="neither", title="Residents panel")
    assert _ids("chatbot residents ") == ["typed", "synonym", "neither"]
    assert _ids("virtual assistant residents ") == ["synonym", "typed", "neither"]


def test_beyond_the_candidate_limit_the_database_picks_the_candidates_and_filters_still_apply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_corpus()
    monkeypatch.setattr("kitbag.search.queries.CANDIDATE_LIMIT", 4)
    monkeypatch.setattr("kitbag.search.queries.WINDOW", 3)
    results = search(query="online", doc_type="case", facets=["nation"], page_size=50)
    assert results.total == 10  # every match counts, though only the candidates are ranked
    assert len(results.hits) == 3
    # Facets then count the candidates, and say so.
    assert sum(count for _, count in results.facet_counts["nation"]) == 3
    assert not results.facet_counts_complete
    assert search(query="chatbot", doc_type="case").facet_counts_complete
    wales = search(query="online", doc_type="case", filters={"nation": ["Wales"]}, page_size=50)
    assert [hit.object_id for hit in wales.hits] == ["c29", "c24", "c05"]


def test_with_plenty_of_documents_having_every_word_only_those_are_matched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_corpus()
    assert search(query="online residents", doc_type="case").total > 3
    monkeypatch.setattr("kitbag.search.queries.CANDIDATE_LIMIT", 3)
    results = search(query="online residents", doc_type="case", page_size=50)
    assert {hit.object_id for hit in results.hits} <= {"c01", "c06", "c24", "c26"}
    assert results.total == 4


def test_newest_first_with_a_query_pages_in_the_database() -> None:
    index_corpus()
    results = search(query="parking", doc_type="case", sort="newest", page_size=2, page=2)
    assert results.total == 5
    assert len(results.hits) == 2


def test_an_empty_querys_cached_counts_change_with_every_write() -> None:
    index_document(doc_type="case", object_id="a", title="Parking", facets={"phase": ["live"]})
    first = search(query="", doc_type="case", facets=["phase"])
    assert (first.total, first.facet_counts) == (1, {"phase": [("live", 1)]})
    index_document(doc_type="case", object_id="b", title="Bins", facets={"phase": ["beta"]})
    second = search(query="", doc_type="case", facets=["phase"])
    assert (second.total, second.facet_counts) == (2, {"phase": [("beta", 1), ("live", 1)]})
    remove_document(doc_type="case", object_id="a")
    assert search(query="", doc_type="case", facets=["phase"]).facet_counts == {
        "phase": [("beta", 1)]
    }


def test_newest_first_beyond_the_candidate_limit_orders_every_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_corpus()
    every_match = search(query="online", doc_type="case", sort="newest", page_size=100)
    monkeypatch.setattr("kitbag.search.queries.CANDIDATE_LIMIT", 4)
    monkeypatch.setattr("kitbag.search.queries.WINDOW", 3)
    pages = [
        search(query="online", doc_type="case", sort="newest", page_size=4, page=page)
        for page in (1, 2, 3)
    ]
    assert [hit.object_id for page in pages for hit in page.hits] == [
        hit.object_id for hit in every_match.hits
    ]
    assert pages[0].total == every_match.total == 10


def test_filters_and_visibility_kept_between_searches_change_with_every_write() -> None:
    index_document(
        doc_type="case", object_id="a", title="Parking permits", facets={"nation": ["Wales"]}
    )
    assert _ids("parking", filters={"nation": ["Wales"]}) == ["a"]
    assert _ids("", filters={"nation": ["Wales"]}) == ["a"]
    index_document(
        doc_type="case",
        object_id="b",
        title="Parking sensors",
        facets={"nation": ["Wales"]},
        is_public=False,
    )
    assert _ids("parking", filters={"nation": ["Wales"]}) == ["a"]
    index_document(
        doc_type="case", object_id="b", title="Parking sensors", facets={"nation": ["Wales"]}
    )
    assert sorted(_ids("parking", filters={"nation": ["Wales"]})) == ["a", "b"]
    assert sorted(_ids("", filters={"nation": ["Wales"]})) == ["a", "b"]
    index_document(
        doc_type="case", object_id="a", title="Parking permits", facets={"nation": ["England"]}
    )
    assert _ids("parking", filters={"nation": ["Wales"]}) == ["b"]
    remove_document(doc_type="case", object_id="b")
    assert _ids("parking", filters={"nation": ["Wales"]}) == []


def test_other_kinds_of_document_never_appear() -> None:
    index_document(doc_type="case", object_id="1", title="Parking permits")
    index_document(doc_type="organisation", object_id="1", title="Parking authority")
    assert _ids("parking") == ["1"]
    assert search(query="parking", doc_type="organisation").total == 1


def test_with_very_many_matches_candidates_with_the_words_in_the_title_come_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number in range(1, 5):
        index_document(
            doc_type="case",
            object_id=f"body{number}",
            title=f"Garden survey {number}",
            body="Residents reported knotweed beside the river path.",
        )
    index_document(doc_type="case", object_id="title1", title="Knotweed treatment")
    index_document(doc_type="case", object_id="title2", title="Mapping knotweed")
    monkeypatch.setattr("kitbag.search.queries.CANDIDATE_LIMIT", 3)
    monkeypatch.setattr("kitbag.search.queries.WINDOW", 3)
    # Candidates then come from the title and summary index (backends/base.py ranked_ids).
    monkeypatch.setattr("kitbag.search.backends.base.FULL_RANKING_LIMIT", 0)
    results = search(query="knotweed", doc_type="case", page_size=10)
    assert results.total == 6
    hits = [hit.object_id for hit in results.hits]
    assert sorted(hits[:2]) == ["title1", "title2"]
    # The rest: matches in the body alone, most recently indexed first.
    assert hits[2] == "body4"
    # With fewer matches than the limit, the database ranks every match by its whole text.
    monkeypatch.setattr("kitbag.search.backends.base.FULL_RANKING_LIMIT", 5000)
    assert len(search(query="knotweed", doc_type="case", page_size=10).hits) == 3


def test_after_the_cache_is_emptied_a_search_starts_a_generation_and_keeps_its_sets() -> None:
    index_document(doc_type="case", object_id="live", title="Parking live")
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert _ids("parking") == ["live"]
    generation = cache.get(generation_key())
    assert generation is not None
    with CaptureQueriesContext(connection) as second:
        assert _ids("parking") == ["live"]
    # The documents a search may not show were read once, not again.
    assert len(second.captured_queries) < len(first.captured_queries)

    # The next write still makes every kept set stale.
    index_document(doc_type="case", object_id="draft", title="Parking draft", is_public=False)
    assert cache.get(generation_key()) != generation
    assert _ids("parking") == ["live"]
    index_document(doc_type="case", object_id="draft", title="Parking draft", is_public=True)
    assert sorted(_ids("parking")) == ["draft", "live"]


def test_a_cache_that_keeps_nothing_gives_no_generation_and_searches_still_work() -> None:
    index_document(doc_type="case", object_id="live", title="Parking live")
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        assert current_generation() is None
        assert _ids("parking") == ["live"]
        index_document(doc_type="case", object_id="more", title="Parking more")
        assert sorted(_ids("parking")) == ["live", "more"]


def test_a_small_index_is_asked_once_for_the_matches_of_several_words() -> None:
    # Fewer documents than CANDIDATE_LIMIT can never all have every word that many times over.
    index_corpus()
    with CaptureQueriesContext(connection) as queries:
        found = _ids("online parking permits")
    assert found
    text_index_reads = [
        query["sql"]
        for query in queries.captured_queries
        if " MATCH " in query["sql"] or "@@" in query["sql"]
    ]
    assert len(text_index_reads) == 1


def test_the_text_index_applies_the_filters_and_the_facet_table_is_not_read() -> None:
    index_corpus()
    wales = set(_ids("", filters={"nation": ["Wales"]}))
    online = set(_ids("online"))
    with CaptureQueriesContext(connection) as queries:
        filtered = _ids("online", filters={"nation": ["Wales"]})
    assert set(filtered) == online & wales and filtered
    assert not [q["sql"] for q in queries.captured_queries if "search_searchfacet" in q["sql"]]
    listed = backend_for().matching_id_list(
        parse_query("online"), required=facet_filter({"nation": ["Wales"]})
    )
    assert {d.object_id for d in SearchDocument.objects.filter(pk__in=listed)} == set(filtered)


def test_a_facet_word_written_in_the_text_never_passes_a_filter() -> None:
    wales = facet_token("nation", "Wales")
    index_document(doc_type="case", object_id="real", title="Parking", facets={"nation": ["Wales"]})
    index_document(doc_type="case", object_id="spoof", title=f"Parking {wales}", body=wales)
    assert _ids("parking", filters={"nation": ["Wales"]}) == ["real"]


def test_changing_a_documents_facets_changes_the_words_the_index_filters_by() -> None:
    index_document(doc_type="case", object_id="a", title="Parking", facets={"nation": ["Wales"]})
    index_document(doc_type="case", object_id="a", title="Parking", facets={"nation": ["England"]})
    assert _ids("parking", filters={"nation": ["Wales"]}) == []
    assert _ids("parking", filters={"nation": ["England"]}) == ["a"]


def test_the_title_and_summary_ranking_applies_the_filters() -> None:
    for object_id, title, body, extra, nations in (
        ("wales", "Parking sensors", "", "", ["Wales"]),
        ("wales-body", "Street survey", "Parking sensors in the body only.", "", ["Wales"]),
        ("england", "Parking bays", "", "", ["England"]),
        ("both", "Parking permits", "", "Parking", ["England", "Wales"]),
    ):
        index_document(
            doc_type="case",
            object_id=object_id,
            title=title,
            body=body,
            extra=extra,
            facets={"nation": nations},
        )
    ranked = backend_for().best_head_matches(
        parse_query("parking"),
        every_concept=False,
        required=facet_filter({"nation": ["Wales"]}),
        limit=10,
        offset=0,
    )
    found = [SearchDocument.objects.get(pk=pk).object_id for pk in ranked]
    # Only titles and summaries count here, and only documents the filter allows.
    assert sorted(found) == ["both", "wales"]
    unfiltered = backend_for().best_head_matches(
        parse_query("parking"), every_concept=False, required=(), limit=10, offset=0
    )
    assert len(unfiltered) == 3


def test_a_document_is_written_once_with_its_terms() -> None:
    with CaptureQueriesContext(connection) as queries:
        index_document(
            doc_type="case",
            object_id="a",
            title="Parking permits",
            body="Bays",
            facets={"nation": ["Wales"]},
        )
    # The terms go with the row, so no second write of it leaves a dead copy behind.
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "terms" in q["sql"]
    ]
    document = SearchDocument.objects.get(object_id="a")
    assert "parking" in document.terms.split("\n")[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vector::text FROM search_head WHERE document_id = %s", [document.pk]
            )
            # The facet words are in the whole vector only (migration 0007).
            assert "zf" not in cursor.fetchone()[0]
