"""Partners' CSV files of figures: the template's columns, and reading a file into rows with
every error found (its line and column), before anything is looked up or stored. No Django.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Final

from kitbag.core.text_limits import text_problem
from kitbag.performance.periods import Period, PeriodError, parse_period

COLUMNS: Final = (
    "indicator",
    "organisation",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "note",
)
REQUIRED: Final = ("indicator", "period", "value")
STATUSES: Final = ("provisional", "final", "revised", "suspect")
MAX_ROWS: Final = 5000
MAX_NOTE: Final = 2000
NUMBER_LIMIT: Final = 1e15

TEMPLATE_EXAMPLE: Final = (
    "CODE1",
    "ORG-CODE",
    "",
    "2023-24",
    "42.5",
    "85",
    "200",
    "provisional",
    "Example row: replace or delete it",
)


@dataclass(frozen=True)
class FileError:
    line: int  # 1 is the header
    column: str  # "" for the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class FigureRow:
    line: int
    indicator: str
    organisation: str
    area: str
    period: Period
    value: float
    numerator: float | None
    denominator: float | None
    status: str
    note: str


@dataclass
class ReadFile:
    rows: list[FigureRow] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    # The rows that were readable even when others were not, so that what they name (indicator,
    # organisation) can be checked too and every error reported in one go.
    readable: list[FigureRow] = field(default_factory=list)


def template_rows() -> list[dict[str, str]]:
    """The template's one example row (written out by core.downloads)."""
    return [dict(zip(COLUMNS, TEMPLATE_EXAMPLE, strict=True))]


def _number(text: str) -> float:
    cleaned = text.replace(",", "").strip()
    number = float(cleaned)
    if not math.isfinite(number) or abs(number) > NUMBER_LIMIT:
        raise ValueError(text)
    return number


def read_figures(data: bytes) -> ReadFile:
    """Every row of the file, or every error in it; a file with any error gives no rows."""
    result = ReadFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(FileError(0, "", "The file is not UTF-8 text: save it as CSV UTF-8"))
        return result
    if text_problem(text, max_length=None) is not None:
        result.errors.append(FileError(0, "", "The file holds control characters: is it a CSV?"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        result.errors.append(FileError(1, "", "The file is empty"))
        return result
    except csv.Error as error:
        result.errors.append(FileError(1, "", f"Not readable as CSV: {error}"))
        return result
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        result.errors.append(FileError(1, "", f"Missing column(s): {', '.join(missing)}"))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        result.errors.append(FileError(1, "", f"Unknown column(s): {', '.join(unknown)}"))
    if result.errors:
        return result
    seen: dict[tuple[str, str, str, str], int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if number - 1 > MAX_ROWS:
                result.errors.append(FileError(number, "", f"More than {MAX_ROWS} rows"))
                break
            if len(cells) > len(header):
                result.errors.append(FileError(number, "", "More cells than columns"))
                continue
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            row = _read_row(number, values, result.errors)
            if row is None:
                continue
            key = (row.indicator, row.organisation, row.area, row.period.iso)
            if key in seen:
                result.errors.append(
                    FileError(number, "period", f"The same figure is on line {seen[key]}")
                )
                continue
            seen[key] = number
            result.rows.append(row)
    except csv.Error as error:
        result.errors.append(FileError(reader.line_num, "", f"Not readable as CSV: {error}"))
    if not result.rows and not result.errors:
        result.errors.append(FileError(2, "", "The file has no figures"))
    result.readable = result.rows
    if result.errors:
        result.rows = []
    return result


def _read_row(line: int, values: dict[str, str], errors: list[FileError]) -> FigureRow | None:
    found: list[FileError] = []

    def get(name: str) -> str:
        return values.get(name, "")

    for name in ("indicator", "period", "value"):
        if not get(name):
            found.append(FileError(line, name, "Enter a value"))
    organisation, area = get("organisation"), get("area")
    if not organisation and not area:
        found.append(FileError(line, "organisation", "Enter an organisation code or an area"))
    elif organisation and area:
        found.append(FileError(line, "area", "Enter an organisation or an area, not both"))
    period: Period | None = None
    if get("period"):
        try:
            period = parse_period(get("period"))
        except PeriodError as error:
            found.append(FileError(line, "period", str(error)))
    numbers: dict[str, float | None] = {}
    for name in ("value", "numerator", "denominator"):
        if get(name):
            try:
                numbers[name] = _number(get(name))
            except ValueError:
                found.append(FileError(line, name, f"{get(name)!r} is not a number"))
        else:
            numbers[name] = None
    if numbers.get("denominator") == 0:
        found.append(FileError(line, "denominator", "A denominator cannot be 0"))
    status = get("status").lower() or "final"
    if status not in STATUSES:
        found.append(FileError(line, "status", f"Use one of {', '.join(STATUSES)}"))
    note = get("note")
    for name in ("indicator", "organisation", "area", "note"):
        problem = text_problem(
            get(name), max_length=MAX_NOTE if name == "note" else 128, single_line=name != "note"
        )
        if problem is not None:
            found.append(FileError(line, name, problem.describe()))
    if found:
        errors.extend(found)
        return None
    assert period is not None  # noqa: S101 (no error was found, so the period was read)
    value = numbers["value"]
    assert value is not None  # noqa: S101
    return FigureRow(
        line=line,
        indicator=get("indicator"),
        organisation=organisation,
        area=area.upper(),
        period=period,
        value=value,
        numerator=numbers["numerator"],
        denominator=numbers["denominator"],
        status=status,
        note=note,
    )
