"""Anchors across revisions: one row per revision kind, then the realistic pair in benchmarks/."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest

from kitbag.consultations.anchoring import (
    Anchor,
    CommentPlace,
    Paragraph,
    Quote,
    Status,
    carry_forward,
    revise,
    split_blocks,
    word_diff,
)

P1 = "The council will review parking charges in the town centre every year, taking account of inflation and the needs of local businesses."
P2 = "Residents' permits will cost fifty pounds a year for the first car and eighty pounds for a second car."
P3 = "We will install two hundred electric vehicle charging points by 2028. Charging points will be placed on residential streets where homes have no off-street parking."
P4 = "Blue Badge holders will continue to park free of charge in all council car parks."
P5 = "Enforcement officers will patrol school entrances at drop-off and pick-up times."
HEAD = "## Charges and permits"

P1_EDITED = P1.replace("every year", "every two years")
P3_FIRST, P3_SECOND = (
    "We will install two hundred electric vehicle charging points by 2028.",
    "Charging points will be placed on residential streets where homes have no off-street parking.",
)
P1_REWRITTEN = "Town centre tariffs will be set by a panel of traders and residents, who will publish their recommendations each spring."
MERGED = P4 + " " + P5
QUOTE_P3 = Quote(exact="residential streets")
S1 = "Residents will be able to buy visitor permits online from April next year."
S2 = "Carers visiting a resident at home will get free permits from the council."
S3 = "Businesses in the zone may apply for up to two permits for delivery vans."
REPEAT = "Charges apply from 8am to 6pm. On Sundays, charges apply from 8am to 6pm in the town centre only."


@dataclass
class Row:
    name: str
    before: list[str]
    after: list[str]
    # comment id -> (paragraph index in `before`, quote or None)
    comments: dict[str, tuple[int, Quote | None]]
    # comment id -> (paragraph index in `after` or None, status)
    expected: dict[str, tuple[int | None, Status]]
    ids_kept: dict[int, int] = field(default_factory=dict)  # after index -> before index


ROWS = [
    Row(
        "unchanged",
        [HEAD, P1, P2],
        [HEAD, P1, P2],
        {"c": (1, None)},
        {"c": (1, Status.UNCHANGED)},
        {0: 0, 1: 1, 2: 2},
    ),
    Row(
        "moved",
        [P1, P2, P3, P4],
        [P4, P2, P3, P1],
        {"a": (0, None), "d": (3, None)},
        {"a": (3, Status.UNCHANGED), "d": (0, Status.UNCHANGED)},
        {0: 3, 3: 0, 1: 1, 2: 2},
    ),
    Row(
        "small edit",
        [P1, P2],
        [P1_EDITED, P2],
        {"c": (0, None)},
        {"c": (0, Status.EDITED)},
        {0: 0, 1: 1},
    ),
    Row(
        "moved and edited",
        [P1, P2, P3, P4],
        [P2, P3, P4, P1_EDITED],
        {"c": (0, None)},
        {"c": (3, Status.EDITED)},
        {0: 1, 1: 2, 2: 3, 3: 0},
    ),
    Row(
        "rewrite in the same place",
        [P1, P2],
        [P1_REWRITTEN, P2],
        {"c": (0, None), "k": (1, None)},
        {"c": (None, Status.REMOVED), "k": (1, Status.UNCHANGED)},
        {1: 1},
    ),
    Row(
        "split, quote in the second part",
        [P2, P3],
        [P2, P3_FIRST, P3_SECOND],
        {"q": (1, QUOTE_P3), "plain": (1, None)},
        {"q": (2, Status.EDITED), "plain": (1, Status.EDITED)},
        {0: 0, 1: 1},
    ),
    Row(
        "split, quote in the first part",
        [P3],
        [P3_FIRST, P3_SECOND],
        {"q": (0, Quote(exact="electric vehicle charging points"))},
        {"q": (0, Status.EDITED)},
        {0: 0},
    ),
    Row(
        "split, the second part moved above: the first part is the beginning",
        [P2, P3],
        [P3_SECOND, P2, P3_FIRST],
        {"plain": (1, None), "q": (1, QUOTE_P3)},
        {"plain": (2, Status.EDITED), "q": (0, Status.EDITED)},
        {1: 0, 2: 1},
    ),
    Row(
        "merge",
        [P4, P5, P1],
        [MERGED, P1],
        {"a": (0, None), "b": (1, None)},
        {"a": (0, Status.EDITED), "b": (0, Status.EDITED)},
        {0: 0, 1: 2},
    ),
    Row(
        "merge keeps the id of the bigger contributor",
        [P5, P3],
        [P5 + " " + P3],
        {"a": (0, None)},
        {"a": (0, Status.EDITED)},
        {0: 1},
    ),
    Row(
        "insert around",
        [P1, P2],
        [HEAD, P3, P1, P4, P2, P5],
        {"a": (0, None), "b": (1, None)},
        {"a": (2, Status.UNCHANGED), "b": (4, Status.UNCHANGED)},
        {2: 0, 4: 1},
    ),
    Row(
        "delete",
        [P1, P2, P3],
        [P1, P3],
        {"a": (0, None), "b": (1, None), "c": (2, None)},
        {"a": (0, Status.UNCHANGED), "b": (None, Status.REMOVED), "c": (1, Status.UNCHANGED)},
        {0: 0, 1: 2},
    ),
    Row(
        "quote inside an edited paragraph",
        [P3],
        [P3.replace("two hundred", "three hundred")],
        {"q": (0, QUOTE_P3)},
        {"q": (0, Status.EDITED)},
        {0: 0},
    ),
    Row(
        "quote whose exact text appears twice, split",
        [REPEAT],
        [
            "Charges apply from 8am to 6pm.",
            "On Sundays, charges apply from 8am to 6pm in the town centre only.",
        ],
        {
            "first": (0, Quote(exact="8am to 6pm", prefix="Charges apply from ", suffix=". On")),
            "second": (
                0,
                Quote(exact="8am to 6pm", prefix="charges apply from ", suffix=" in the"),
            ),
        },
        {"first": (0, Status.EDITED), "second": (1, Status.EDITED)},
        {0: 0},
    ),
    Row(
        "quoted text deleted in a split: the first part",
        [P3],
        [P3_FIRST, "Charging points will be placed where homes have no off-street parking."],
        {"q": (0, QUOTE_P3)},
        {"q": (0, Status.EDITED)},
        {0: 0},
    ),
    Row(
        "heading renamed slightly",
        [HEAD, P1],
        ["## Charges, permits and exemptions", P1],
        {"h": (0, None)},
        {"h": (0, Status.EDITED)},
        {0: 0, 1: 1},
    ),
    Row(
        "repeated identical paragraphs keep their order",
        [HEAD, P1, HEAD, P2],
        [HEAD, P1, P4, HEAD, P2],
        {"first": (0, None), "second": (2, None)},
        {"first": (0, Status.UNCHANGED), "second": (3, Status.UNCHANGED)},
        {0: 0, 1: 1, 3: 2, 4: 3},
    ),
    Row(
        "fewer than half of the words survive, even with a few kept",
        [P2],
        [
            "Permits will be priced by engine emissions, from nothing for electric cars to a higher rate for the most polluting."
        ],
        {"c": (0, None)},
        {"c": (None, Status.REMOVED)},
        {},
    ),
    Row(
        "a heading removed is not merged into a paragraph that repeats its words",
        ["## Fines and charges", P1],
        [
            "## Charges",
            "Fines for late returns will end for children from April, and the council will keep its charges for room hire.",
            P1,
        ],
        {"h": (0, None)},
        # One word of three survives: fewer than half, so no descendant.
        {"h": (None, Status.REMOVED)},
        {2: 1},
    ),
    Row(
        "sections renumbered: numbers are places, not words",
        ["## 3. Charges", P1, "## 4. Enforcement", P5],
        ["## 3. Permits", P2, "## 4. Charges", P1, "## 5. Enforcement", P5],
        {"charges": (0, None), "enforcement": (2, None), "p1": (1, Quote("2.1"))},
        {
            "charges": (2, Status.EDITED),
            "enforcement": (4, Status.EDITED),
            "p1": (3, Status.UNCHANGED),
        },
        {2: 0, 3: 1, 4: 2, 5: 3},
    ),
    Row(
        "sentences reordered within a paragraph",
        [P3, P2],
        [P3_SECOND + " " + P3_FIRST, P2],
        {"c": (0, None), "q": (0, QUOTE_P3)},
        {"c": (0, Status.EDITED), "q": (0, Status.EDITED)},
        {0: 0, 1: 1},
    ),
    Row(
        "three sentences in reverse order: every word survives",
        [S1 + " " + S2 + " " + S3],
        [S3 + " " + S2 + " " + S1],
        {"c": (0, None), "q": (0, Quote("free permits"))},
        {"c": (0, Status.EDITED), "q": (0, Status.EDITED)},
        {0: 0},
    ),
    Row(
        "sentences reordered, then split: the first part still holds the beginning",
        [P3],
        [P3_SECOND, P3_FIRST],
        {"c": (0, None), "q": (0, QUOTE_P3)},
        {"c": (1, Status.EDITED), "q": (0, Status.EDITED)},
        {1: 0},
    ),
    Row(
        "a sentence added keeps the paragraph",
        [P4],
        [
            P4
            + " Their permits will be renewed automatically each year unless they tell us otherwise."
        ],
        {"c": (0, None)},
        {"c": (0, Status.EDITED)},
        {0: 0},
    ),
]


def _version(texts: list[str], prefix: str) -> list[Paragraph]:
    return [Paragraph(f"{prefix}{k}", text) for k, text in enumerate(texts)]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_revision_kinds(row: Row) -> None:
    before = _version(row.before, "v1-")
    counter = itertools.count()
    after = revise(before, row.after, new_id=lambda: f"new-{next(counter)}")
    assert [p.text for p in after] == row.after
    kept = {j: before[i].id for j, i in row.ids_kept.items()}
    assert {j: p.id for j, p in enumerate(after) if not p.id.startswith("new-")} == kept
    assert len({p.id for p in after}) == len(after)

    comments = [
        CommentPlace(key, 1, before[index].id, quote)
        for key, (index, quote) in row.comments.items()
    ]
    anchors = carry_forward({1: before, 2: after}, comments)
    expected = {
        key: Anchor(2, None if index is None else after[index].id, status)
        for key, (index, status) in row.expected.items()
    }
    assert anchors == expected


def test_chain_over_three_versions() -> None:
    v1 = _version([HEAD, P1, P2, P3], "a")
    ids = itertools.count()
    v2 = revise(v1, [HEAD, P2, P1_EDITED, P3_FIRST, P3_SECOND], new_id=lambda: f"n{next(ids)}")
    v3 = revise(
        v2,
        [
            HEAD,
            P2,
            P1_EDITED,
            P3_FIRST + " Residents may ask for one outside their home.",
            P3_SECOND,
            P5,
        ],
        new_id=lambda: f"n{next(ids)}",
    )
    comments = [
        CommentPlace("on-p1", 1, "a1", None),
        CommentPlace("on-p3-quote", 1, "a3", QUOTE_P3),
        CommentPlace("on-p3", 1, "a3", None),
        CommentPlace("on-v2-p1", 2, v2[2].id, None),
        CommentPlace("on-p2", 1, "a2", None),
    ]
    anchors = carry_forward({1: v1, 2: v2, 3: v3}, comments)
    assert anchors["on-p1"] == Anchor(3, "a1", Status.EDITED)
    # Unchanged since version 2: status compares the text then and now.
    assert anchors["on-v2-p1"] == Anchor(3, "a1", Status.UNCHANGED)
    assert anchors["on-p3-quote"] == Anchor(3, v3[4].id, Status.EDITED)
    assert anchors["on-p3"] == Anchor(3, "a3", Status.EDITED)
    assert anchors["on-p2"] == Anchor(3, "a2", Status.UNCHANGED)


def test_removed_then_restored_word_for_word() -> None:
    v1 = _version([P1, P2], "a")
    ids = itertools.count()
    v2 = revise(v1, [P2], new_id=lambda: f"n{next(ids)}")
    v3 = revise(v2, [P1, P2, P4], new_id=lambda: f"n{next(ids)}")
    v4 = revise(v3, [P1_EDITED, P2, P4], new_id=lambda: f"n{next(ids)}")
    comments = [CommentPlace("c", 1, "a0", None), CommentPlace("q", 1, "a0", Quote("every year"))]
    anchors = carry_forward({1: v1, 2: v2, 3: v3}, comments)
    assert anchors["c"] == anchors["q"] == Anchor(3, v3[0].id, Status.UNCHANGED)
    anchors = carry_forward({1: v1, 2: v2, 3: v3, 4: v4}, comments)
    assert anchors["c"] == Anchor(4, v3[0].id, Status.EDITED)
    # Brought back only in other words, it stays removed.
    v3b = revise(v2, [P1_REWRITTEN, P2], new_id=lambda: f"n{next(ids)}")
    assert carry_forward({1: v1, 2: v2, 3: v3b}, comments)["c"] == Anchor(3, None, Status.REMOVED)


def test_comment_on_latest_version_and_unknown_paragraph() -> None:
    v1 = _version([P1], "a")
    anchors = carry_forward(
        {1: v1}, [CommentPlace("here", 1, "a0", None), CommentPlace("lost", 1, "zz", None)]
    )
    assert anchors["here"] == Anchor(1, "a0", Status.UNCHANGED)
    assert anchors["lost"] == Anchor(1, None, Status.REMOVED)


def test_quote_not_found_behaves_as_unquoted() -> None:
    v1 = _version([P3], "a")
    v2 = revise(v1, [P3_FIRST, P3_SECOND], new_id=lambda: "n")
    anchors = carry_forward({1: v1, 2: v2}, [CommentPlace("c", 1, "a0", Quote("not in the text"))])
    assert anchors["c"] == Anchor(2, "a0", Status.EDITED)


def test_new_ids_never_collide() -> None:
    v1 = _version([P1, P2], "p")
    fresh = iter(["p0", "p1", "p9"])
    v2 = revise(v1, [P1, P2, P3], new_id=lambda: next(fresh))
    assert [p.id for p in v2] == ["p0", "p1", "p9"]


def test_split_blocks() -> None:
    text = "# Title\nFirst line\nsame paragraph\n\n\n  Second  \n## Sub\nThird\r\n\r\n```\ncode\n\nmore\n```\n"
    assert split_blocks(text) == [
        "# Title",
        "First line\nsame paragraph",
        "Second",
        "## Sub",
        "Third",
        "```\ncode\n\nmore\n```",
    ]
    assert split_blocks("  \n\n") == []


def test_word_diff() -> None:
    assert word_diff("one two three", "one four three") == [
        ("equal", "one "),
        ("delete", "two "),
        ("insert", "four "),
        ("equal", "three"),
    ]
    assert word_diff("", "new text") == [("insert", "new text")]
    runs = word_diff(P1, P1_EDITED)
    assert "".join(text for kind, text in runs if kind != "delete") == P1_EDITED
    assert "".join(text for kind, text in runs if kind != "insert") == P1


@pytest.mark.parametrize("name", ["library_strategy", "parking_strategy", "licensing_policy"])
def test_realistic_pairs(name: str) -> None:
    """A county council's draft library strategy and a town centre parking strategy, each with a
    revised draft and 30+ comments with the anchor a reader would expect for each
    (benchmarks/consultations/); the benchmark prints the same figures."""
    import json
    from pathlib import Path

    here = Path(__file__).resolve().parents[3] / "benchmarks" / "consultations"
    v1_texts = split_blocks((here / f"{name}_v1.md").read_text(encoding="utf-8"))
    v2_texts = split_blocks((here / f"{name}_v2.md").read_text(encoding="utf-8"))
    data = json.loads((here / f"{name}_comments.json").read_text(encoding="utf-8"))
    v1 = [Paragraph(f"a{k}", text) for k, text in enumerate(v1_texts, 1)]
    counter = itertools.count(1)
    v2 = revise(v1, v2_texts, new_id=lambda: f"b{next(counter)}")
    places = [
        CommentPlace(
            c["id"], 1, v1[c["paragraph"] - 1].id, Quote(**c["quote"]) if c["quote"] else None
        )
        for c in data["comments"]
    ]
    anchors = carry_forward({1: v1, 2: v2}, places)
    wrong = []
    for c in data["comments"]:
        number = c["expected"]["paragraph"]
        expected = Anchor(2, v2[number - 1].id if number else None, Status(c["expected"]["status"]))
        if anchors[c["id"]] != expected:
            wrong.append((c["id"], c["tests"], anchors[c["id"]], expected))
    assert len(data["comments"]) >= 25
    assert wrong == []


@pytest.mark.parametrize(
    ("exact", "prefix", "suffix", "part"),
    [
        ("residential streets", "", "", 1),
        ("RESIDENTIAL   streets", "", "", 1),  # case and spacing of a browser selection
        ("must be installed", "", "", 0),  # the source has **must**
        ("ectric vehicle charg", "", "", 0),  # a selection starting and ending inside words
        ("points", "hundred electric vehicle charging ", "", 0),
        ("points", "Charging ", " will", 1),
        ("points", "", "", 0),  # ambiguous and nothing to choose by: the first
    ],
)
def test_quote_is_found_word_by_word(exact: str, prefix: str, suffix: str, part: int) -> None:
    text = "Two hundred electric vehicle charging points **must** be installed by 2028. Charging points will be placed on residential streets where homes have no off-street parking."
    v1 = [Paragraph("p", text)]
    first, second = text.split(" Charging points will", 1)
    v2 = revise(v1, [first, "Charging points will" + second], new_id=lambda: "new")
    anchors = carry_forward(
        {1: v1, 2: v2}, [CommentPlace("c", 1, "p", Quote(exact, prefix, suffix))]
    )
    assert anchors["c"].paragraph == v2[part].id


def test_first_version_and_empty_edges() -> None:
    counter = itertools.count(1)
    first = revise([], ["# Title", "Text.", "Text."], new_id=lambda: f"p{next(counter)}")
    assert [p.id for p in first] == ["p1", "p2", "p3"]
    assert revise(first, [], new_id=lambda: "x") == []
    assert carry_forward({}, [CommentPlace("c", 1, "p1", None)]) == {}
    emptied = {1: first, 2: []}
    assert carry_forward(emptied, [CommentPlace("c", 1, "p1", None)]) == {
        "c": Anchor(2, None, Status.REMOVED)
    }
    # A block with no words at all is matched by its text.
    rule = revise([Paragraph("r", "---")], ["Intro.", "---"], new_id=lambda: "n")
    assert [p.id for p in rule] == ["n", "r"]
