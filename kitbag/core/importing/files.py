"""Reading source files: declared columns, strict decoding, and errors that name file, line and field.

Everything here fails loudly rather than guessing: a file that does not look like what its importer
declares stops the import before anything is written. Rules every file of every importer follows:

- it is UTF-8 (a byte-order mark is allowed) and has at least one data row;
- every value is text Kitbag can store (`kitbag.core.text_limits`): no NUL or other control
  character, and no longer than LONG_TEXT_MAX_LENGTH (an importer's accessors, such as
  `Row.text`, then hold each field to its own column's length).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from kitbag.core.text_limits import LONG_TEXT_MAX_LENGTH, text_problem

USER_AGENT: Final = "Kitbag importer"
DOWNLOAD_TIMEOUT_SECONDS: Final = 60


class SourceError(Exception):
    """A source file is missing, unreadable or not in the shape its importer declares."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, field: str = ""
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        where = ", ".join(
            part
            for part in (
                file,
                f"line {line}" if line is not None else "",
                field and f"field {field}",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class SourceUnavailable(SourceError):
    """The source cannot be fetched without a data directory (it has no single public file)."""


@dataclass(frozen=True)
class DateFormat:
    pattern: re.Pattern[str]
    description: str
    build: Callable[[re.Match[str]], dt.date]


def _ymd(match: re.Match[str]) -> dt.date:
    return dt.date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))


ISO_DATE = DateFormat(re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"), "YYYY-MM-DD", _ymd)
COMPACT_DATE = DateFormat(re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"), "YYYYMMDD", _ymd)
# GOV.UK registers allow a date to be given to the year or month only; such a date is taken as the
# first day of that period, as ISO 8601 truncation implies.
PARTIAL_ISO_DATE = DateFormat(
    re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"),
    "YYYY, YYYY-MM or YYYY-MM-DD",
    _ymd,
)

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class SourceFile:
    """One file of a source, as its importer expects it."""

    name: str  # the file name inside the source's folder of the data directory
    remote_path: str  # where the file lives under the importer's base_url
    columns: tuple[str, ...] = ()  # columns the importer needs (files with a header row)
    positional: tuple[str, ...] = ()  # names for every column of a file with no header row
    delimiter: str = ","
    key: str = ""  # a column whose non-blank values must be present and unique
    unique: tuple[str, ...] = ()  # further columns whose non-blank values must be unique

    @property
    def has_header(self) -> bool:
        return not self.positional

    @property
    def kind(self) -> str:
        return "tab-separated" if self.delimiter == "\t" else "comma-separated"


@dataclass(frozen=True)
class Row:
    """One data row, with accessors that turn bad values into SourceErrors naming the field."""

    file: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def error(self, column: str, message: str) -> SourceError:
        return SourceError(message, file=self.file, line=self.line, field=column)

    def text(self, column: str, *, max_length: int = 255, required: bool = False) -> str:
        value = " ".join(self[column].split())
        if required and not value:
            raise self.error(column, "a value is required")
        if len(value) > max_length:
            raise self.error(column, f"{value[:40]!r}... is longer than {max_length} characters")
        return value

    def date(self, column: str, *, format: DateFormat = ISO_DATE) -> dt.date | None:
        value = self[column]
        if not value:
            return None
        match = format.pattern.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            return format.build(match)
        except ValueError:
            raise self.error(column, f"{value!r} is not a date ({format.description})") from None

    def integer(self, column: str) -> int | None:
        value = self[column]
        if not value:
            return None
        try:
            number = float(value)  # mySociety writes whole numbers as "64187.0"
        except ValueError:
            raise self.error(column, f"{value!r} is not a number") from None
        if not number.is_integer() or number < 0:
            raise self.error(column, f"{value!r} is not a whole number")
        return int(number)

    def decimal(self, column: str, *, low: float, high: float) -> float | None:
        value = self[column]
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(column, f"{value!r} is not a number") from None
        if not low <= number <= high:
            raise self.error(column, f"{value!r} is not between {low} and {high}")
        return number

    def url(self, column: str, *, max_length: int = 500) -> str:
        value = self[column]
        if not value:
            return ""
        try:
            _url_validator(value)
        except ValidationError:
            raise self.error(column, f"{value!r} is not a web address") from None
        if len(value) > max_length:
            raise self.error(column, f"the address is longer than {max_length} characters")
        return value

    def codes(self, column: str, *, max_length: int = 128) -> list[str]:
        """A comma-separated list of codes ("S12000046,S12000043")."""
        codes = [code.strip() for code in self[column].split(",") if code.strip()]
        for code in codes:
            if len(code) > max_length:
                raise self.error(column, f"{code[:40]!r}... is longer than {max_length} characters")
        return codes

    def choice(self, column: str, choices: Mapping[str, str] | set[str]) -> str:
        value = self[column]
        if value and value not in choices:
            allowed = ", ".join(sorted(choices))
            raise self.error(column, f"{value!r} is not one of {allowed}")
        return value


@dataclass
class Table:
    """The rows of one file, with where it came from."""

    spec: SourceFile
    location: str
    rows: list[Row] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def fetch(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise SourceError(f"refusing to download {url!r}: only http and https are read")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked above)
            data: bytes = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        if isinstance(error, urllib.error.HTTPError):
            reason = f"HTTP {error.code} {error.reason}"
        else:
            reason = str(getattr(error, "reason", error))
        raise SourceError(
            f"could not download {url}: {reason}. Give a data directory (--data-dir or "
            "KITBAG_DATA_DIR) to read local copies instead."
        ) from error
    return data


def read_local(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path} does not exist") from None
    except OSError as error:
        raise SourceError(f"{path} cannot be read: {error.strerror}") from None


def decode(name: str, data: bytes) -> str:
    try:
        # utf-8-sig: a byte-order mark written by spreadsheet software is not part of the header.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise SourceError(
            f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8", file=name, line=line
        ) from None
    if not text.strip():
        raise SourceError("the file is empty", file=name)
    return text


def check_text(value: str, *, file: str, line: int | None, field: str) -> None:
    """Refuse a value no field could store, naming where it is (`kitbag.core.text_limits`)."""
    problem = text_problem(value, max_length=LONG_TEXT_MAX_LENGTH)
    if problem is not None:
        raise SourceError(problem.describe(), file=file, line=line, field=field)


def no_rows_error(name: str, *, what: str = "data rows") -> SourceError:
    """A file with nothing to import is an error, never an import of nothing: an empty download
    or a truncated copy would otherwise pass as a source that has no records."""
    return SourceError(f"the file has no {what}; there is nothing to import", file=name)


@contextmanager
def _any_field_size() -> Iterator[None]:
    # The csv module refuses a field over 128 KB without saying which. The file is in memory
    # already, so let it read any field, and let check_text name the field that is too long.
    previous = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def parse_table(spec: SourceFile, data: bytes, *, location: str) -> Table:
    text = decode(spec.name, data)
    # Register TSVs are unquoted: a name starting with a quote mark is text, not a quoted field.
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=spec.delimiter,
        quoting=csv.QUOTE_NONE if spec.delimiter == "\t" else csv.QUOTE_MINIMAL,
    )
    table = Table(spec=spec, location=location)
    header = list(spec.positional)
    previous_line = 0
    try:
        with _any_field_size():
            for fields in reader:
                line, previous_line = previous_line + 1, reader.line_num
                if not fields or fields == [""]:
                    continue
                if not header:
                    header = [name.strip() for name in fields]
                    _check_header(spec, header)
                    continue
                if len(fields) != len(header):
                    raise SourceError(
                        f"{len(fields)} field{'s' if len(fields) != 1 else ''} where {len(header)} were expected"
                        + _delimiter_hint(spec, fields),
                        file=spec.name,
                        line=line,
                    )
                values = dict(zip(header, fields, strict=True))
                for column, value in values.items():
                    check_text(value, file=spec.name, line=line, field=column)
                table.rows.append(Row(file=spec.name, line=line, values=values))
    except csv.Error as error:
        raise SourceError(f"not valid CSV: {error}", file=spec.name, line=reader.line_num) from None
    if not header:
        raise SourceError("the file is empty", file=spec.name)
    if not table.rows:
        raise no_rows_error(spec.name)
    _check_keys(spec, table)
    return table


def _check_header(spec: SourceFile, header: list[str]) -> None:
    missing = [column for column in spec.columns if column not in header]
    if missing:
        raise SourceError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            + _delimiter_hint(spec, header),
            file=spec.name,
            line=1,
        )


def _delimiter_hint(spec: SourceFile, fields: list[str]) -> str:
    other = "," if spec.delimiter == "\t" else "\t"
    if len(fields) == 1 and other in fields[0]:
        found = "commas" if other == "," else "tabs"
        return f"; the line is separated by {found}, but this file must be {spec.kind}"
    return ""


# Keys become identifier values and codes, which hold at most this many characters.
KEY_MAX_LENGTH: Final = 128


def _check_keys(spec: SourceFile, table: Table) -> None:
    for column in (spec.key, *spec.unique):
        if not column:
            continue
        first_seen: dict[str, int] = {}
        for row in table:
            value = row[column]
            if not value:
                if column == spec.key:
                    raise row.error(column, "the key is blank")
                continue
            if len(value) > KEY_MAX_LENGTH:
                raise row.error(column, f"the key is longer than {KEY_MAX_LENGTH} characters")
            if value in first_seen:
                raise row.error(
                    column, f"duplicate key {value!r} (first on line {first_seen[value]})"
                )
            first_seen[value] = row.line
