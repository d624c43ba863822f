"""Public pages of published comparative data (Oflog, LGBF), labelled evaluation only.

The indicator page reads the indicator and all its observations in two queries, then builds
every comparison, table and chart in Python, so its query count does not grow with the number of
councils or years.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from kitbag.core.page_cache import cache_public_page
from kitbag.performance import charts, queries, statistics, trend
from kitbag.performance.models import Indicator, Observation, Source
from kitbag.performance.partnership_views import partnership_indicator_detail
from kitbag.performance.permissions import visible_indicators
from kitbag.performance.queries import Group, family_group_label


@require_safe
@cache_public_page
def indicator_list(request: HttpRequest) -> HttpResponse:
    found = list(queries.indicators(request.user).order_by("source", "code"))
    by_source = [
        (label, [i for i in found if i.source == value]) for value, label in Source.choices
    ]
    return render(
        request,
        "performance/indicator_list.html",
        {"sources": [(label, items) for label, items in by_source if items]},
    )


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return ""
    if indicator.show_as_percent:
        return f"{value * 100:,.{indicator.decimal_places}f}%"
    return f"{value:,.{indicator.decimal_places}f}"


def change_text(indicator: Indicator, previous: float | None, current: float | None) -> str:
    """Change since the body's previous figure, said as better or worse (statistics.change):
    in points for a percentage, as a share of the previous value otherwise."""
    polarity = statistics.Polarity(indicator.polarity)
    if polarity is statistics.Polarity.CONTEXTUAL:
        return ""
    change = statistics.change(
        previous,
        current,
        polarity=polarity,
        percentage=indicator.is_percentage,
        midpoint=indicator.midpoint,
    )
    if change is None:
        return ""
    if change == 0:
        return "No change"
    word = "Better" if change > 0 else "Worse"
    if polarity is statistics.Polarity.MIDPOINT:
        return f"{word}: {abs(change):.0%} of the distance from the midpoint"
    if indicator.is_percentage:
        points = abs(change) * (100 if indicator.show_as_percent else 1)
        return f"{word} by {points:.{indicator.decimal_places}f} points"
    return f"{word} by {abs(change):.1%}"


def _group_key(group: Group, observation: Observation) -> str:
    if group is Group.COUNCIL_TYPE:
        return observation.council_type
    if group is Group.FAMILY_GROUP:
        return observation.family_group
    return ""


def _group_title(indicator: Indicator, group: Group, key: str) -> str:
    if group is Group.COUNCIL_TYPE:
        return key
    if group is Group.FAMILY_GROUP:
        return family_group_label(key)
    return queries.NATION.get(indicator.source, "Nation")


@require_safe
@cache_public_page
def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = visible_indicators(request.user).filter(slug=slug).first()
    if indicator is None:
        raise Http404("No such indicator")
    if indicator.partnership_id is not None:
        return partnership_indicator_detail(request, indicator)
    observations = list(queries.observations_of(indicator, request.user))
    by_period: dict[str, list[Observation]] = defaultdict(list)
    for observation in observations:
        by_period[observation.period_label].append(observation)
    periods = list(by_period)  # oldest first: the query orders by period start
    if not periods:
        return render(request, "performance/indicator_detail.html", {"indicator": indicator})
    period = request.GET.get("period") or periods[-1]
    if period not in by_period:
        period = periods[-1]
    groups = queries.groups_for(indicator)
    try:
        group = Group(request.GET.get("group") or Group.NATION)
    except ValueError:
        group = Group.NATION
    if group not in groups:
        group = Group.NATION
    bodies = sorted(
        {(o.body.slug, o.body.display_name) for o in observations},
        key=lambda pair: pair[1],
    )
    chosen_slug = request.GET.get("organisation", "")
    chosen = next((o for o in by_period[period] if o.body.slug == chosen_slug), None)
    chosen_name = dict(bodies).get(chosen_slug, "")

    # Every period compared within the chosen group, for the series and the group table.
    compared_by_period = {
        label: queries.compare_period(indicator, rows, group=group)
        for label, rows in by_period.items()
    }
    current = compared_by_period[period]
    group_key = _group_key(group, chosen) if chosen else ""
    if group is not Group.NATION and not chosen:
        group_key = _group_key(group, by_period[period][0])
    members = [c for c in current if _group_key(group, c.observation) == group_key]
    members.sort(key=lambda c: (c.rank is None, c.rank or 0, c.observation.body.name))
    title = _group_title(indicator, group, group_key)
    median = members[0].median if members else None
    highlighted = next((c for c in members if chosen and c.observation.pk == chosen.pk), None)

    rows = [
        {
            "compared": c,
            "name": c.observation.body.display_name,
            "value": format_value(indicator, c.value),
            "d": "" if c.d is None else f"{c.d:+.2f}",
            "highlighted": highlighted is not None and c is highlighted,
        }
        for c in members
    ]
    group_svg = charts.group_chart(
        [
            charts.Bar(
                label=c.observation.body.display_name,
                value=c.value * (100 if indicator.show_as_percent else 1),
                highlighted=c is highlighted,
            )
            for c in members
            if c.value is not None
        ],
        median=None if median is None else median * (100 if indicator.show_as_percent else 1),
        places=indicator.decimal_places,
        title=f"{indicator.name}, {period}: {title}",
        group=title,
    )
    series: list[dict[str, Any]] = []
    series_svg = ""
    if chosen_slug:
        scale = 100 if indicator.show_as_percent else 1
        points = []
        starts = []
        previous: float | None = None
        for label in periods:
            own = next(
                (c for c in compared_by_period[label] if c.observation.body.slug == chosen_slug),
                None,
            )
            if own is None:
                continue
            series.append(
                {
                    "change": change_text(indicator, previous, own.value),
                    "period": label,
                    "value": format_value(indicator, own.value),
                    "median": format_value(indicator, own.median),
                    "wording": own.wording,
                    "status": own.observation.get_status_display(),
                    "suspect": own.observation.status == "suspect",
                }
            )
            previous = own.value
            starts.append((own.observation.period_start, own.value))
            points.append(
                charts.SeriesPoint(
                    label=label,
                    value=None if own.value is None else own.value * scale,
                    median=None if own.median is None else own.median * scale,
                    mad=None if own.mad is None else own.mad * scale,
                )
            )
        # The straight-line trend past the last figure (turn the curve), in the table too.
        step = trend.period_step([start for start, _ in starts])
        projected = trend.forecast(starts)
        for p in projected:
            label = trend.label_for(p.start, step)
            series.append(
                {"period": label, "forecast": True, "value": format_value(indicator, p.value)}
            )
            points.append(charts.SeriesPoint(label=label, value=None, forecast=p.value * scale))
        series_svg = charts.series_chart(
            points,
            body=chosen_name,
            group=_group_title(indicator, group, group_key) if chosen else title,
            places=indicator.decimal_places,
            title=f"{indicator.name}: {chosen_name} by period",
        )
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "figures": _kitbag_and_published(indicator, group, members, current),
            "periods": periods[::-1],
            "period": period,
            "groups": [(g.value, g.name.replace("_", " ").capitalize()) for g in groups],
            "group": group.value,
            "group_title": title,
            "bodies": bodies,
            "chosen_slug": chosen_slug,
            "chosen_name": chosen_name,
            "highlighted": highlighted,
            "highlighted_value": format_value(indicator, highlighted.value) if highlighted else "",
            "median": format_value(indicator, median),
            "rows": rows,
            "group_svg": mark_safe(group_svg),  # noqa: S308 (built by charts.py, every text escaped)
            "series": series,
            "too_few_for_trend": bool(series) and not any(row.get("forecast") for row in series),
            "trend_caveat": trend.TREND_CAVEAT,
            "too_few_text": trend.TOO_FEW_POINTS,
            "csv_url": reverse("performance:observations_csv", args=[indicator.slug]),
            "csvw_url": reverse("performance:observations_csvw", args=[indicator.slug]),
            "series_svg": mark_safe(series_svg),  # noqa: S308 (built by charts.py, every text escaped)
        },
    )


def _differs(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours is not theirs
    return abs(ours - theirs) > 5e-5 + 1e-6 * abs(theirs)


def _kitbag_and_published(
    indicator: Indicator,
    group: Group,
    members: list[queries.Compared],
    current: list[queries.Compared],
) -> list[dict[str, Any]]:
    """The group's figures as Kitbag computes them beside the publisher's, with where the
    publisher's came from, so a difference is shown and said."""
    figures: list[dict[str, Any]] = []
    if not members:
        return figures
    first = members[0]
    if indicator.source == Source.OFLOG and group is Group.NATION:
        figures.append(
            {
                "label": "England median",
                "ours": format_value(indicator, first.median),
                "theirs": format_value(indicator, first.observation.published_median),
                "method": "median of the values, suspect ones left out",
                "where": f"{first.observation.source_file}, line {first.observation.source_row}",
                "differs": _differs(first.median, first.observation.published_median),
            }
        )
    if group is Group.FAMILY_GROUP:
        figures.append(
            {
                "label": f"{family_group_label(first.observation.family_group)} average",
                "ours": format_value(indicator, first.family_group_average),
                "theirs": format_value(indicator, first.observation.published_group_average),
                "method": "unweighted mean of the members' values",
                "where": f"{first.observation.source_file}, line {first.observation.source_row}",
                "differs": _differs(
                    first.family_group_average, first.observation.published_group_average
                ),
            }
        )
    if indicator.source == Source.LGBF and current:
        national = current[0]
        figures.append(
            {
                "label": "Scotland",
                "ours": format_value(indicator, national.national_value),
                "theirs": format_value(indicator, national.observation.published_national),
                "method": national.national_method,
                "where": f"{national.observation.source_file}, line {national.observation.source_row}",
                "differs": _differs(
                    national.national_value, national.observation.published_national
                ),
            }
        )
    return figures


def organisation_section(request: HttpRequest | None, organisation: Any) -> dict[str, Any] | None:
    """The latest figure of each indicator for the organisation page (core/page_sections.py)."""
    latest = queries.latest_for_organisation(organisation)
    if not latest:
        return None
    return {
        "figures": [
            {
                "indicator": c.observation.indicator,
                "period": c.observation.period_label,
                "value": format_value(c.observation.indicator, c.value),
                "wording": c.wording,
                "suspect": c.observation.status == "suspect",
            }
            for c in latest
        ],
        "organisation": organisation,
    }
