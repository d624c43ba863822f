from __future__ import annotations

from kitbag.search.backends.postgres import tsquery_expression
from kitbag.search.backends.sqlite import fts5_expression
from kitbag.search.text import ParsedQuery, fold, highlight, parse_query


def test_syntax_characters_and_stop_words_are_dropped() -> None:
    parsed = parse_query("' OR 1=1 -- NEAR(parking, the) title:permits ")
    assert parsed == ParsedQuery(terms=("near", "parking", "title", "permits"))


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
