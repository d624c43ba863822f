"""The pure resolution rules, on a small hand-written registry (no database, no real data)."""

from __future__ import annotations

import datetime as dt

import pytest

from kitbag.registry.name_matching import (
    CENTRAL_GOVERNMENT,
    CORE,
    EXACT_ALIAS,
    EXACT_OFFICIAL,
    FUZZY_WEIGHT,
    LOCAL_AUTHORITY,
    NHS_TRUST,
    POLICE_FORCE,
    Body,
    Name,
    NameIndex,
    Outcome,
    core,
    expanded_keys,
    normalise,
    tokens,
)

TODAY = dt.date(2025, 6, 1)
ABOLISHED_2019 = dt.date(2019, 3, 31)
ABOLISHED_2023 = dt.date(2023, 4, 1)

# code, kind, official name, other names (a leading "*" marks an official one), end date
REGISTRY: list[tuple[str, str, str, list[str], dt.date | None]] = [
    ("CMD", LOCAL_AUTHORITY, "London Borough of Camden", ["Camden"], None),
    ("BST", LOCAL_AUTHORITY, "Bristol City Council", ["City of Bristol", "Bristol"], None),
    (
        "CRF",
        LOCAL_AUTHORITY,
        "City of Cardiff Council",
        ["Cardiff", "The City of Cardiff Council", "*Cyngor Caerdydd", "Caerdydd"],
        None,
    ),
    ("POL", LOCAL_AUTHORITY, "Borough of Poole", ["Poole", "Poole UA"], ABOLISHED_2019),
    (
        "BPC",
        LOCAL_AUTHORITY,
        "Bournemouth, Christchurch and Poole Council",
        ["Bournemouth, Christchurch and Poole"],
        None,
    ),
    (
        "KEC",
        LOCAL_AUTHORITY,
        "Royal Borough of Kensington and Chelsea",
        ["Kensington and Chelsea"],
        None,
    ),
    ("DUR", LOCAL_AUTHORITY, "Durham County Council", ["County Durham", "Durham"], None),
    ("MAN", LOCAL_AUTHORITY, "Manchester City Council", ["Manchester"], None),
    ("BNS", LOCAL_AUTHORITY, "Barnsley Metropolitan Borough Council", ["Barnsley"], None),
    ("ARU", LOCAL_AUTHORITY, "Arun District Council", ["Arun"], None),
    ("ASF", LOCAL_AUTHORITY, "Ashford Borough Council", ["Ashford"], None),
    ("KEN", LOCAL_AUTHORITY, "Kent County Council", ["Kent"], None),
    ("WSM", LOCAL_AUTHORITY, "City of Westminster", ["Westminster"], None),
    ("IOS", LOCAL_AUTHORITY, "Council of the Isles of Scilly", ["Isles of Scilly"], None),
    ("IOW", LOCAL_AUTHORITY, "Isle of Wight Council", ["Isle of Wight"], None),
    ("LND", LOCAL_AUTHORITY, "City of London Corporation", ["City of London"], None),
    ("KHL", LOCAL_AUTHORITY, "Hull City Council", ["Kingston upon Hull, City of"], None),
    ("SOM", LOCAL_AUTHORITY, "Somerset County Council", ["Somerset"], ABOLISHED_2023),
    ("SMT", LOCAL_AUTHORITY, "Somerset Council", ["Somerset"], None),
    ("BAS", LOCAL_AUTHORITY, "Bath and North East Somerset Council", [], None),
    ("DOR", LOCAL_AUTHORITY, "Dorset County Council", ["Dorset County"], ABOLISHED_2019),
    ("DST", LOCAL_AUTHORITY, "Dorset Council", ["Dorset"], None),
    (
        "SWA",
        LOCAL_AUTHORITY,
        "City and County of Swansea Council",
        ["Swansea", "*Cyngor Dinas a Sir Abertawe", "Abertawe"],
        None,
    ),
    (
        "WRX",
        LOCAL_AUTHORITY,
        "Wrexham County Borough Council",
        ["Wrexham", "*Cyngor Bwrdeistref Sirol Wrecsam", "Wrecsam"],
        None,
    ),
    ("DEN", LOCAL_AUTHORITY, "Denbighshire County Council", ["Denbighshire"], None),
    ("AGY", LOCAL_AUTHORITY, "Isle of Anglesey County Council", ["Ynys Môn"], None),
    ("SBU", LOCAL_AUTHORITY, "South Bucks District Council", ["South Bucks"], ABOLISHED_2019),
    # Two former bodies with one name: nothing can choose between them.
    ("TW1", LOCAL_AUTHORITY, "Twinford District Council", ["Twinford"], dt.date(1974, 3, 31)),
    ("TW2", LOCAL_AUTHORITY, "Twinford Borough Council", ["Twinford"], dt.date(1996, 3, 31)),
    ("BNE", LOCAL_AUTHORITY, "London Borough of Barnet", ["Barnet"], None),
    ("BEN", LOCAL_AUTHORITY, "London Borough of Brent", ["Brent"], None),
    ("CMA", LOCAL_AUTHORITY, "Cumbria County Council", ["Cumbria"], ABOLISHED_2023),
    ("AVS", POLICE_FORCE, "Avon and Somerset Constabulary", [], None),
    ("MET", POLICE_FORCE, "Metropolitan Police Service", [], None),
    ("CLP", POLICE_FORCE, "City of London Police", [], None),
    ("CUP", POLICE_FORCE, "Cumbria Constabulary", [], None),
    ("RTH", NHS_TRUST, "Oxford University Hospitals NHS Foundation Trust", [], None),
    ("KNT", POLICE_FORCE, "Kent Police", [], None),
    ("R1F", NHS_TRUST, "Isle of Wight NHS Trust", [], None),
    ("DFE", CENTRAL_GOVERNMENT, "Department for Education", ["DfE"], None),
    ("BCO", CENTRAL_GOVERNMENT, "British Council", [], None),
]
CODES = {number: row[0] for number, row in enumerate(REGISTRY, start=1)}


def _index() -> NameIndex:
    bodies = []
    names = []
    for number, (_code, kind, official, others, end_date) in enumerate(REGISTRY, start=1):
        bodies.append(Body(id=number, kind=kind, end_date=end_date))
        names.append(Name(body_id=number, text=official, official=True))
        for other in others:
            names.append(Name(body_id=number, text=other.lstrip("*"), official=other[0] == "*"))
    return NameIndex(bodies, names)


INDEX = _index()


def resolve(name: str, *, kind: str | None = None, limit: int = 5) -> Outcome:
    return INDEX.resolve(name, kind=kind, limit=limit, today=TODAY)


def best_code(name: str, *, kind: str | None = None) -> str | None:
    best = resolve(name, kind=kind).best
    return CODES[best.body_id] if best else None


def alternative_codes(name: str, *, kind: str | None = None) -> list[str]:
    return [CODES[c.body_id] for c in resolve(name, kind=kind).alternatives]


class TestNormalise:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("LONDON BOROUGH OF CAMDEN", "london borough of camden"),
            ("  Bristol,   City of  ", "bristol city of"),
            ("Royal Borough of Kensington & Chelsea", "royal borough of kensington and chelsea"),
            ("Kensington&Chelsea", "kensington and chelsea"),
            ("The City of Cardiff Council", "city of cardiff council"),
            ("King's Lynn", "kings lynn"),
            ("King\u2019s Lynn", "kings lynn"),
            ("Stoke-on-Trent", "stoke on trent"),
            ("Edinburgh (City of)", "edinburgh city of"),
            ("St. Helens", "st helens"),
            ("Saint Helens", "st helens"),
            ("Ynys Môn", "ynys mon"),
            ("South Bucks", "south buckinghamshire"),
            ("", ""),
            ("  ,.;  ", ""),
        ],
    )
    def test_spelling_differences_disappear(self, name: str, expected: str) -> None:
        assert normalise(name) == expected

    def test_mis_encoded_text_is_repaired_and_real_accents_are_left_alone(self) -> None:
        assert tokens("Sir Ynys M\u00ef\u00bf\u00bdn") == ("sir", "ynys", "mn")
        assert tokens("City\u00ef\u00be\u00a0and County of Swansea") == (
            "city",
            "and",
            "county",
            "of",
            "swansea",
        )
        assert tokens("Ynys M\u00f4n") == ("ynys", "mon")

    def test_a_lone_the_is_kept_so_that_it_stays_a_fragment(self) -> None:
        assert tokens("The") == ("the",)

    def test_abbreviations_are_expanded_and_prefixes_moved_to_the_front(self) -> None:
        assert expanded_keys(tokens("LB Camden")) == ["london borough of camden"]
        assert expanded_keys(tokens("Camden LB")) == ["london borough of camden"]
        assert expanded_keys(tokens("Bristol CC")) == [
            "bristol county council",
            "bristol city council",
        ]
        assert expanded_keys(tokens("Oxford NHS FT")) == ["oxford nhs foundation trust"]
        assert expanded_keys(tokens("Camden")) == []


class TestCore:
    @pytest.mark.parametrize(
        "name",
        [
            "Ashford Council",
            "Ashford County Council",
            "Ashford District Council",
            "Ashford Borough Council",
            "Ashford City Council",
            "Ashford Metropolitan Borough Council",
            "Ashford Metropolitan District Council",
            "Ashford County Borough Council",
            "London Borough of Ashford",
            "Royal Borough of Ashford",
            "Ashford London Boro",
            "Ashford CC",
            "Ashford DC",
            "Ashford BC",
            "Ashford MBC",
            "LB Ashford",
            "RB Ashford",
            "Ashford RBC",
            "City of Ashford",
            "Ashford, City of",
            "Borough of Ashford",
            "Borough Council of Ashford",
            "Ashford UA",
            "Council of the Ashford",
            "The Ashford Council",
            "City and County of Ashford Council",
            "Cyngor Ashford",
            "Cyngor Sir Ashford",
            "Cyngor Bwrdeistref Sirol Ashford",
            "Cyngor Dinas a Sir Ashford",
            "Cyngor Dinas Ashford",
        ],
    )
    def test_each_council_designation_is_removed(self, name: str) -> None:
        assert core(tokens(name), LOCAL_AUTHORITY) == "ashford"

    def test_designations_of_other_kinds_stay_when_comparing_with_councils(self) -> None:
        words = tokens("Avon and Somerset Constabulary")
        assert core(words, LOCAL_AUTHORITY) == "avon and somerset constabulary"
        assert core(words, POLICE_FORCE) == "avon and somerset"
        assert core(tokens("Isle of Wight NHS Trust"), LOCAL_AUTHORITY) == (
            "isle of wight nhs trust"
        )

    def test_the_city_of_london_keeps_its_city(self) -> None:
        assert core(tokens("City of London Corporation"), LOCAL_AUTHORITY) == "city of london"
        assert core(tokens("City of Westminster"), LOCAL_AUTHORITY) == "westminster"

    def test_a_bare_designation_or_a_whole_nation_has_no_core(self) -> None:
        for name in ["Council", "County Council", "London Borough of", "The", "London", "Wales"]:
            assert core(tokens(name), None) == "", name


class TestExactNames:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("LB Camden", "CMD"),
            ("Camden LB", "CMD"),
            ("london borough of camden", "CMD"),
            ("Bristol CC", "BST"),
            ("Bristol, City of", "BST"),
            ("Cyngor Caerdydd", "CRF"),
            ("Borough of Poole", "POL"),
            ("Royal Borough of Kensington & Chelsea", "KEC"),
            ("RB Kensington and Chelsea", "KEC"),
            ("The City of Cardiff Council", "CRF"),
            ("Durham County Council", "DUR"),
            ("Barnsley MBC", "BNS"),
            ("Arun DC", "ARU"),
            ("Ashford BC", "ASF"),
            ("Kent CC", "KEN"),
            ("South Bucks DC", "SBU"),
            ("Council of the Isles of Scilly", "IOS"),
        ],
    )
    def test_names_and_abbreviations_match_exactly(self, name: str, code: str) -> None:
        assert best_code(name) == code

    def test_an_official_name_scores_one_and_an_alias_a_little_less(self) -> None:
        official = resolve("London Borough of Camden").best
        alias = resolve("camden").best
        assert official is not None and official.score == EXACT_OFFICIAL
        assert alias is not None and alias.score == EXACT_ALIAS

    def test_an_expanded_abbreviation_scores_a_little_less_than_the_name_itself(self) -> None:
        expanded = resolve("LB Camden").best
        assert expanded is not None and CORE < expanded.score < EXACT_OFFICIAL


class TestDesignationsRemoved:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("Camden Council", "CMD"),
            ("Camden London Borough Council", "CMD"),
            ("Manchester Metropolitan Borough Council", "MAN"),
            ("Kingston upon Hull City Council", "KHL"),
            ("Hull", "KHL"),
            ("Westminster City Council", "WSM"),
            ("Isles of Scilly Council", "IOS"),
            ("Poole Borough Council", "POL"),
            ("Bournemouth Christchurch & Poole BC", "BPC"),
            ("Dorset CC", "DOR"),
        ],
    )
    def test_a_different_designation_still_finds_the_body(self, name: str, code: str) -> None:
        assert best_code(name) == code

    def test_a_match_without_designations_scores_below_an_exact_one(self) -> None:
        best = resolve("Camden Council").best
        assert best is not None and best.score == CORE


class TestWelsh:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("Cyngor Caerdydd", "CRF"),
            ("Caerdydd", "CRF"),
            ("Cyngor Dinas a Sir Abertawe", "SWA"),
            ("Cyngor Abertawe", "SWA"),
            ("Cyngor Bwrdeistref Sirol Wrecsam", "WRX"),
            ("Cyngor Wrecsam", "WRX"),
            ("Cyngor Sir Ynys Môn", "AGY"),
            ("Cyngor Sir Ynys Mon", "AGY"),
        ],
    )
    def test_welsh_council_words_are_removed(self, name: str, code: str) -> None:
        assert best_code(name) == code


class TestMisspellings:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("Camdn", "CMD"),
            ("Manchster City Council", "MAN"),
            ("Westminister", "WSM"),
            ("Kensington Chelsea", "KEC"),
            ("Barnsley Metropolitan Borugh Council", "BNS"),
            ("Manchester Citty Councl", "MAN"),
            ("Camdon", "CMD"),
            ("Camden Londn Boro", "CMD"),
        ],
    )
    def test_a_slip_of_the_keyboard_still_finds_the_body(self, name: str, code: str) -> None:
        assert best_code(name) == code

    def test_a_slip_nearer_one_body_but_not_by_much_is_not_chosen(self) -> None:
        # "Brnet" is one deletion from Barnet and a transposition (two) from Brent.
        assert best_code("Brnet") is None
        assert sorted(alternative_codes("Brnet")) == ["BEN", "BNE"]
        assert best_code("Barnett") == "BNE"

    def test_the_full_name_tells_apart_bodies_that_share_a_core(self) -> None:
        assert best_code("Dorsett County Council") == "DOR"
        assert best_code("Dorsett Council") == "DST"

    def test_a_fuzzy_match_scores_below_a_match_without_designations(self) -> None:
        best = resolve("Camdn").best
        assert best is not None and 0.7 < best.score < FUZZY_WEIGHT < CORE

    @pytest.mark.parametrize("name", ["Kemt", "Arum", "Hill", "Dfo"])
    def test_short_names_are_not_guessed_at(self, name: str) -> None:
        assert best_code(name) is None

    def test_an_extra_word_is_not_a_slip(self) -> None:
        assert best_code("Manchester United") is None
        assert best_code("Greater Manchester") is None


class TestFormerBodies:
    def test_an_abolished_council_resolves_to_itself_not_its_successor(self) -> None:
        assert best_code("Borough of Poole") == "POL"
        assert best_code("Poole") == "POL"
        assert best_code("Poole Borough Council") == "POL"
        assert best_code("Somerset County Council") == "SOM"

    def test_a_name_shared_by_a_current_and_a_former_body_prefers_the_current_one(self) -> None:
        outcome = resolve("Somerset")
        assert outcome.best is not None and CODES[outcome.best.body_id] == "SMT"
        assert outcome.best.score < EXACT_ALIAS
        assert alternative_codes("Somerset") == ["SOM"]

    def test_an_exact_official_name_beats_a_designation_free_match(self) -> None:
        assert best_code("Dorset County Council") == "DOR"
        assert best_code("Dorset Council") == "DST"
        assert best_code("Dorset") == "DST"

    def test_a_name_shared_by_two_former_bodies_has_no_best_match(self) -> None:
        outcome = resolve("Twinford")
        assert outcome.best is None
        assert sorted(alternative_codes("Twinford")) == ["TW1", "TW2"]

    def test_alternatives_never_outrank_the_best_match(self) -> None:
        outcome = resolve("Somerset")
        assert outcome.best is not None
        assert all(c.score <= outcome.best.score for c in outcome.alternatives)


class TestNothing:
    @pytest.mark.parametrize(
        "name",
        [
            "",
            "   ",
            "Council",
            "Borough",
            "County Council",
            "District Council",
            "London Borough of",
            "The",
            "City of",
            "CC",
            "Cyngor Sir",
            "London",
            "banana",
            "Hospital",
            "Ministry of Magic",
            "xqzvtw",
            "Police",
            "Constabulary",
            "NHS Trust",
            "Metropolitan",
        ],
    )
    def test_fragments_and_unknown_words_resolve_to_nothing(self, name: str) -> None:
        assert best_code(name) is None

    def test_a_police_force_is_not_a_council(self) -> None:
        assert best_code("Avon and Somerset Constabulary", kind=LOCAL_AUTHORITY) is None
        assert best_code("Kent Police", kind=LOCAL_AUTHORITY) is None
        assert best_code("Avon and Somerset Constabulary") == "AVS"

    def test_an_nhs_trust_is_not_a_council(self) -> None:
        assert best_code("Isle of Wight NHS Trust", kind=LOCAL_AUTHORITY) is None
        assert best_code("Isle of Wight NHS Trust") == "R1F"
        assert best_code("Isle of Wight") == "IOW"
        assert best_code("Isle of Wight NHS") == "R1F"

    def test_a_council_word_in_another_kind_of_name_is_part_of_that_name(self) -> None:
        assert best_code("British Council") == "BCO"
        assert best_code("British") is None


class TestKinds:
    def test_the_kind_filter_keeps_other_kinds_out(self) -> None:
        assert best_code("Kent") == "KEN"
        assert best_code("Kent", kind=CENTRAL_GOVERNMENT) is None
        assert best_code("Kent Constabulary", kind=POLICE_FORCE) == "KNT"
        assert best_code("DfE", kind=CENTRAL_GOVERNMENT) == "DFE"
        assert best_code("DfE", kind=LOCAL_AUTHORITY) is None

    def test_a_bare_place_means_the_council_unless_another_kind_is_asked_for(self) -> None:
        assert best_code("Kent Constabulary") == "KNT"
        assert best_code("Kent Plice") == "KNT"
        assert best_code("Kent", kind=POLICE_FORCE) == "KNT"
        assert best_code("Isle of Wight", kind=NHS_TRUST) == "R1F"

    def test_a_name_of_designation_words_is_still_a_name(self) -> None:
        assert best_code("Metropolitan Police") == "MET"
        assert best_code("Metropolitan", kind=POLICE_FORCE) == "MET"

    def test_a_bare_place_prefers_the_council_to_the_police_force_there(self) -> None:
        assert best_code("Cumbria") == "CMA"
        assert best_code("Cumbbria") == "CMA"
        assert best_code("Cumbria Constabulary") == "CUP"
        assert best_code("City of London") == "LND"
        assert best_code("City of Londdon") == "LND"
        assert best_code("City of London Police") == "CLP"

    def test_a_police_force_or_trust_named_without_saying_so_scores_lower(self) -> None:
        outcome = resolve("Oxford University Hospitals")
        assert outcome.best is not None and CODES[outcome.best.body_id] == "RTH"
        assert outcome.best.score < CORE
        assert best_code("Oxford University Hospitals NHS FT") == "RTH"
        assert best_code("Avon and Somerset") == "AVS"

    def test_a_kind_with_no_bodies_finds_nothing(self) -> None:
        assert best_code("Camden", kind="other") is None


class TestAlternatives:
    def test_limit_caps_the_alternatives(self) -> None:
        assert len(resolve("Twinford", limit=1).alternatives) == 1
        assert resolve("Twinford", limit=0).alternatives == []

    def test_ambiguous_fuzzy_matches_are_listed_not_chosen(self) -> None:
        # "Twinfort" is one slip from both Twinfords and nothing tells them apart.
        outcome = resolve("Twinfort")
        assert outcome.best is None
        assert sorted(CODES[c.body_id] for c in outcome.alternatives) == ["TW1", "TW2"]

    def test_a_close_runner_up_leaves_a_fuzzy_match_unchosen(self) -> None:
        index = NameIndex(
            [Body(1, LOCAL_AUTHORITY), Body(2, LOCAL_AUTHORITY)],
            [Name(1, "Harlow", official=True), Name(2, "Harrow", official=True)],
        )
        outcome = index.resolve("Harow", today=TODAY)
        assert outcome.best is None
        assert {c.body_id for c in outcome.alternatives} == {1, 2}
