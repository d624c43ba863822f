"""Oflog's adult social care metrics for English councils, with the England median and each
council's distance from it in MADs as published.

Every row is a council row; the published median is repeated on each. A missing value stays
missing (never zero), and a zero is flagged suspect: the five ASC2 2019-20 zeros and Scilly's
ASC5 2016-17 look like missing data coded as 0, and Oflog included them in its median.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from kitbag.core.importing.files import Row, SourceFile, Table
from kitbag.performance.importers.base import (
    GSS_CODE,
    Body,
    PerformanceImporter,
    WantedIndicator,
    WantedObservation,
    financial_period,
    key_error,
    number,
)
from kitbag.performance.models import Polarity, Source, Status
from kitbag.registry.models import Identifier, IdentifierScheme

MAIN: Final = "oflog_adult_social_care_metrics.csv"
LICENCE: Final = "Open Government Licence v3.0 (evaluation only in Kitbag: not republished)"
# Units are not in the file; these are inferred from the values and ASCOF's definitions.
UNITS: Final = {
    "ASC1": ("score out of 12", False, 1),
    "ASC2": ("adjusted quality-of-life score", False, 3),
    "ASC3": ("%", True, 1),
    "ASC4": ("%", True, 1),
    "ASC5": ("%", True, 1),
    "ASC6": ("rate (probably per 100,000 adults)", False, 1),
    "ASC7": ("%", True, 1),
}
HIGHER_IS_BETTER: Final = {"desc"}


class OflogImporter(PerformanceImporter):
    source = "oflog"
    source_choice = Source.OFLOG
    folder = "oflog_adult_social_care"
    files = (
        SourceFile(
            name=MAIN,
            remote_path=MAIN,
            columns=(
                "Financial year",
                "Local authority code",
                "Local authority name",
                "Entity_Name",
                "Measure",
                "Code",
                "Value",
                "MEDIAN",
                "MADs_from_median",
                "rank_order",
            ),
        ),
    )

    def records(self, tables: Mapping[str, Table]) -> list[WantedObservation]:
        records: list[WantedObservation] = []
        first: dict[tuple[str, ...], int] = {}
        measures: dict[str, str] = {}
        orders: dict[str, set[str]] = {}
        for row in tables[MAIN]:
            record = self.observation(row)
            key = (record.indicator, record.body, record.period.label)
            if key in first:
                raise key_error(row, "Code", key, first)
            first[key] = row.line
            measures.setdefault(record.indicator, row.text("Measure", required=True))
            orders.setdefault(record.indicator, set()).add(row["rank_order"].lower())
            records.append(record)
        for code, measure in measures.items():
            unit, percentage, places = UNITS.get(code, ("", False, 1))
            higher = bool(orders[code] & HIGHER_IS_BETTER)
            self.indicators[code] = WantedIndicator(
                code=code,
                name=measure.removeprefix("Outcome, ").strip(),
                unit=unit,
                is_percentage=percentage,
                polarity=Polarity.HIGHER_BETTER if higher else Polarity.CONTEXTUAL,
                decimal_places=places,
                category="Adult social care",
                licence=LICENCE,
                source_note=(
                    "Oflog publishes each council's value with the median of all English "
                    "upper-tier councils and its distance from that median in raw MADs."
                ),
            )
        return records

    def observation(self, row: Row) -> WantedObservation:
        gss = row["Local authority code"]
        if not GSS_CODE.fullmatch(gss):
            raise row.error("Local authority code", f"{gss!r} is not a GSS code such as E06000005")
        value = number(row, "Value")
        status, reason = Status.FINAL, ""
        if value == 0:
            status = Status.SUSPECT
            reason = "zero: probably missing data coded as 0 (included in Oflog's median)"
        return WantedObservation(
            indicator=row.text("Code", max_length=32, required=True),
            body=gss,
            file=row.file,
            line=row.line,
            period=financial_period(row, "Financial year"),
            value=value,
            status=status,
            status_reason=reason,
            published_median=number(row, "MEDIAN"),
            published_mads=number(row, "MADs_from_median"),
            council_type=row.text("Entity_Name", max_length=64),
        )

    def resolve(self, bodies: set[str]) -> tuple[dict[str, Body], dict[str, str]]:
        found = {
            value: Body(organisation_id=organisation_id, gss=value)
            for value, organisation_id in Identifier.objects.filter(
                scheme=IdentifierScheme.GSS, value__in=bodies
            ).values_list("value", "organisation_id")
        }
        missing = {
            gss: f"no organisation in the registry has the GSS code {gss}; import the registry first"
            for gss in bodies - found.keys()
        }
        return found, missing
