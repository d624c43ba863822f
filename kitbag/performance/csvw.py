"""The CSV of an indicator's figures and its CSVW metadata, in the W3C "Metadata Vocabulary for
Tabular Data" the way the ONS publishes its CSVs: every column named, titled, typed and described,
in the order the CSV writes them, so the one list below serves both. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    datatype: str
    description: str
    required: bool


COLUMNS: Final = (
    Column("indicator", "Indicator", "string", "The indicator's code.", True),
    Column("period", "Period", "string", "The period as an ISO 8601 interval.", True),
    Column("period_label", "Period label", "string", "The period as its source says it.", True),
    Column("period_start", "Period start", "date", "The first day of the period.", True),
    Column(
        "organisation",
        "Organisation",
        "string",
        "The registry code of the body the figure is about; blank for an area.",
        False,
    ),
    Column("gss", "GSS code", "string", "The ONS GSS code of the body or area.", False),
    Column(
        "subject",
        "Subject",
        "string",
        "What the figure is about, always present: organisation:<registry code> for a body, "
        "area:<GSS code> for an area.",
        True,
    ),
    Column(
        "value",
        "Value",
        "decimal",
        "The figure, to the indicator's decimal places as its page shows it (a percentage shown "
        "on the page is a fraction here, to two more places); blank where there is none.",
        False,
    ),
    Column("numerator", "Numerator", "decimal", "The numerator, where there is one.", False),
    Column("denominator", "Denominator", "decimal", "The denominator, where there is one.", False),
    Column(
        "status",
        "Status",
        "string",
        "provisional, final, revised or suspect (a value the source flags or Kitbag doubts).",
        True,
    ),
)
COLUMN_NAMES: Final = tuple(c.name for c in COLUMNS)
# One figure per body or area and period. Every column of a CSVW primary key must be present in
# every row, so the key uses `subject` (never blank), not `organisation` (blank for an area).
PRIMARY_KEY: Final = ["indicator", "period", "subject"]


def decimal_text(value: float | None, places: int) -> str:
    """A value as fixed-point text to `places` decimals, without a float's binary noise
    (0.30000000000000004 is "0.300" to three places); "" for none."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return "0" + text[2:] if text.startswith("-0") and not text.strip("-0.") else text


def plain_number(value: float | None) -> str:
    """A count (numerator, denominator) without binary noise: 15 significant digits, no
    exponent for ordinary sizes."""
    if value is None:
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def subject_of(observation: Any) -> str:
    if observation.organisation is not None:
        return f"organisation:{observation.organisation.code or observation.organisation.slug}"
    return f"area:{observation.gss}"


def value_places(indicator: Any) -> int:
    """Places the CSV gives a value: the page's, two more for a fraction shown as a percentage."""
    places = int(indicator.decimal_places)
    return places + 2 if indicator.show_as_percent else places


def row_of(observation: Any) -> dict[str, object]:
    """One observation as a row of the CSV, by column name."""
    return {
        "indicator": observation.indicator.code,
        "period": observation.period,
        "period_label": observation.period_label,
        "period_start": observation.period_start,
        "organisation": observation.organisation.code if observation.organisation else "",
        "gss": observation.gss,
        "subject": subject_of(observation),
        "value": decimal_text(observation.value, value_places(observation.indicator)),
        "numerator": plain_number(observation.numerator),
        "denominator": plain_number(observation.denominator),
        "status": observation.status,
    }


def metadata(indicator: Any, *, csv_url: str, publisher: str) -> dict[str, Any]:
    """The JSON-LD metadata document describing the CSV at `csv_url`."""
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_url,
        "dc:title": f"{indicator.code} {indicator.name}: figures",
        "dc:description": indicator.definition or indicator.name,
        "dc:license": indicator.licence or "See the indicator's page",
        "dc:publisher": publisher,
        "tableSchema": {
            "columns": [
                {
                    "name": c.name,
                    "titles": c.title,
                    "datatype": c.datatype,
                    "dc:description": c.description,
                    "required": c.required,
                }
                for c in COLUMNS
            ],
            "primaryKey": PRIMARY_KEY,
        },
    }
