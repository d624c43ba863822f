"""Anchors across revisions: one row per revision kind."""

from __future__ import annotations

import itertools

from kitbag.consultations.anchoring import (
    CommentPlace,
    Paragraph,
    Status,
    carry_forward,
    revise,
    split_blocks,
    word_diff,
)


def _ids() -> itertools.count[int]:
    return itertools.count(1)


def test_split_blocks_separates_headings_and_paragraphs() -> None:
    text = "# Title\nFirst line\nsame paragraph\n\n\n  Second  \n## Sub\nThird\n"
    assert split_blocks(text) == [
        "# Title",
        "First line\nsame paragraph",
        "Second",
        "## Sub",
        "Third",
    ]


def test_unchanged_and_small_edit() -> None:
    v1 = [
        Paragraph("a", "The library will open on Sundays from ten until four."),
        Paragraph("b", "Fines for late returns will end for children and young people."),
    ]
    counter = _ids()
    v2 = revise(
        v1,
        [
            "The library will open on Sundays from ten until four.",
            "Fines for late returns will end for everyone under eighteen and young people.",
        ],
        new_id=lambda: f"n{next(counter)}",
    )
    assert [p.id for p in v2] == ["a", "b"]
    anchors = carry_forward(
        {1: v1, 2: v2}, [CommentPlace("c1", 1, "a", None), CommentPlace("c2", 1, "b", None)]
    )
    assert anchors["c1"].status is Status.UNCHANGED
    assert anchors["c2"].status is Status.EDITED and anchors["c2"].paragraph == "b"


def test_word_diff_runs() -> None:
    assert word_diff("one two three", "one four three") == [
        ("equal", "one "),
        ("delete", "two "),
        ("insert", "four "),
        ("equal", "three"),
    ]
