"""The Scottish Local Government Benchmarking Framework (Improvement Service, via SC-TPP).

Every row is a council row with the Scotland figure and the family-group average repeated on it.
The indicators come from indicator_information.csv; which family-group partition an indicator uses
is taken from the labels in the data ("Rural"/"Urban" or "Least Deprived"/"Most Deprived"),
because the information file's FamilyGrouping column is wrong for 17 codes. Councils are matched
by name to the registry's Scottish councils ("&" read as "and", "Edinburgh City" as "City of
Edinburgh").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

from django.db.models import Q

from kitbag.core.importing.files import Row, SourceError, SourceFile, Table
from kitbag.performance.importers.base import (
    Body,
    PerformanceImporter,
    WantedIndicator,
    WantedObservation,
    financial_period,
    key_error,
    number,
)
from kitbag.performance.models import FamilyType, Polarity, Source, Status
from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Nation,
    Organisation,
    OrganisationKind,
)

DATA: Final = "LGBF_ScotDataReal_ISSpatialHub.csv"
INFORMATION: Final = "indicator_information.csv"
LICENCE: Final = "Improvement Service LGBF data (no explicit licence; evaluation only in Kitbag: not republished)"
RANKING: Final = {
    "Ascending": Polarity.LOWER_BETTER,
    "Descending": Polarity.HIGHER_BETTER,
    "Goldilocks": Polarity.MIDPOINT,
}
# The family-group labels in the data: group 1 and 4 say which partition; 2 and 3 do not.
FAMILY_LABELS: Final = {
    "Rural": (FamilyType.RURALITY, 1),
    "Urban": (FamilyType.RURALITY, 4),
    "Least Deprived": (FamilyType.DEPRIVATION, 1),
    "Most Deprived": (FamilyType.DEPRIVATION, 4),
    "2": (None, 2),
    "3": (None, 3),
}
# Percentage-point gaps on a 0-100 scale although the file calls them percentages.
POINTS_NOT_FRACTIONS: Final = {"CHN14a", "CHN14b"}
NAME_ALIASES: Final = {"edinburgh city": "city of edinburgh"}
PLACES: Final = re.compile(r"\.(\d+)")


def family_group(family_type: str, number: int) -> str:
    """ "rurality-1" … "deprivation-4": the code of one of the LGBF's eight groups."""
    return f"{family_type}-{number}"


class LgbfImporter(PerformanceImporter):
    source = "lgbf"
    source_choice = Source.LGBF
    folder = "lgbf_scotland_performance_indicators"
    files = (
        SourceFile(
            name=DATA,
            remote_path=DATA,
            columns=(
                "Code",
                "LocalAuthority",
                "Year",
                "LA_IndicatorReal",
                "LA_Numerator_real",
                "LA_Den_Real",
                "Scotland_Indicator_Real",
                "Scotland_Num_Real",
                "Scotland_Den_Real",
                "FG_Avg_Indicator_Real",
                "FamilyGroup",
            ),
        ),
        SourceFile(
            name=INFORMATION,
            remote_path=INFORMATION,
            columns=(
                "Title",
                "Code",
                "MeasureType",
                "ISCategory",
                "FamilyGrouping",
                "Ranking_Type",
                "Ranking_GoldilocksMidpoint",
                "Numerator_Correct",
                "Denominator_Correct",
                "Numerator_Multipier",
                "Denominator_Multiplier",
                "Format_Python",
                "Source",
            ),
            key="Code",
        ),
    )

    def records(self, tables: Mapping[str, Table]) -> list[WantedObservation]:
        information = {row["Code"]: row for row in tables[INFORMATION]}
        records: list[WantedObservation] = []
        first: dict[tuple[str, ...], int] = {}
        family_types: dict[str, set[FamilyType]] = defaultdict(set)
        labels: list[tuple[WantedObservation, Row]] = []
        for row in tables[DATA]:
            if not any(value.strip() for column, value in row.values.items() if column):
                continue  # the file ends with a row that has only its pandas index
            code = row.text("Code", max_length=32, required=True)
            if code not in information:
                raise row.error("Code", f"{code!r} is not in {INFORMATION}")
            record = self.observation(row, code=code)
            key = (code, record.body, record.period.label)
            if key in first:
                raise key_error(row, "Code", key, first)
            first[key] = row.line
            label = row["FamilyGroup"]
            if label not in FAMILY_LABELS:
                raise row.error("FamilyGroup", f"{label!r} is not a family-group label")
            kind = FAMILY_LABELS[label][0]
            if kind is not None:
                family_types[code].add(kind)
            labels.append((record, row))
        for code, kinds in family_types.items():
            if len(kinds) > 1:
                raise SourceError(
                    f"{code} uses both family-group partitions", file=DATA, field="FamilyGroup"
                )
        for code, row in information.items():
            if code not in family_types:
                # Only groups 2 and 3 in the data: the information file's grouping has to do.
                fallback = grouping_named(row["FamilyGrouping"])
                if fallback:
                    family_types[code].add(fallback)
        for record, row in labels:
            kind = next(iter(family_types.get(record.indicator, {FamilyType.NONE})))
            number_in_type = FAMILY_LABELS[row["FamilyGroup"]][1]
            records.append(
                replace(record, family_group=family_group(kind, number_in_type) if kind else "")
            )
        for code, row in information.items():
            types = family_types.get(code, set())
            self.indicators[code] = self.indicator(
                row, family_type=next(iter(types)) if types else ""
            )
        return flag_isolated_zeros(records)

    def observation(self, row: Row, *, code: str) -> WantedObservation:
        return WantedObservation(
            indicator=code,
            body=row.text("LocalAuthority", required=True),
            file=row.file,
            line=row.line,
            period=financial_period(row, "Year"),
            value=number(row, "LA_IndicatorReal"),
            numerator=number(row, "LA_Numerator_real"),
            denominator=number(row, "LA_Den_Real"),
            published_national=number(row, "Scotland_Indicator_Real"),
            published_national_numerator=number(row, "Scotland_Num_Real"),
            published_national_denominator=number(row, "Scotland_Den_Real"),
            published_group_average=number(row, "FG_Avg_Indicator_Real"),
        )

    def indicator(self, row: Row, *, family_type: str) -> WantedIndicator:
        code = row["Code"]
        ranking = row.choice("Ranking_Type", RANKING)
        polarity = RANKING.get(ranking, Polarity.CONTEXTUAL)
        # The midpoint is filled for two non-Goldilocks codes too: used only for Goldilocks.
        midpoint = (
            number(row, "Ranking_GoldilocksMidpoint") if polarity is Polarity.MIDPOINT else None
        )
        if polarity is Polarity.MIDPOINT and midpoint is None:
            raise row.error("Ranking_GoldilocksMidpoint", "a Goldilocks indicator needs a midpoint")
        measure = row.text("MeasureType", max_length=64)
        display = row["Format_Python"]
        places = PLACES.search(display)
        percent = "%" in display and code not in POINTS_NOT_FRACTIONS
        unit = "percentage points" if code in POINTS_NOT_FRACTIONS else measure
        return WantedIndicator(
            code=code,
            name=row.text("Title", required=True),
            category=row.text("ISCategory", max_length=128),
            unit=unit,
            is_percentage=measure == "Percentage",
            show_as_percent=percent,
            polarity=polarity,
            midpoint=midpoint,
            decimal_places=int(places[1]) if places else 0,
            numerator_label=row.text("Numerator_Correct"),
            denominator_label=row.text("Denominator_Correct"),
            numerator_multiplier=number(row, "Numerator_Multipier") or 1.0,
            denominator_multiplier=number(row, "Denominator_Multiplier") or 1.0,
            family_type=family_type,
            licence=LICENCE,
            source_note=row["Source"],
        )

    def resolve(self, bodies: set[str]) -> tuple[dict[str, Body], dict[str, str]]:
        councils = (
            Organisation.objects.current()
            .filter(kind=OrganisationKind.LOCAL_AUTHORITY, nation=Nation.SCOTLAND)
            .prefetch_related("names")
        )
        by_name: dict[str, int] = {}
        for council in councils:
            for name in (council.name, council.short_name, *(n.name for n in council.names.all())):
                if name:
                    by_name.setdefault(normalised(name), council.pk)
        gss = dict(
            Identifier.objects.filter(
                Q(is_current=True), scheme=IdentifierScheme.GSS, organisation__in=councils
            ).values_list("organisation_id", "value")
        )
        found: dict[str, Body] = {}
        missing: dict[str, str] = {}
        for body in bodies:
            organisation_id = by_name.get(normalised(body))
            if organisation_id is None:
                missing[body] = f"no current Scottish council in the registry is called {body!r}"
            elif organisation_id not in gss:
                missing[body] = f"{body!r} has no GSS code in the registry"
            else:
                found[body] = Body(organisation_id=organisation_id, gss=gss[organisation_id])
        return found, missing


def grouping_named(text: str) -> FamilyType | None:
    """The partition the information file names: "Environmental, Culture & Leisure, ..." is the
    rurality grouping, "Children, Social Work and Housing ..." the deprivation one."""
    lowered = text.lower()
    if "environment" in lowered or "rural" in lowered:
        return FamilyType.RURALITY
    if "children" in lowered or "depriv" in lowered:
        return FamilyType.DEPRIVATION
    return None


def normalised(name: str) -> str:
    text = " ".join(name.lower().replace("&", " and ").split())
    text = NAME_ALIASES.get(text, text)
    for suffix in (" council", " islands council"):
        text = text.removesuffix(suffix)
    return text


def flag_isolated_zeros(records: list[WantedObservation]) -> list[WantedObservation]:
    """A zero between two non-zero values of the same council's series (CLIM05 Highland 2019-20,
    0.0 between 22.3 and 25.4) is suspect; a zero at an end or in a run of zeros may be true."""
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        series[(record.indicator, record.body)].append(index)
    flagged = list(records)
    for indexes in series.values():
        ordered = sorted(indexes, key=lambda i: records[i].period.start)
        for before, here, after in zip(ordered, ordered[1:], ordered[2:], strict=False):
            if records[here].value == 0 and records[before].value and records[after].value:
                flagged[here] = replace(
                    records[here],
                    status=Status.SUSPECT,
                    status_reason="zero between two non-zero values: probably missing data",
                )
    return flagged
