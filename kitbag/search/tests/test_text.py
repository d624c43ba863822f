from __future__ import annotations

import re

import pytest

from kitbag.search import text
from kitbag.search.backends.postgres import tsquery_expression, tsquery_match_expression
from kitbag.search.backends.sqlite import fts5_expression, fts5_match_expression
from kitbag.search.text import Alternative, fold, highlight, parse_query, terms_of


def test_syntax_characters_and_stop_words_are_dropped() -> None:
    parsed = parse_query("' OR 1=1 -- NEAR(parking, the) title:permits ")
    assert parsed.terms == ("near", "parking", "title", "permits")
    assert parsed.phrases == () and parsed.prefix is None


def test_the_last_word_typed_is_a_prefix_unless_followed_by_a_space_or_quote() -> None:
    assert parse_query("parking perm").prefix == "perm"
    assert parse_query("parking perm ").prefix is None
    assert parse_query('"parking perm"').prefix is None


def test_quoted_words_form_a_phrase_and_an_unbalanced_quote_is_ignored() -> None:
    assert parse_query('"council tax" bills ').phrases == (("council", "tax"),)
    assert parse_query('"council tax').phrases == ()
    assert parse_query('"council tax').terms == ("council", "tax")


def test_very_long_queries_are_cut_to_a_bounded_number_of_terms() -> None:
    parsed = parse_query(" ".join(f"word{n}" for n in range(1000)))
    assert len(parsed.all_words()) <= 13


def test_only_letters_and_digits_reach_the_database_expressions() -> None:
    parsed = parse_query("ynys môn 'OR' \"x*")
    assert fts5_expression(parsed) == '"ynys" AND "mon"'
    assert tsquery_expression(parsed) == "'ynys' & 'mon'"
    assert fts5_expression(parse_query("chat")) == '"chat"*'
    assert tsquery_expression(parse_query("chat")) == "'chat':*"


def test_folding_removes_diacritics() -> None:
    assert fold("Ynys Môn, Ceredigion, Gwynedd — Llŷn") == "ynys mon, ceredigion, gwynedd — llyn"


def test_highlight_marks_stemmed_forms_and_escapes_the_rest() -> None:
    assert highlight("Permit & permits", parse_query("permit ")) == (
        "<mark>Permit</mark> &amp; <mark>permits</mark>"
    )


def _alternatives(query: str) -> list[list[str]]:
    return [[" ".join(a.words) for a in concept] for concept in parse_query(query).concepts]


def test_acronyms_and_their_spelled_out_forms_find_each_other() -> None:
    assert "robotic process automation" in _alternatives("RPA ")[0]
    assert "asb" in _alternatives("antisocial behaviour ")[0]
    assert "artificial intelligence" in _alternatives("ai in schools")[0]


def test_a_phrase_in_a_synonym_group_is_one_concept_whose_words_also_count_a_little() -> None:
    concepts = parse_query("fly tipping hotspots").concepts
    assert len(concepts) == 2
    assert [" ".join(a.words) for a in concepts[0]][:3] == [
        "fly tipping",
        "flytipping",
        "illegal dumping",
    ]
    assert {a.words for a in concepts[0] if a.weight < 0.5} == {("fly",), ("tipping",)}


def test_british_spellings_also_find_american_ones() -> None:
    assert _alternatives("organisation behaviour ") == [
        ["organisation", "organization"],
        ["behaviour", "behavior"],
    ]


def test_every_alternative_reaches_the_database_expressions_as_quoted_words_only() -> None:
    parsed = parse_query("RPA 'OR' chat")
    assert fts5_match_expression(parsed) == (
        '"rpa" OR ("robotic" AND "process" AND "automation") OR ("software" AND "robot") OR "chat"*'
    )
    assert tsquery_match_expression(parsed) == (
        "'rpa' | ('robotic' & 'process' & 'automation') | ('software' & 'robot') | 'chat':*"
    )


def test_ranking_counts_each_alternative_per_field_from_the_stored_terms() -> None:
    from kitbag.search.text import Scorable, prepare

    document = {
        "title": "Recycling bins: missed bin collections reported online",
        "extra": "Waste services; bins",
        "body": "Residents report a missed collection of their bins. Policies on recycled "
        "waste changed, and the policy on missed bins too.",
    }
    # Alternative (words, "*" when a prefix) -> {field: occurrences}, and neighbouring typed
    # concepts found side by side: stems match ("bins", "bin"), stop words are not counted.
    expected = {
        "bins": (
            {
                "bins": {"title": 2, "extra": 1, "body": 2},
                "bins*": {"title": 2, "extra": 1, "body": 2},
            },
            0,
        ),
        "missed bin collections": (
            {
                "missed": {"title": 1, "body": 2},
                "bin collections": {"title": 1},
                "bin": {"title": 2, "extra": 1, "body": 2},
                "collections*": {"title": 1, "body": 1},
            },
            1,
        ),
        "recyc": ({"recyc*": {"title": 1, "body": 1}}, 0),
        "policies": ({"policies*": {"body": 2}}, 0),
        "council tax": ({}, 0),
        "chat": ({}, 0),
    }
    stored = terms_of(document).split("\n")
    one_space_apart = [*stored[:3], *(" ".join(line.split()) for line in stored[3:])]
    # Terms as now stored (words, then padded stems), with stems one space apart (as briefly
    # written), and as stored before stems were kept: all read alike.
    for terms in ("\n".join(stored), "\n".join(one_space_apart), "\n".join(stored[:3])):
        scorable = Scorable(terms)
        assert scorable.lengths == {"title": 7, "extra": 3, "body": 12}
        for typed, (counts, pairs) in expected.items():
            prepared = prepare(parse_query(typed))
            found = {
                " ".join(a.words) + ("*" if a.is_prefix else ""): by_field
                for a, by_field in scorable.counts(prepared).items()
            }
            assert (found, scorable.adjacent_pairs(prepared)) == (counts, pairs), typed


def test_alternatives_alike_are_one_key_whatever_object_holds_them() -> None:
    typed = Alternative(("bin",))
    assert typed == Alternative(("bin",)) and hash(typed) == hash(Alternative(("bin",)))
    assert {typed: 1}[Alternative(("bin",))] == 1
    assert typed != Alternative(("bin",), weight=0.8)
    assert typed != Alternative(("bin",), is_prefix=True)
    assert "_hash" not in repr(typed)


def test_a_facet_value_is_one_word_that_no_stemmer_changes_and_no_text_contains() -> None:
    token = text.facet_token("nation", "Wales")
    assert token == text.facet_token("nation", "Wales")
    assert re.fullmatch(r"zf[0-9]{20}", token)
    assert text.stem(token) == token
    assert (
        len({token, text.facet_token("nation", "wales"), text.facet_token("nationW", "ales")}) == 3
    )
    # Typed or written, a word of that shape is never a word of the text or of a query.
    assert not text.is_indexable(token)
    assert text.parse_query(f"parking {token}").terms == ("parking",)


def test_filters_become_groups_of_facet_words_in_a_fixed_order() -> None:
    groups = text.facet_filter({"service": ["58", "12", "58"], "nation": ["Wales"], "phase": []})
    assert groups == (
        (text.facet_token("nation", "Wales"),),
        tuple(sorted([text.facet_token("service", "12"), text.facet_token("service", "58")])),
    )
    assert text.facet_filter(None) == ()
    assert text.facet_tokens({"b": ["2"], "a": ["1"]}) == " ".join(
        sorted([text.facet_token("a", "1"), text.facet_token("b", "2")])
    )


def test_both_databases_are_asked_for_one_facet_word_of_each_filter() -> None:
    parsed = parse_query("parking ")
    wales, north, south = (text.facet_token("nation", v) for v in ("Wales", "N", "S"))
    required = ((wales,), (north, south))
    assert fts5_match_expression(parsed, required=required) == (
        f'("parking") AND ("{wales}") AND ("{north}" OR "{south}")'
    )
    assert tsquery_match_expression(parsed, required=required) == (
        f"('parking') & ('{wales}') & ('{north}' | '{south}')"
    )
    assert fts5_match_expression(parsed) == '"parking"'


def test_highlights_escape_every_run_of_text_between_marks() -> None:
    query = parse_query("café care ")
    assert highlight("<b>Café</b> & CARE's 'cares'", query) == (
        "&lt;b&gt;<mark>Café</mark>&lt;/b&gt; &amp; <mark>CARE</mark>&#x27;s"
        " &#x27;<mark>cares</mark>&#x27;"
    )
    assert highlight("<i>nothing</i> here", query) == "&lt;i&gt;nothing&lt;/i&gt; here"


def test_snippets_and_highlights_are_the_same_whatever_the_marker_remembers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = {
        "title": "Care at home",
        "extra": "",
        "body": " ".join(f"word{n} filler" for n in range(40)) + " home care visits, care & <care>",
    }
    query = parse_query("home care")
    remembered = (text.snippet(document, query), highlight(document["body"], query))
    monkeypatch.setattr(text, "_MARKER_KEEPS", 2)
    text._marker.cache_clear()
    assert (text.snippet(document, query), highlight(document["body"], query)) == remembered
    marker = text._marker(query)
    assert len(marker._chunks) <= 2 and len(marker._parts) <= 2
    text._marker.cache_clear()


# What officers type: one-way synonyms and corrections (decision 0036)


def test_a_one_way_pair_adds_what_a_phrase_finds_and_not_the_reverse() -> None:
    table = text.synonym_table((("Potholes", "Road maintenance"),))
    (potholes,) = text.parse_query("potholes ", synonyms=table).concepts
    assert text.Alternative(("road", "maintenance"), text.SYNONYM_WEIGHT) in potholes
    # The built-in group of "pothole" still counts.
    assert text.Alternative(("road", "defect"), text.SYNONYM_WEIGHT) in potholes
    assert [len(c) for c in text.parse_query("road maintenance ", synonyms=table).concepts] == [
        1,
        1,
    ]
    # Without the stored pairs, only the built-in groups.
    (plain,) = text.parse_query("potholes ").concepts
    assert text.Alternative(("road", "maintenance"), text.SYNONYM_WEIGHT) not in plain


def test_one_edit_covers_deletions_swaps_replacements_and_insertions() -> None:
    edits = text.one_edit_away("chatbt")
    assert {"chatbot", "chatb", "chtabt", "chatbs"} <= edits
    assert "chatbt" not in edits
    assert "chatbots" not in edits


def test_a_correction_prefers_a_known_phrase_then_the_commonest_word() -> None:
    vocabulary = {"typing": 9, "tipping": 1, "library": 3, "librar": 5}
    assert text.correction("tiping", vocabulary) == "typing"
    assert text.correction("tiping", vocabulary, neighbours=["fly"]) == "tipping"
    assert text.correction("libary", vocabulary) == "library"
    assert text.correction("typing", vocabulary) is None  # indexed as typed
    assert text.correction("typ", vocabulary) is None  # too short
    assert text.correction("tipping2", vocabulary) is None  # digits


def test_coverage_is_the_share_of_the_query_weight_a_document_holds() -> None:
    from kitbag.search.text import Ranking, Scorable, prepare

    parsed = parse_query("residents potholes zebras ")
    assert len(parsed.concepts) == 3
    # "residents" is common (weight 1), "potholes" rare (3), "zebras" in no document: it
    # weighs as a word found nowhere (6) for coverage, and nothing for the score.
    idf = {a: 1.0 for a in parsed.concepts[0]} | {a: 3.0 for a in parsed.concepts[1]}
    ranking = Ranking(parsed, idf, absent_importance=6.0)
    prepared = prepare(parsed)

    def covered(body: str) -> float:
        document = {"title": "", "extra": "", "body": body}
        return ranking.covered(Scorable(terms_of(document)).counts(prepared))

    assert covered("Residents report potholes.") == pytest.approx(4 / 10)
    assert covered("Residents ask questions.") == pytest.approx(1 / 10)
    assert covered("Nothing asked for here.") == 0.0
    # Without a weight for absent words, the two words found are the whole query.
    both = Scorable(terms_of({"title": "", "extra": "", "body": "Residents report potholes."}))
    assert Ranking(parsed, idf).covered(both.counts(prepared)) == pytest.approx(1.0)
