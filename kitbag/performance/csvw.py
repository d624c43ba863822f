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
    Column("value", "Value", "double", "The figure; blank where the source has none.", False),
    Column("numerator", "Numerator", "double", "The numerator, where there is one.", False),
    Column("denominator", "Denominator", "double", "The denominator, where there is one.", False),
    Column(
        "status",
        "Status",
        "string",
        "provisional, final, revised or suspect (a value the source flags or Kitbag doubts).",
        True,
    ),
)
COLUMN_NAMES: Final = tuple(c.name for c in COLUMNS)
# One figure per body or area and period (the figure's own key, as the CSV is sorted).
PRIMARY_KEY: Final = ["indicator", "period", "organisation", "gss"]


def row_of(observation: Any) -> dict[str, object]:
    """One observation as a row of the CSV, by column name."""
    return {
        "indicator": observation.indicator.code,
        "period": observation.period,
        "period_label": observation.period_label,
        "period_start": observation.period_start,
        "organisation": observation.organisation.code if observation.organisation else "",
        "gss": observation.gss,
        "value": observation.value,
        "numerator": observation.numerator,
        "denominator": observation.denominator,
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
