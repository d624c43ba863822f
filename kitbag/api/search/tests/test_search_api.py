"""GET /api/v1/search: the site-wide search's counts by kind and a page of its hits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kitbag.search.kinds import all_kinds
from kitbag.search.services import index_document

pytestmark = pytest.mark.django_db


def _index(doc_type: str, object_id: str, title: str, **fields: Any) -> None:
    index_document(
        doc_type=doc_type, object_id=object_id, title=title, url=f"/x/{object_id}/", **fields
    )


def _get(**params: str) -> Any:
    return Client().get(reverse("api_search"), params)


@pytest.fixture
def indexed() -> None:
    _index("organisation", "o1", "Gritshire County Council")
    _index("case", "c1", "Gritting routes", body="Sensors say where gritting & salting help.")
    _index("case", "c2", "Gritting by drone")
    _index("case", "c3", "Gritting draft", is_public=False)
    _index("consultation", "k1", "Winter gritting plan")
    _index("conversation", "v1", "Potholes")


def test_the_answer_gives_every_kinds_count_and_the_hits_kind_after_kind(indexed: None) -> None:
    answer = _get(q="gritting").json()
    assert answer["count"] == 3
    assert answer["next"] is None and answer["previous"] is None
    # Every registered kind is listed, in the page's order, with a count (0 where none match).
    assert [kind["kind"] for kind in answer["kinds"]] == [kind.doc_type for kind in all_kinds()]
    assert answer["kinds"][:4] == [
        {"kind": "organisation", "label": "Organisations", "count": 0},
        {"kind": "case", "label": "Cases", "count": 2},
        {"kind": "consultation", "label": "Consultations", "count": 1},
        {"kind": "conversation", "label": "Conversations", "count": 0},
    ]
    assert sum(kind["count"] for kind in answer["kinds"]) == 3
    assert [(hit["kind"], hit["title"]) for hit in answer["results"]] == [
        ("case", "Gritting routes"),
        ("case", "Gritting by drone"),
        ("consultation", "Winter gritting plan"),
    ]
    first = answer["results"][0]
    assert first["url"] == "http://testserver/x/c1/"
    # Plain text in the API, not the page's HTML.
    assert first["snippet"] == "Sensors say where gritting & salting help."


def test_a_kind_narrows_the_hits_but_not_the_counts(indexed: None) -> None:
    answer = _get(q="gritting", kind="consultation").json()
    assert answer["count"] == 1
    assert [hit["kind"] for hit in answer["results"]] == ["consultation"]
    counts = {kind["kind"]: kind["count"] for kind in answer["kinds"]}
    assert counts == dict.fromkeys(counts, 0) | {"case": 2, "consultation": 1}


def test_pages_follow_on_across_kinds(indexed: None) -> None:
    first = _get(q="gritting", page_size="2").json()
    second = Client().get(first["next"]).json()
    assert [hit["title"] for hit in first["results"] + second["results"]] == [
        "Gritting routes",
        "Gritting by drone",
        "Winter gritting plan",
    ]
    assert second["next"] is None
    # The first page's address has no page parameter, as in every paged list of the API.
    assert "page=" not in second["previous"]
    assert "q=gritting" in second["previous"] and "page_size=2" in second["previous"]


def test_a_document_that_is_not_public_never_appears_or_counts(indexed: None) -> None:
    answer = _get(q="draft").json()
    assert answer["count"] == 0
    assert answer["results"] == []
    assert all(kind["count"] == 0 for kind in answer["kinds"])
    assert _get(q="gritting", kind="case").json()["count"] == 2


def test_an_empty_query_finds_nothing(indexed: None) -> None:
    answer = _get().json()
    assert answer["count"] == 0 and answer["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "-1"}, "page_size"),
    ],
    ids=["unknown kind", "page zero", "page in words", "negative page size"],
)
def test_a_wrong_parameter_is_a_400_naming_it(params: dict[str, str], field: str) -> None:
    response = _get(q="gritting", **params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_page_past_the_end_is_a_404(indexed: None) -> None:
    assert _get(q="gritting", page="2").status_code == 404


def test_the_queries_do_not_grow_with_the_kinds_that_match(
    indexed: None, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.KITBAG_PAGE_CACHE_SECONDS = 0  # the search itself, not a cached answer
    _get(q="potholes")  # warm: the search keeps its id sets and counts until the next write
    _get(q="gritting")
    # On PostgreSQL the text index is read inside a savepoint with a planner setting (backends/).
    most = 3 if connection.vendor == "sqlite" else 7
    with django_assert_max_num_queries(most):
        assert _get(q="potholes").json()["count"] == 1
    with django_assert_max_num_queries(most):
        assert _get(q="gritting").json()["count"] == 3
