"""What a source of published performance figures adds to the import framework.

A source's rows become `WantedIndicator`s and `WantedObservation`s, all checked before anything is
written. Writing resolves each body through the registry (by GSS code, or by name for the LGBF),
then compares every observation with the one stored under the same key (indicator, GSS, period):
new ones are created, changed ones updated with the new run as their provenance, and unchanged
ones left alone, so a second run of the same files writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Final

from django.db import connection, models

from kitbag.core.importing.files import Row, SourceError
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun
from kitbag.performance.happenings import announce_new_figures
from kitbag.performance.models import Indicator, Observation, Source

PERIOD_LABEL: Final = re.compile(r"(?P<start>\d{4})-(?P<end>\d{2})")
GSS_CODE: Final = re.compile(r"[EWSN]\d{8}")
# Wide enough for any published figure; a value outside is a broken cell, not a figure.
NUMBER_LIMIT: Final = 1e15
OBSERVATION_BATCH: Final = 2000


@dataclass(frozen=True)
class Period:
    label: str  # as the source gives it: "2016-17", "2012-15"
    start: dt.date
    years: int

    @property
    def iso(self) -> str:
        return f"{self.start.isoformat()}/P{self.years}Y"


def financial_period(row: Row, column: str) -> Period:
    """A financial year or a run of them: "2016-17" is 2016-04-01/P1Y, "2012-15" 2012-04-01/P3Y."""
    label = row[column]
    match = PERIOD_LABEL.fullmatch(label)
    if match is None:
        raise row.error(column, f"{label!r} is not a financial year such as 2016-17")
    start = int(match["start"])
    end = start - start % 100 + int(match["end"])
    if end <= start:
        end += 100
    if end - start > 10:
        raise row.error(column, f"{label!r} spans more than ten years")
    return Period(label=label, start=dt.date(start, 4, 1), years=end - start)


def number(row: Row, column: str) -> float | None:
    return row.decimal(column, low=-NUMBER_LIMIT, high=NUMBER_LIMIT)


@dataclass(frozen=True)
class WantedIndicator:
    code: str
    name: str
    definition: str = ""
    category: str = ""
    unit: str = ""
    is_percentage: bool = False
    show_as_percent: bool = False
    polarity: str = "none"
    midpoint: float | None = None
    decimal_places: int = 1
    numerator_label: str = ""
    denominator_label: str = ""
    numerator_multiplier: float = 1.0
    denominator_multiplier: float = 1.0
    family_type: str = ""
    licence: str = ""
    source_note: str = ""


@dataclass(frozen=True)
class WantedObservation:
    indicator: str  # the source's code
    body: str  # the GSS code (Oflog) or the council's name (LGBF), resolved when written
    file: str
    line: int
    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    status: str = "final"
    status_reason: str = ""
    published_median: float | None = None
    published_mads: float | None = None
    published_group_average: float | None = None
    published_national: float | None = None
    published_national_numerator: float | None = None
    published_national_denominator: float | None = None
    family_group: str = ""
    council_type: str = ""

    def model_fields(self) -> dict[str, Any]:
        """The Observation fields this record sets, provenance included (not the run)."""
        return {
            "period": self.period.iso,
            "period_label": self.period.label,
            "period_start": self.period.start,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "status_reason": self.status_reason,
            "published_median": self.published_median,
            "published_mads": self.published_mads,
            "published_group_average": self.published_group_average,
            "published_national": self.published_national,
            "published_national_numerator": self.published_national_numerator,
            "published_national_denominator": self.published_national_denominator,
            "family_group": self.family_group,
            "council_type": self.council_type,
            "source_file": self.file,
            "source_row": self.line,
        }


COMPARED_FIELDS: Final = (
    "period",
    "period_label",
    "period_start",
    "value",
    "numerator",
    "denominator",
    "status",
    "status_reason",
    "published_median",
    "published_mads",
    "published_group_average",
    "published_national",
    "published_national_numerator",
    "published_national_denominator",
    "family_group",
    "council_type",
    "source_file",
    "source_row",
)


@dataclass(frozen=True)
class Body:
    organisation_id: int
    gss: str


class PerformanceImporter(TableImporter[WantedObservation]):
    """A source of published figures: a subclass reads its files into `indicators` and records
    (in `records`) and says how its bodies are found in the registry (`resolve`)."""

    source_choice: ClassVar[Source]
    progress_unit = "observation"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicators: dict[str, WantedIndicator] = {}

    def resolve(self, bodies: set[str]) -> tuple[dict[str, Body], dict[str, str]]:
        """Each body's organisation and GSS code, and for each one not found, why."""
        raise NotImplementedError

    def check(self, record: WantedObservation) -> None:
        if record.indicator not in self.indicators:
            raise SourceError(
                f"{record.indicator!r} is not an indicator the source describes",
                file=record.file,
                line=record.line,
                field="Code",
            )

    def write(self, records: list[WantedObservation], report: ImportReport) -> None:
        run = ImportRun.objects.filter(source=self.source, status=ImportRun.Status.RUNNING).latest(
            "started_at"
        )
        indicators = self._write_indicators()
        bodies, missing = self.resolve({record.body for record in records})
        existing: dict[tuple[int, str, str], Observation] = {
            (o.indicator_id, o.gss, o.period_label): o
            for o in Observation.objects.filter(indicator__source=self.source_choice)
        }
        new: list[dict[str, Any]] = []
        changed: list[Observation] = []
        # Which bodies each indicator has new or changed figures for: one happening per indicator.
        touched: dict[int, set[int]] = {}
        for record in self.progress(records):
            body = bodies.get(record.body)
            if body is None:
                report.reject(file=record.file, line=record.line, reason=missing[record.body])
                continue
            indicator_id = indicators[record.indicator]
            wanted = record.model_fields()
            stored = existing.get((indicator_id, body.gss, record.period.label))
            if stored is None:
                touched.setdefault(indicator_id, set()).add(body.organisation_id)
                new.append(
                    {
                        "indicator_id": indicator_id,
                        "organisation_id": body.organisation_id,
                        "gss": body.gss,
                        "import_run_id": run.pk,
                        **wanted,
                    }
                )
                report.created += 1
            elif (
                any(getattr(stored, name) != value for name, value in wanted.items())
                or stored.organisation_id != body.organisation_id
            ):
                for name, value in wanted.items():
                    setattr(stored, name, value)
                stored.organisation_id = body.organisation_id
                stored.import_run = run
                changed.append(stored)
                touched.setdefault(indicator_id, set()).add(body.organisation_id)
                report.updated += 1
            else:
                report.unchanged += 1
        insert_observations(new)
        Observation.objects.bulk_update(
            changed,
            [*COMPARED_FIELDS, "organisation", "import_run"],
            batch_size=OBSERVATION_BATCH,
        )
        announce_new_figures(touched)

    def _write_indicators(self) -> dict[str, int]:
        stored = {i.code: i for i in Indicator.objects.filter(source=self.source_choice)}
        ids: dict[str, int] = {}
        for code, wanted in self.indicators.items():
            values = {f.name: getattr(wanted, f.name) for f in fields(wanted) if f.name != "code"}
            indicator = stored.get(code)
            if indicator is None:
                indicator = Indicator.objects.create(
                    source=self.source_choice,
                    code=code,
                    slug=indicator_slug(self.source_choice, code),
                    **values,
                )
            elif any(getattr(indicator, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(indicator, name, value)
                indicator.save()
            ids[code] = indicator.pk
        return ids


def insert_observations(rows: list[dict[str, Any]]) -> None:
    """Insert new observations with one prepared statement run for every row.

    bulk_create spends most of a first LGBF import (35,000 rows) building SQL for every value
    (profiled: 24 of 28 s); the statement is the same for every row, so it is built once. Values
    are adapted as Django would for the two field types that need it here (dates; the rest are
    numbers, text and ids).
    """
    if not rows:
        return
    columns = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in columns]
    # Columns of partners' figures (sign-off, who entered it) take their defaults; any other
    # missing column is a mistake in the importer.
    defaults = {
        f.attname: f.get_default()
        for f in columns
        if f.attname not in rows[0] and (f.has_default() or f.null or f.blank)
    }
    missing = set(names) - rows[0].keys() - defaults.keys()
    if missing:
        raise ValueError(f"observation rows lack {', '.join(sorted(missing))}")
    dates = {f.attname for f in columns if isinstance(f, models.DateField)}
    table = connection.ops.quote_name(Observation._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # Only the model's own table and column names, quoted, go into the text; values are parameters.
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), OBSERVATION_BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        adapt(value) if n in dates else value
                        for n in names
                        for value in [row[n] if n in row else defaults[n]]
                    )
                    for row in rows[start : start + OBSERVATION_BATCH]
                ],
            )


def indicator_slug(source: str, code: str) -> str:
    """ "oflog-asc1", "lgbf-c-and-l01": readable in an address, unique per source and code."""
    text = code.lower().replace("&", "-and-")
    return f"{source}-" + re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def key_error(
    row: Row, column: str, key: tuple[str, ...], first: Mapping[tuple[str, ...], int]
) -> SourceError:
    return row.error(column, f"duplicate row for {' '.join(key)} (first on line {first[key]})")
