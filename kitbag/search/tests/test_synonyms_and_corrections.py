"""What officers type: stored one-way synonyms and corrected misspellings, on fixed queries.

The suite runs these on SQLite (FTS5) and on PostgreSQL (DATABASE_URL), and both must give the
same answers: synonyms become alternatives both databases match, and corrections come from the
stored terms, which are the same on both.
"""

from __future__ import annotations

import pytest

from kitbag.search.models import SearchSynonym
from kitbag.search.queries import search, vocabulary
from kitbag.search.services import index_document, replace_synonyms

pytestmark = pytest.mark.django_db


@pytest.fixture
def library() -> None:
    for object_id, title, extra in (
        ("roads", "Sensors on the highway network", "Road maintenance"),
        ("bot", "A chatbot answers residents", ""),
        ("tax", "Chatbot for council tax questions", "Council tax account enquiries"),
        ("bins", "Household waste collection routes", ""),
        ("books", "Library opening hours online", ""),
    ):
        index_document(doc_type="case", object_id=object_id, title=title, extra=extra)
    index_document(
        doc_type="case", object_id="draft", title="Zebracrossing sensors", is_public=False
    )


def ids(query: str) -> list[str]:
    return sorted(hit.object_id for hit in search(query=query, doc_type="case").hits)


class TestSynonyms:
    def test_a_stored_former_name_finds_what_it_became_one_way(self, library: None) -> None:
        assert ids("potholes") == []
        replace_synonyms(source="lgsl-services", pairs=[("Potholes", "Road maintenance")])

        assert ids("potholes") == ["roads"]
        assert ids("pothole") == ["roads"]  # stemmed as typed words are
        assert ids("potholes sensors") == ["roads"]
        # One way: the service's own words do not find "potholes".
        index_document(doc_type="case", object_id="holes", title="Potholes reported by app")
        assert ids("road maintenance") == ["roads"]
        assert ids("potholes") == ["holes", "roads"]

    def test_replacing_a_source_s_pairs_is_idempotent_and_takes_effect_at_once(
        self, library: None
    ) -> None:
        pairs = [("Potholes", "Road maintenance"), ("Bin rounds", "Household waste collection")]
        assert replace_synonyms(source="lgsl-services", pairs=pairs) == (2, 0)
        assert replace_synonyms(source="lgsl-services", pairs=pairs) == (0, 0)
        assert ids("bin rounds") == ["bins"]

        assert replace_synonyms(source="lgsl-services", pairs=pairs[:1]) == (0, 1)
        assert ids("bin rounds") == []
        assert SearchSynonym.objects.count() == 1


class TestCorrections:
    def test_a_word_nothing_contains_is_corrected_and_searched_when_it_found_nothing(
        self, library: None
    ) -> None:
        results = search(query="chatbt", doc_type="case")
        assert (results.suggestion, results.corrected) == ("chatbot", True)
        assert sorted(hit.object_id for hit in results.hits) == ["bot", "tax"]
        assert results.total == 2

    def test_with_results_for_the_rest_the_correction_is_only_suggested(
        self, library: None
    ) -> None:
        results = search(query="Chatbot counsil tax", doc_type="case")
        assert (results.suggestion, results.corrected) == ("Chatbot council tax", False)
        assert [hit.object_id for hit in results.hits][0] == "tax"

    @pytest.mark.parametrize(
        ("query", "suggestion"),
        [
            ("libary", "library"),  # a deletion
            ("houshold waste", "household waste"),
            ("chatobt", "chatbot"),  # two letters swapped
            ("chatbot", ""),  # found as typed
            ("chatbots", ""),  # found through its stem
            ("cht", ""),  # too short to guess
            ("xyzzyq", ""),  # nothing one edit away
            ("zebracrosing", ""),  # drafts' words are never suggested
            ("potholes", ""),  # a synonym could have found it: not a misspelling
        ],
    )
    def test_fixed_queries(self, library: None, query: str, suggestion: str) -> None:
        assert search(query=query, doc_type="case").suggestion == suggestion

    def test_correct_false_searches_as_typed(self, library: None) -> None:
        results = search(query="chatbt", doc_type="case", correct=False)
        assert (results.total, results.suggestion, results.corrected) == (0, "", False)

    def test_the_vocabulary_is_the_public_documents_words_with_their_counts(
        self, library: None
    ) -> None:
        words = vocabulary(doc_type="case", public_only=True)
        assert words["chatbot"] == 2
        assert "zebracrossing" not in words
        assert "zebracrossing" in vocabulary(doc_type="case", public_only=False)
