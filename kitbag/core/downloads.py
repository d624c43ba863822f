"""The one way Kitbag writes files to download and JSON-LD into pages.

Every CSV, every JSON download and every `<script type="application/ld+json">` block goes through
here, so there is one answer to "what will a spreadsheet do with this cell?" and one to "can this
text close its script element?".

- `csv_cell(value)`: the text of one CSV cell, with formulas defused (see FORMULA_STARTS).
- `csv_response(rows, columns=..., filename=...)`: rows streamed as UTF-8 CSV with a byte order mark
  (so Excel reads Welsh names right), one `csv_cell` per column.
- `json_response(payload, filename=...)`: a JSON file, non-ASCII kept as it is.
- `streamed_json_response(results, head=..., filename=...)`: `{...head, "results": [...]}` written
  a row at a time, so memory stays flat however many rows there are.
- `json_ld_script(data)`: a whole JSON-LD script element, which no text inside it can close.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"): the four
# ASCII ones; their full-width forms, which spreadsheets take for the same characters; and tab,
# carriage return and line feed, which some spreadsheets skip before looking at what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\t", "\r", "\n")

LIST_SEPARATOR = "; "


def csv_cell(value: object) -> str:
    """The text of one CSV cell.

    None is empty; booleans are `true` and `false`; numbers are numbers (a decimal never in
    exponent form); dates and times are ISO 8601; a list or tuple is its items' cells joined with
    "; ". Any other value is text, and text that a spreadsheet would run as a formula starts with
    a `'`, which spreadsheets read as "this is text" and do not show.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date | dt.time):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        # Each item is defused, so it stays text if someone splits the cell into columns, and so
        # is the whole, which may start with a negative number.
        return _defused(LIST_SEPARATOR.join(csv_cell(item) for item in value))
    return _defused(str(value))


def _defused(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Mapping[str, object]], *, columns: Sequence[str]) -> Iterator[str]:
    """A byte order mark, the header, then one line per row with a `csv_cell` per column."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel reads the file as UTF-8 (Welsh names, users' text)
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[column]) for column in columns])


def csv_response(
    rows: Iterable[Mapping[str, object]], *, columns: Sequence[str], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(rows, columns=columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _json(value: object, *, indent: int | None = None) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=indent)


def json_response(payload: object, *, filename: str, indent: int | None = None) -> HttpResponse:
    """A JSON file; dates, decimals and UUIDs as DjangoJSONEncoder writes them."""
    response = HttpResponse(
        _json(payload, indent=indent), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def json_chunks(results: Iterable[object], *, head: Mapping[str, object]) -> Iterator[str]:
    """The JSON object `{...head, "results": [...]}`, a result at a time."""
    opening = _json(dict(head))
    yield opening[:-1] + (', "results": [' if head else '"results": [')
    for n, result in enumerate(results):
        yield ("," if n else "") + _json(result)
    yield "]}"


def streamed_json_response(
    results: Iterable[object], *, head: Mapping[str, object], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        json_chunks(results, head=head), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# What could end the script element or start markup inside it (`</script>`, `<!--`), and the line
# separators that older JavaScript parsers end a string at, all as JSON escapes of themselves. The
# block is data, not script, so the Content-Security-Policy allows it without a nonce.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld_script(data: Mapping[str, Any]) -> SafeString:
    """`<script type="application/ld+json">` with `data` as JSON in it, safe to put in a page."""
    text = _json(data, indent=2).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped
