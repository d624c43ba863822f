"""The same queries give the same results in the same order on SQLite and on PostgreSQL.

CI runs this module on both databases; the expected lists below are the only expectations, so a
change in either backend's matching or in the shared ranking shows up as a failure here. They were
last changed deliberately with the relevance tuning of docs/decisions/0015-search-relevance.md.
"""

from __future__ import annotations

import pytest

from kitbag.search.queries import search
from kitbag.search.tests.corpus import index_corpus

pytestmark = pytest.mark.django_db

EXPECTED = {
    "parking": ["c01", "c06", "c23", "c13", "c08"],
    # Every query word need not match: documents with some of the words follow those with all.
    "council tax": ["c30", "c03", "c22", "c07", "c29", "c05", "c25", "c02"],
    "chatbot": ["c19", "c03"],
    "chat": ["c19", "c03"],
    "pothol": ["c04", "c28"],
    "children's services": ["c02", "c14", "c22", "c21", "c23"],
    '"early help"': ["c14", "c02"],
    "ynys mon": ["c05"],
    "bin collection": ["c09", "c10", "c24"],
    "housing repairs": ["c19", "c05", "c25", "c17", "c28", "c04"],
    "data": ["c10", "c07", "c28", "c02"],
    "permits": ["c01", "c13"],
    "sensors": ["c15", "c25"],
    "predictive": ["c10", "c25", "c02"],
    "online": ["c21", "c29", "c13", "c24", "c27", "c16", "c26", "c05", "c06", "c01"],
    "transport residents": ["c26", "c01", "c08", "c29", "c06", "c28", "c15", "c09", "c24", "c04"],
    # Acronyms and synonyms officers type find what the cases call it.
    "RPA": ["c17"],
    "virtual assistant": ["c19", "c03"],
    "GP": ["c11"],
    "machine learning": ["c10"],
    # A long question matches no case word for word: the best partial matches still come back.
    "how can residents renew a taxi licence online from home": [
        "c29",
        "c01",
        "c08",
        "c06",
        "c24",
        "c26",
        "c21",
        "c13",
        "c28",
        "c15",
        "c09",
        "c04",
        "c27",
        "c16",
        "c05",
    ],
    "licence": ["c29"],
}


@pytest.mark.parametrize(("query", "expected"), list(EXPECTED.items()))
def test_result_order_is_the_same_on_every_database(query: str, expected: list[str]) -> None:
    index_corpus()
    results = search(query=query, doc_type="case", page_size=50)
    assert [hit.object_id for hit in results.hits] == expected
    assert results.total == len(expected)
