"""The one downloads module: CSV cells a spreadsheet cannot run, the CSV and JSON files, and
JSON-LD that no text inside it can break out of."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

import kitbag
from kitbag.core.downloads import (
    FORMULA_STARTS,
    csv_cell,
    csv_response,
    json_ld_script,
    json_response,
    streamed_json_response,
)

LONDON_SUMMER = dt.timezone(dt.timedelta(hours=1))

CELLS: list[tuple[str, object, str]] = [
    # (what, value, the cell's text)
    ("nothing", None, ""),
    ("empty text", "", ""),
    ("plain text", "Bin collection", "Bin collection"),
    ("Welsh text", "Cyngor Sir Ynys Môn", "Cyngor Sir Ynys Môn"),
    ("true", True, "true"),
    ("false", False, "false"),
    ("zero", 0, "0"),
    ("a whole number", 153_000, "153000"),
    ("a negative number stays a number", -3, "-3"),
    ("a float", 2.5, "2.5"),
    ("a decimal", Decimal("1250.50"), "1250.50"),
    ("a negative decimal", Decimal("-12.5"), "-12.5"),
    ("a decimal never in exponent form", Decimal("1E+3"), "1000"),
    ("a date", dt.date(1996, 4, 1), "1996-04-01"),
    (
        "a datetime",
        dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC),
        "2026-06-01T09:30:00+00:00",
    ),
    (
        "a datetime with an offset",
        dt.datetime(2026, 6, 1, 10, 30, 15, tzinfo=LONDON_SUMMER),
        "2026-06-01T10:30:15+01:00",
    ),
    ("a time", dt.time(18, 0), "18:00:00"),
    ("a list", ["chatbot", "open-data"], "chatbot; open-data"),
    ("a tuple", ("E06000001", "W06000015"), "E06000001; W06000015"),
    ("an empty list", [], ""),
    ("a list of numbers and dates", [1, dt.date(2024, 1, 2)], "1; 2024-01-02"),
    ("a list with nothing in it", [None, "x"], "; x"),
    ("a list with a formula first", ["=HYPERLINK(1)", "ok"], "'=HYPERLINK(1); ok"),
    ("a list with a formula later", ["ok", "=HYPERLINK(1)"], "ok; '=HYPERLINK(1)"),
    ("a list that starts with a negative number", [-1, 2], "'-1; 2"),
    ("a list of lists", [["=a"], ["b"]], "'=a; b"),
    ("a UUID", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ("a lazy translation", gettext_lazy("Wales"), "Wales"),
    ("= later", "a=b", "a=b"),
    ("+ later", "x + y", "x + y"),
    ("- later", "e-mail", "e-mail"),
    ("@ later", "someone@example.org", "someone@example.org"),
    ("a sum in words", "1 + 1 = 2", "1 + 1 = 2"),
    ("a quote first already", "'=x", "'=x"),
    ("a space before =", " =1+1", " =1+1"),
    (
        "a hyperlink formula",
        '=HYPERLINK("http://evil.example")',
        '\'=HYPERLINK("http://evil.example")',
    ),
    ("a DDE payload", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("a formula in a lazy translation", gettext_lazy("=1+1"), "'=1+1"),
]

# Every character a spreadsheet starts a formula with, each named, so none can be dropped unseen.
FORMULA_CHARACTERS = {
    "equals": "=",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "full-width equals": "\uff1d",
    "full-width plus": "\uff0b",
    "full-width minus": "\uff0d",
    "full-width at": "\uff20",
    "tab": "\t",
    "carriage return": "\r",
    "line feed": "\n",
}


@pytest.mark.parametrize(
    ("value", "text"), [(v, t) for _, v, t in CELLS], ids=[w for w, _, _ in CELLS]
)
def test_a_value_becomes_the_text_of_one_cell(value: object, text: str) -> None:
    assert csv_cell(value) == text


@pytest.mark.parametrize("start", FORMULA_CHARACTERS.values(), ids=FORMULA_CHARACTERS.keys())
def test_text_starting_with_any_formula_character_is_kept_as_text(start: str) -> None:
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell(start) == f"'{start}"
    assert csv_cell([f"{start}SUM(A1)"]) == f"'{start}SUM(A1)"
    assert csv_cell(f"total{start}1") == f"total{start}1"


def test_the_guard_knows_exactly_the_named_formula_characters() -> None:
    assert set(FORMULA_STARTS) == set(FORMULA_CHARACTERS.values())


def streamed(response: StreamingHttpResponse) -> str:
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]


def rows_once() -> Iterator[dict[str, object]]:
    """Rows as the views hand them over: a generator, read once, with more keys than columns."""
    yield {"name": "=HYPERLINK(1)", "when": dt.date(2024, 4, 1), "tags": ["a", "b"], "x": 1}
    yield {"name": "Cyngor Caerdydd", "when": None, "tags": [], "x": 2}


class TestCsvResponse:
    def test_the_csv_streams_a_byte_order_mark_the_header_and_a_cell_per_column(self) -> None:
        response = csv_response(rows_once(), columns=("name", "when", "tags"), filename="o.csv")
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="o.csv"'
        text = streamed(response)
        assert text.startswith("\ufeffname,when,tags\r\n")
        assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
            ["name", "when", "tags"],
            ["'=HYPERLINK(1)", "2024-04-01", "a; b"],
            ["Cyngor Caerdydd", "", ""],
        ]

    def test_text_with_commas_quotes_and_line_breaks_stays_in_its_cell(self) -> None:
        value = 'Says "hello",\nthen leaves'
        response = csv_response([{"a": value, "b": "next"}], columns=["a", "b"], filename="x.csv")
        (header, row) = csv.reader(io.StringIO(streamed(response).removeprefix("\ufeff")))
        assert row == [value, "next"]

    def test_no_rows_is_still_a_file_with_its_header(self) -> None:
        response = csv_response([], columns=["a", "b"], filename="x.csv")
        assert streamed(response) == "\ufeffa,b\r\n"

    def test_a_row_without_one_of_the_columns_is_a_mistake_not_a_blank(self) -> None:
        response = csv_response([{"a": 1}], columns=["a", "b"], filename="x.csv")
        with pytest.raises(KeyError):
            streamed(response)


class TestJsonResponses:
    PAYLOAD = {
        "name": "Cyngor Sir Ynys Môn",
        "when": dt.date(2024, 4, 1),
        "amount": Decimal("12.50"),
        "id": uuid.UUID(int=1),
        "formula": "=1+1",
    }

    def test_the_json_keeps_non_ascii_and_writes_dates_decimals_and_ids_as_text(self) -> None:
        response = json_response(self.PAYLOAD, filename="data.json")
        assert isinstance(response, HttpResponse)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="data.json"'
        assert "Môn".encode() in response.content
        assert json.loads(response.content) == {
            "name": "Cyngor Sir Ynys Môn",
            "when": "2024-04-01",
            "amount": "12.50",
            "id": "00000000-0000-0000-0000-000000000001",
            "formula": "=1+1",  # JSON is data for scripts: nothing is defused
        }

    def test_the_json_is_compact_unless_asked_to_indent(self) -> None:
        assert b"\n" not in json_response({"a": [1]}, filename="a.json").content
        assert json_response({"a": 1}, filename="a.json", indent=2).content == b'{\n  "a": 1\n}'

    @pytest.mark.parametrize(
        ("head", "results", "expected"),
        [
            ({"count": 2, "truncated": False}, [{"a": 1}, {"a": "é"}], None),
            ({}, [{"a": 1}], None),
            ({"count": 0}, [], None),
            ({}, [], {"results": []}),
        ],
        ids=["a head and rows", "no head", "no rows", "neither"],
    )
    def test_streamed_json_is_the_head_with_every_result(
        self, head: dict[str, object], results: list[object], expected: object
    ) -> None:
        response = streamed_json_response(iter(results), head=head, filename="cases.json")
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="cases.json"'
        text = streamed(response)
        assert json.loads(text) == (expected or {**head, "results": results})
        assert "\\u00e9" not in text


class _Scripts(HTMLParser):
    """What a browser's HTML parser makes of a page fragment: each script element's text."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.other_tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        else:
            self.other_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


HOSTILE = [
    "Evil </script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!--<script>",
    "a & b > c < d",
    "&lt;escaped already&gt;",
    "line\u2028and paragraph\u2029separators",
]


class TestJsonLdScript:
    @pytest.mark.parametrize("text", HOSTILE)
    def test_text_inside_cannot_close_the_block_and_reads_back_the_same(self, text: str) -> None:
        data = {
            "@type": "Thing",
            "name": text,
            "alternateName": [text],
            "founded": dt.date(1996, 4, 1),
        }
        html = json_ld_script(data)
        assert isinstance(html, SafeString)
        assert html.startswith('<script type="application/ld+json">')
        parser = _Scripts()
        parser.feed(f"<p>before</p>{html}<p>after</p>")
        assert len(parser.scripts) == 1 and parser.other_tags == ["p", "p"]
        body = parser.scripts[0]
        assert not re.search("[<>&\u2028\u2029]", body)
        assert json.loads(body) == {**data, "founded": "1996-04-01"}

    def test_non_ascii_names_are_kept_as_they_are(self) -> None:
        assert "Caerdydd – Môn" in json_ld_script({"name": "Caerdydd – Môn"})


# Files in another tool's exchange format, written as that tool writes them: a formula guard would
# change the text another tool (or a re-import) reads back.
EXCHANGE_FORMATS = {
    "conversations/polis_files.py": "Polis's openData layout, read back by import-polis and Polis",
}


def test_no_other_module_writes_csv_or_json_ld_or_guards_formulas() -> None:
    """Every download and JSON-LD block goes through kitbag/core/downloads.py."""
    root = Path(kitbag.__file__).parent
    own = root / "core" / "downloads.py"
    signs = re.compile(r"csv\.writer|DictWriter|FORMULA|ld\+json|StreamingHttpResponse\(|\\ufeff")
    copies = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in [*root.rglob("*.py"), *root.rglob("*.html")]
        if path != own
        and "tests" not in path.parts
        and str(path.relative_to(root)) not in EXCHANGE_FORMATS
        for line in path.read_text(encoding="utf-8").splitlines()
        if signs.search(line)
    ]
    assert copies == []
