"""The site-wide search page, /search/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kitbag.search.services import index_document

pytestmark = pytest.mark.django_db


def _index(doc_type: str, object_id: str, title: str, **fields: Any) -> None:
    index_document(
        doc_type=doc_type,
        object_id=object_id,
        title=title,
        url=f"/{doc_type}s/{object_id}/",
        **fields,
    )


def _page(**params: str) -> str:
    response = Client().get(reverse("search:site_search"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def indexed() -> None:
    _index("organisation", "gritshire", "Gritshire Gritting Agency")
    for n in range(5):
        _index("case", f"c{n}", f"Gritting case {n}")
    _index("case", "draft", "Gritting draft nobody may see", is_public=False)
    _index("conversation", "v1", "Should we grit cycle lanes?", body="Gritting cycle lanes first.")


def test_the_page_groups_hits_by_kind_with_counts_and_a_link_to_see_all(indexed: None) -> None:
    html = _page(q="gritting")
    assert "7 results for “gritting”" in html
    assert "Cases (5)" in html
    assert "Organisations (1)" in html
    assert "Conversations (1)" in html
    assert "Consultations (0)" in html
    # A kind with its own search page sends "see all" there; the rest narrow this page.
    assert 'href="/cases/?q=gritting"' in html
    assert "See all 5 cases" in html
    assert html.count('href="/cases/c') == 3
    assert 'href="/search/?q=gritting&amp;kind=conversation"' in html
    assert 'href="/organisations/gritshire/"' in html
    assert "<mark>Gritting</mark> case 0" in html


def test_a_document_that_is_not_public_never_appears_or_counts(indexed: None) -> None:
    assert "nobody may see" not in _page(q="gritting")
    assert "nobody may see" not in _page(q="gritting", kind="case")
    assert "0 results for “nobody”" in _page(q="nobody")


def test_narrowed_to_a_kind_the_page_shows_its_hits_a_page_at_a_time(indexed: None) -> None:
    for n in range(5, 25):
        _index("case", f"c{n}", f"Gritting case {n}")
    first = _page(q="gritting", kind="case")
    assert "25 cases match “gritting”" in first
    assert first.count('href="/cases/c') == 20
    assert 'aria-label="Results pages"' in first
    second = _page(q="gritting", kind="case", page="2")
    assert second.count('href="/cases/c') == 5
    # A page past the end shows the last.
    assert _page(q="gritting", kind="case", page="9").count('href="/cases/c') == 5


def test_an_unknown_kind_shows_everything(indexed: None) -> None:
    assert "7 results for “gritting”" in _page(q="gritting", kind="spaceship")


def test_without_words_the_page_asks_for_some() -> None:
    html = _page()
    assert 'id="site-search-q"' in html
    assert "results for" not in html


def test_every_page_has_the_search_box_in_its_header() -> None:
    html = Client().get(reverse("core:home")).content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html


def test_the_page_makes_the_same_queries_however_many_kinds_match(
    indexed: None, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.KITBAG_PAGE_CACHE_SECONDS = 0  # the view itself, not a cached page
    _page(q="gritting")
    _page(q="gritshire")
    with CaptureQueriesContext(connection) as one_kind:
        _page(q="gritshire")
    with CaptureQueriesContext(connection) as three_kinds:
        _page(q="gritting")
    assert len(one_kind) == len(three_kinds)
    # On PostgreSQL the text index is read inside a savepoint with a planner setting (backends/).
    with django_assert_max_num_queries(3 if connection.vendor == "sqlite" else 7):
        _page(q="gritting")
