"""The observation export: every imported figure with Kitbag's comparison beside the source's.

The first twelve columns are the contract of `kitbag export-observations` (issue 20); the rest add
what a reader needs to check a figure: the interval, the status, the wording, the rank and the
publisher's own figures with the file and row they came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Final

from kitbag.performance.models import Indicator, Observation
from kitbag.performance.queries import Group, compare_all, observations_for_export

CONTRACT_COLUMNS: Final = (
    "indicator",
    "period",
    "organisation",
    "gss",
    "value",
    "median",
    "mad",
    "mads_from_median",
    "band",
    "family_group",
    "family_group_average",
    "national_value",
)
COLUMNS: Final = (
    *CONTRACT_COLUMNS,
    "period_interval",
    "status",
    "status_reason",
    "wording",
    "needs_written_text",
    "rank_in_nation",
    "national_method",
    "published_median",
    "published_mads_from_median",
    "published_family_group_average",
    "published_national_value",
    "source_file",
    "source_row",
)


def export_rows(*, source: str) -> Iterator[dict[str, object]]:
    """One row per imported observation, grouped by indicator (one query in all)."""
    by_indicator: dict[int, list[Observation]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for observation in observations_for_export(source=source):
        by_indicator[observation.indicator_id].append(observation)
        indicators[observation.indicator_id] = observation.indicator
    for indicator_id, observations in by_indicator.items():
        indicator = indicators[indicator_id]
        for compared in compare_all(indicator, observations, group=Group.NATION):
            o = compared.observation
            yield {
                "indicator": indicator.code,
                "period": o.period_label,
                "organisation": o.body.code,
                "gss": o.gss,
                "value": o.value,
                "median": compared.median,
                "mad": compared.mad,
                "mads_from_median": compared.d,
                "band": compared.band.value if o.value is not None else "",
                "family_group": o.family_group,
                "family_group_average": compared.family_group_average if o.family_group else None,
                "national_value": compared.national_value,
                "period_interval": o.period,
                "status": o.status,
                "status_reason": o.status_reason,
                "wording": compared.wording.text if o.value is not None else "",
                "needs_written_text": compared.wording.needs_person,
                "rank_in_nation": compared.rank,
                "national_method": compared.national_method,
                "published_median": o.published_median,
                "published_mads_from_median": o.published_mads,
                "published_family_group_average": o.published_group_average,
                "published_national_value": o.published_national,
                "source_file": o.source_file,
                "source_row": o.source_row,
            }
