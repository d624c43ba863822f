"""The registry of kinds the site-wide search shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kitbag.search.kinds import SearchKind, all_kinds, kind_named, register_kind, unregister_kind


@pytest.fixture
def later_kind() -> Iterator[SearchKind]:
    kind = SearchKind(doc_type="example", label="example", plural="examples", order=999)
    register_kind(kind)
    yield kind
    unregister_kind("example")


def test_the_kinds_are_registered_in_the_order_the_page_groups_them() -> None:
    assert [kind.doc_type for kind in all_kinds()] == [
        "organisation",
        "case",
        "consultation",
        "conversation",
        "partnership",
        "project",
        "person",
        "event",
        "resource",
    ]


def test_a_new_app_joins_with_one_registration(later_kind: SearchKind) -> None:
    assert kind_named("example") is later_kind
    assert [kind.doc_type for kind in all_kinds()][-1] == "example"


def test_registering_a_kind_again_replaces_it(later_kind: SearchKind) -> None:
    register_kind(SearchKind(doc_type="example", label="link", plural="links", order=5))
    assert [kind.doc_type for kind in all_kinds()][0] == "example"
    assert str(kind_named("example").plural) == "links"  # type: ignore[union-attr]
