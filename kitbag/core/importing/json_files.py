"""Reading a JSON source file: a list of records, each with the line it starts on.

The list is the document itself (`[{...}, ...]`, as GOV.UK's organisations API gives it) or one
key of an object (`{"meta": ..., "records": [{...}, ...]}`, as the ATRS harvest gives it).

The rules of `files.py` hold for JSON too: UTF-8, at least one record, and every string in every
record text Kitbag can store, with errors naming file, line (where the record starts) and field
(the record's top-level key).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from kitbag.core.importing.files import SourceError, SourceFile, check_text, decode, no_rows_error


@dataclass(frozen=True)
class JsonRecord:
    file: str
    line: int  # where the record starts in the file
    index: int  # its place in the list, from 0
    value: Any  # as json gives it: an importer checks that it is an object

    def error(self, field: str, message: str) -> SourceError:
        return SourceError(message, file=self.file, line=self.line, field=field)


def parse_json_records(spec: SourceFile, data: bytes, *, list_key: str = "") -> list[JsonRecord]:
    """The records of `[...]` (no list_key) or `{"<list_key>": [...], ...}`, checked as every
    source file is."""
    text = decode(spec.name, data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as broken:
        raise SourceError(
            f"not valid JSON: {broken.msg} (column {broken.colno})",
            file=spec.name,
            line=broken.lineno,
        ) from None
    except RecursionError:
        raise SourceError("not readable JSON: nested too deeply", file=spec.name) from None
    if not list_key:
        if not isinstance(document, list):
            raise SourceError("the file must be a list of records", file=spec.name)
        values: list[Any] = document
    elif isinstance(document, dict) and isinstance(document.get(list_key), list):
        values = document[list_key]
    else:
        raise SourceError(
            f'the file must be an object with a "{list_key}" list', file=spec.name, field=list_key
        )
    if not values:
        where = f'its "{list_key}" list' if list_key else "its list"
        raise no_rows_error(spec.name, what=f"records in {where}")
    lines = _record_lines(text, list_key)
    if len(lines) != len(values):  # the list given twice: json keeps the last; count from 1
        lines = list(range(1, len(values) + 1))
    records = [
        JsonRecord(file=spec.name, line=line, index=index, value=value)
        for index, (line, value) in enumerate(zip(lines, values, strict=True))
    ]
    for record in records:
        fields = record.value.items() if isinstance(record.value, dict) else [("", record.value)]
        for name, value in fields:
            for string in _strings(value):
                check_text(string, file=spec.name, line=record.line, field=str(name))
    return records


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included, however deep."""
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
    return found


_SPACE = re.compile(r"\s*")


def _record_lines(text: str, list_key: str) -> list[int]:
    """Where each element of the list starts: the document, or its key `list_key`. The text is
    valid JSON."""
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        end = _SPACE.match(text, pos)
        return end.end() if end else pos

    def element_lines(pos: int) -> list[int]:
        lines: list[int] = []
        pos += 1  # past "["
        while True:
            pos = skip(pos)
            if text[pos] == "]":
                return lines
            lines.append(text.count("\n", 0, pos) + 1)
            _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            if text[pos] == ",":
                pos += 1

    if not list_key:
        return element_lines(skip(0))
    pos = skip(0) + 1  # past "{"
    while True:
        pos = skip(pos)
        if text[pos] == "}":
            return []
        key, pos = decoder.raw_decode(text, pos)
        pos = skip(skip(pos) + 1)  # past ":"
        if key == list_key:
            return element_lines(pos)
        _, pos = decoder.raw_decode(text, pos)
        pos = skip(pos)
        if text[pos] == ",":
            pos += 1
