"""Cleaning the names sources give: mis-encoding, repeats, readable case, slugs."""

from __future__ import annotations

import pytest

from kitbag.registry.importers.names import distinct_names, is_mojibake, readable_case
from kitbag.registry.services import SlugAllocator, search_text_for


@pytest.mark.parametrize(
    "text",
    ["Sir Ynys Mï¿½n", "Cityï¾\xa0and County of Swansea", "Caf\ufffd", "Ynys MÃ´n"],
)
def test_text_decoded_with_the_wrong_encoding_upstream_is_recognised(text: str) -> None:
    assert is_mojibake(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ynys Môn",
        "Sir Gâr",
        "Victoria Climbié Inquiry",
        "Treasury Solicitor’s Department",
        "Camden",
    ],
)
def test_real_welsh_accented_and_typographic_names_are_not_mistaken_for_mojibake(
    text: str,
) -> None:
    assert not is_mojibake(text)


def test_repeated_names_are_kept_once_in_their_best_spelling() -> None:
    names = ["camden london boro", "CAMDEN LONDON BORO", "Camden London Boro", "LB Camden"]

    assert distinct_names(names) == ["Camden London Boro", "LB Camden"]


def test_names_equal_to_the_official_or_short_name_are_not_aliases() -> None:
    names = ["camden", "london borough of camden", "Camden  London Boro"]

    assert distinct_names(names, exclude=["London Borough of Camden", "Camden"]) == [
        "Camden London Boro"
    ]


def test_a_capitalised_spelling_beats_a_lower_case_one_with_one_capital() -> None:
    assert distinct_names(
        ["westmorland and furness Council", "Westmorland and Furness Council"]
    ) == ["Westmorland and Furness Council"]


@pytest.mark.parametrize(
    ("capitals", "readable"),
    [
        (
            "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST",
            "Manchester University NHS Foundation Trust",
        ),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        (
            "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
            "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust",
        ),
        (
            "ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST",
            "Royal Brompton & Harefield NHS Foundation Trust",
        ),
        (
            "UNIVERSITY HOSPITALS OF NORTH MIDLANDS NHS TRUST",
            "University Hospitals of North Midlands NHS Trust",
        ),
        ("STOKE-ON-TRENT AND DYFED-POWYS TRUST", "Stoke-on-Trent and Dyfed-Powys Trust"),
    ],
)
def test_an_all_capitals_name_is_put_into_readable_case_keeping_acronyms(
    capitals: str, readable: str
) -> None:
    assert readable_case(capitals) == readable


def test_search_text_lists_each_lower_cased_name_once() -> None:
    text = search_text_for(
        name="London Borough of Camden", short_name="Camden", aliases=["camden", "LB Camden"]
    )

    assert text == "london borough of camden camden lb camden"


def test_a_taken_slug_gets_the_first_free_suffix_in_order() -> None:
    slugs = SlugAllocator(["somerset", "somerset-2023"])

    assert slugs.allocate("Somerset", suffixes=["2023", "SOM"]) == "somerset-som"
    assert slugs.allocate("Somerset", suffixes=["2023", "SOM"]) == "somerset-som-2"
    assert slugs.allocate("Dorset") == "dorset"


def test_a_very_long_name_gives_a_slug_cut_at_a_word_boundary() -> None:
    slug = SlugAllocator([]).allocate("word " * 60)

    assert len(slug) <= 100
    assert slug.endswith("word")
