"""The pure resolution rules, on a small hand-written registry (no database, no real data)."""

from __future__ import annotations

import datetime as dt

import pytest

from kitbag.registry.name_matching import (
    CENTRAL_GOVERNMENT,
    CORE,
    DEPARTMENT_WEIGHT,
    EXACT_ALIAS,
    EXACT_OFFICIAL,
    FUZZY_THRESHOLD,
    FUZZY_WEIGHT,
    INITIALISM,
    LOCAL_AUTHORITY,
    NHS_TRUST,
    POLICE_FORCE,
    SHORT_FORM,
    Body,
    Name,
    NameIndex,
    Outcome,
    core,
    expanded_keys,
    initialism_keys,
    initialisms,
    name_heads,
    normalise,
    tokens,
    without_department_words,
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


# The rules for names people really write, each on a small registry of its own.

Row = tuple[str, str, list[str], dt.date | None]  # code, official name, other names, end date


class SmallRegistry:
    def __init__(self, *rows: Row, kind: str = LOCAL_AUTHORITY) -> None:
        self.codes = {number: row[0] for number, row in enumerate(rows, start=1)}
        bodies = [Body(number, kind, row[3]) for number, row in enumerate(rows, start=1)]
        names = [
            Name(number, text, official=text == row[1])
            for number, row in enumerate(rows, start=1)
            for text in (row[1], *row[2])
        ]
        self.index = NameIndex(bodies, names)

    def resolve(self, name: str) -> Outcome:
        return self.index.resolve(name, today=TODAY)

    def best_code(self, name: str) -> str | None:
        best = self.resolve(name).best
        return self.codes[best.body_id] if best else None

    def alternative_codes(self, name: str) -> list[str]:
        return sorted(self.codes[c.body_id] for c in self.resolve(name).alternatives)


MESSY = SmallRegistry(
    ("CMD", "London Borough of Camden", ["Camden"], None),
    ("WSM", "City of Westminster", ["Westminster"], None),
    ("LND", "City of London Corporation", ["City of London"], None),
    ("RDG", "Reading Borough Council", ["Reading"], None),
    ("KIR", "Kirklees Council", ["Kirklees"], None),
    ("GLA", "Greater London Authority", ["Greater London"], None),
    ("WMCA", "West Midlands Combined Authority", ["West Midlands"], None),
    ("WSX", "West Sussex County Council", ["West Sussex"], None),
    ("TWH", "London Borough of Tower Hamlets", ["Tower Hamlets"], None),
    ("BBD", "Blackburn with Darwen Borough Council", ["Blackburn with Darwen"], None),
    ("BAS", "Bath and North East Somerset Council", ["Bath and North East Somerset"], None),
    ("RIC", "London Borough of Richmond upon Thames", ["Richmond upon Thames"], None),
    ("BIR", "Birmingham City Council", ["Birmingham"], None),
    ("BST", "Bristol City Council", ["Bristol"], None),
    ("SCA", "South Cambridgeshire District Council", ["South Cambridgeshire"], None),
    ("SUF", "Suffolk Coastal District Council", ["Suffolk Coastal"], ABOLISHED_2019),
    ("IOW", "Isle of Wight Council", ["Isle of Wight"], None),
    ("KEN", "Kent County Council", ["Kent"], None),
    ("TFW", "Telford & Wrekin Council", ["Telford and Wrekin"], None),
    ("STT", "Stockton-on-Tees Borough Council", ["Stockton-on-Tees"], None),
    ("KTT", "Royal Borough of Kingston upon Thames", ["Kingston upon Thames"], None),
    ("KHL", "Hull City Council", ["Kingston upon Hull"], None),
    ("EPP", "Epping Forest District Council", ["Epping Forest"], None),
    ("HRW", "London Borough of Harrow", ["Harrow"], None),
    ("BAR", "Barrow-in-Furness Borough Council", ["Barrow-in-Furness"], ABOLISHED_2023),
    ("CHE", "Cheshire East Council", ["Cheshire East"], None),
    ("CHW", "Cheshire West and Chester Council", ["Cheshire West and Chester"], None),
    ("SFK", "Suffolk County Council", ["Suffolk"], None),
    ("NFK", "Norfolk County Council", ["Norfolk"], None),
    ("BPC", "Bournemouth, Christchurch and Poole Council", [], None),
    ("BMH", "Bournemouth Borough Council", ["Bournemouth"], ABOLISHED_2019),
    ("DBY", "Derbyshire County Council", ["Derbyshire"], None),
    ("DEN", "Denbighshire County Council", ["Denbighshire"], None),
    ("SGC", "South Gloucestershire Council", ["South Gloucestershire"], None),
    ("NSM", "North Somerset Council", ["North Somerset"], None),
    ("SSO", "South Somerset District Council", ["South Somerset"], ABOLISHED_2023),
)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # Compass and county abbreviations.
        ("S Gloucestershire", "SGC"),
        ("S. Glos Council", "SGC"),
        ("N Somerset", "NSM"),
        ("S Somerset DC", "SSO"),
        # The names councils contract under.
        ("The Mayor and Burgesses of the London Borough of Camden", "CMD"),
        ("Mayor and Burgesses of the London Borough of Camden", "CMD"),
        ("The Lord Mayor and Citizens of the City of Westminster", "WSM"),
        ("The Mayor and Commonalty and Citizens of the City of London", "LND"),
        ("The Common Council of the City of London", "LND"),
        ("The Mayor, Aldermen and Burgesses of the Borough of Reading", "RDG"),
        ("The Council of the Borough of Kirklees", "KIR"),
        # Initialisms one body owns.
        ("LBTH", "TWH"),
        ("lbth", "TWH"),
        ("L.B.T.H.", "TWH"),
        ("BwD", "BBD"),
        ("BWD Council", "BBD"),
        ("B&NES", "BAS"),
        ("BANES", "BAS"),
        ("LBRuT", "RIC"),
        ("IoW", "IOW"),
        ("KCC", "KEN"),
        # Short forms that leave out an "and", "on" or "upon" part.
        ("Telford", "TFW"),
        ("Telford Council", "TFW"),
        ("Stockton", "STT"),
        ("Stockton Borough Council", "STT"),
        ("Cheshire West", "CHW"),
        # A department, service or address after the name.
        ("Suffolk County Council - Children's Services", "SFK"),
        ("Suffolk County Council \u2013 Children's Services", "SFK"),
        ("London Borough of Camden (Planning)", "CMD"),
        ("Camden Council: Housing", "CMD"),
        ("Norfolk County Council Children's Services", "NFK"),
        ("Kent Trading Standards", "KEN"),
        ("Kent County Council, Sessions House, Maidstone", "KEN"),
        ("Bournemouth, Christchurch and Poole Council - Planning", "BPC"),
        ("LBTH (Children's Services)", "TWH"),
        # Authorities are still found by their own names.
        ("Greater London Authority", "GLA"),
        ("Greater London", "GLA"),
        ("West Midlands CA", "WMCA"),
        ("West Sussex Council", "WSX"),
        # Clear slips.
        ("Derbyshre", "DBY"),
        ("Denbighsire", "DEN"),
        ("Harow", "HRW"),
    ],
)
def test_a_name_as_people_write_it_finds_its_body(name: str, code: str) -> None:
    assert MESSY.best_code(name) == code


@pytest.mark.parametrize(
    "name",
    [
        # Designations alone.
        "The Mayor and Burgesses of the London Borough",
        "The Lord Mayor and Citizens of the City",
        # "Major" is a word, not a misspelt "Mayor": not corrected as a designation.
        "Major and Burgesses of Camdem",
        # Councils abolished in 1986 are not today's authorities of the same place.
        "Greater London Council",
        "West Midlands County Council",
        "West Midlands CC",
        # Initialisms and short forms that more than one body shares, or that leave out a word
        # of the place itself.
        "BCC",
        "Kingston",
        "Cheshire",
        "Epping",
        # A department alone, another body, or a name that is unclear before its department.
        "Children's Services",
        "Planning Department",
        "Housing Department - Council",
        "Kent Fire and Rescue Service",
        "Kingston Council - Housing",
        "Camdn Council - Planning",
        # Two edits from Derbyshire, four from Denbighshire, and it begins like Denbighshire.
        "Denbyshire",
    ],
)
def test_a_name_that_means_no_one_body_finds_nothing(name: str) -> None:
    assert MESSY.best_code(name) is None


class TestPlaceAbbreviations:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("S Gloucestershire", "south gloucestershire"),
            ("S. Glos", "south gloucestershire"),
            ("Sth Gloucestershire", "south gloucestershire"),
            ("NE Lincs", "north east lincolnshire"),
            ("N E Lincolnshire", "north east lincolnshire"),
            ("Bath and N E Somerset", "bath and north east somerset"),
            ("NW Leics", "north west leicestershire"),
            ("N Yorks", "north yorkshire"),
            ("W Berks", "west berkshire"),
            ("N Warks", "north warwickshire"),
            ("Co Durham", "county durham"),
            ("Gt Yarmouth", "great yarmouth"),
        ],
    )
    def test_compass_and_county_abbreviations_are_written_out(
        self, name: str, expected: str
    ) -> None:
        assert normalise(name) == expected

    def test_an_abbreviation_that_ends_a_name_is_left_alone(self) -> None:
        # "SE" is Sport England's own short name, and the "S" of "DE&S" is Support.
        assert normalise("SE") == "se"
        assert normalise("DE&S") == "de and s"


class TestInitialisms:
    def test_initials_are_taken_with_and_without_each_connector(self) -> None:
        assert initialisms(tokens("London Borough of Richmond upon Thames")) >= {
            "lbrut",
            "lbrt",
            "lborut",
            "lbort",
        }
        assert initialisms(tokens("Bath & North East Somerset")) == {"banes", "bnes"}
        assert initialisms(tokens("Tower Hamlets")) == set()  # "th" is too short to tell

    @pytest.mark.parametrize(
        ("query", "keys"),
        [
            ("LBTH", ["lbth"]),
            ("lbth", ["lbth"]),
            ("L.B.T.H.", ["lbth"]),
            ("BwD", ["bwd"]),
            ("B&NES", ["bnes", "banes"]),
            ("IoW Council", ["iowc", "iow"]),
            ("Kent", []),
            ("Hill", []),
            ("banana", []),
            ("Tower Hamlets", []),
            ("B&", []),
        ],
    )
    def test_only_a_name_written_like_an_initialism_is_read_as_one(
        self, query: str, keys: list[str]
    ) -> None:
        assert initialism_keys(query) == keys

    def test_an_initialism_of_two_current_bodies_lists_both(self) -> None:
        assert MESSY.alternative_codes("BCC") == ["BIR", "BST"]

    def test_a_current_body_is_preferred_to_a_former_one_with_the_same_initials(self) -> None:
        assert MESSY.best_code("SCDC") == "SCA"
        assert MESSY.alternative_codes("SCDC") == ["SUF"]

    def test_an_initialism_scores_below_any_fuzzy_match(self) -> None:
        best = MESSY.resolve("LBTH").best
        assert best is not None and best.score == INITIALISM
        assert INITIALISM < FUZZY_WEIGHT * FUZZY_THRESHOLD


class TestShortForms:
    def test_a_short_form_two_bodies_share_lists_both(self) -> None:
        assert MESSY.alternative_codes("Kingston") == ["KHL", "KTT"]

    def test_a_short_form_that_drops_a_word_of_the_place_lists_the_body(self) -> None:
        assert MESSY.alternative_codes("Epping") == ["EPP"]

    def test_the_start_of_a_former_councils_name_is_not_a_slip_for_a_current_one(self) -> None:
        # "Barrow" is one letter from Harrow, but it is how Barrow-in-Furness was written.
        assert MESSY.best_code("Barrow") == "BAR"
        assert MESSY.best_code("Barrow BC") == "BAR"

    def test_a_short_form_scores_below_an_initialism(self) -> None:
        best = MESSY.resolve("Telford").best
        assert best is not None and best.score == SHORT_FORM < INITIALISM


class TestDepartments:
    def test_heads_are_cut_at_separators_longest_first(self) -> None:
        assert name_heads("Bristol City Council, PO Box 3176, Bristol") == [
            "Bristol City Council, PO Box 3176, Bristol",
            "Bristol City Council, PO Box 3176",
            "Bristol City Council",
        ]
        assert name_heads("Kent County Council \u2013 Highways") == [
            "Kent County Council \u2013 Highways",
            "Kent County Council",
        ]
        assert name_heads("Stockton-on-Tees") == ["Stockton-on-Tees"]

    def test_department_words_are_removed_from_the_end(self) -> None:
        assert (
            without_department_words("Norfolk County Council Children\u2019s Services")
            == "Norfolk County Council"
        )
        assert without_department_words("Kent Trading Standards") == "Kent"
        assert without_department_words("Children's Services") is None
        assert without_department_words("Kent Fire and Rescue Service") == "Kent Fire and Rescue"
        assert without_department_words("Camden") is None

    def test_a_name_found_without_its_department_scores_below_a_short_form(self) -> None:
        best = MESSY.resolve("Suffolk County Council - Children's Services").best
        assert best is not None and best.score == DEPARTMENT_WEIGHT * EXACT_OFFICIAL
        assert best.score < SHORT_FORM
