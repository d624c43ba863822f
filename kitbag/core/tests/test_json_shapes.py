"""JSON fields filled from outside have a declared shape, and nothing else is saved in them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kitbag.cases.models import OFFERS, Case, Contact
from kitbag.cases.tests.factories import CaseFactory
from kitbag.core.json_shapes import GSS_CODES, MAX_AREA_CODES, PROVENANCE


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"depth": 0}
    for level in range(1, depth):
        value = {"depth": level, "inner": value}
    return value


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        (GSS_CODES, []),
        (GSS_CODES, ["E09000007", "W06000015", "S12000046", "N09000002", "K02000001"]),
        (OFFERS, []),
        (OFFERS, ["talk", "share-code"]),
        (PROVENANCE, {}),
        # As the importers write it (IPS-X and ATRS), and as synthetic cases do.
        (
            PROVENANCE,
            {
                "source": "ipsx",
                "file": "cases.csv",
                "line": 12,
                "id": "20001",
                "catalogue": {"id": "10001", "name": "Open Innovation", "url": ""},
                "status": "Pilot",
                "more_urls": ["https://example.org/a", "https://example.org/b"],
                "unmapped": {"uptake": "Yes"},
                "imported_at": "2026-01-02T10:00:00+00:00",
            },
        ),
        (PROVENANCE, {"listed_organisations": ["Cabinet Office"], "index": 0, "title": None}),
        (PROVENANCE, {"synthetic": True, "generator": "kitbag", "seed": 7}),
    ],
)
def test_values_of_the_declared_shape_pass(shape: Any, value: Any) -> None:
    assert shape.problem(value) is None


@pytest.mark.parametrize(
    ("shape", "value", "message"),
    [
        (
            GSS_CODES,
            ["E09000007", "Camden"],
            "must be a list of at most 500 GSS codes, like E09000007: 'Camden' does not match "
            "'^[EWSNK][0-9]{8}$' (at [1])",
        ),
        (
            GSS_CODES,
            "E09000007",
            "must be a list of at most 500 GSS codes, like E09000007: 'E09000007' is not of type "
            "'array'",
        ),
        (
            GSS_CODES,
            [f"E0{n:07d}" for n in range(MAX_AREA_CODES + 1)],
            "must be a list of at most 500 GSS codes, like E09000007: ['E00000000', "
            "'E00000001', 'E00000002', 'E00000003', 'E0000… is too long",
        ),
        (
            OFFERS,
            ["talk", {"talk": ["share-code"]}],
            "must be a list of ContactOffer values: {'talk': ['share-code']} is not one of "
            "['host-visit', 'joint-procurement', 'share-code', 'share-ideas', 'talk'] (at [1])",
        ),
        (
            PROVENANCE,
            {"source": "ipsx", "catalogue": nested(40)},
            "must be an object of at most 32 short values, lists or objects of them (no deeper): "
            "{'depth': 38, 'inner': {'depth': 37, 'inner': {'depth': 36,… is not of a kind "
            "allowed there (too deep, or too long) (at catalogue.inner)",
        ),
        (
            PROVENANCE,
            {"note": "x" * 10_000},
            "must be an object of at most 32 short values, lists or objects of them (no deeper): "
            "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… is too long (at note)",
        ),
    ],
    ids=["not-a-gss-code", "not-a-list", "too-many", "nested-offer", "nested", "too-long"],
)
def test_anything_else_is_refused_saying_what_and_where(
    shape: Any, value: Any, message: str
) -> None:
    assert shape.problem(value) == message


@pytest.mark.django_db
def test_a_case_with_json_of_the_wrong_shape_is_never_saved() -> None:
    case = CaseFactory.build(area_codes=[["E09000007"]], provenance=nested(5))

    with pytest.raises(ValidationError) as refused:
        case.save()

    assert set(refused.value.message_dict) == {"area_codes", "provenance"}
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_contact_offering_what_is_not_on_the_list_is_never_saved() -> None:
    case = CaseFactory.create()

    with pytest.raises(ValidationError) as refused:
        Contact.objects.create(case=case, name="Jo", offers=["talk", "everything"])

    assert list(refused.value.message_dict) == ["offers"]
    assert not Contact.objects.exists()
