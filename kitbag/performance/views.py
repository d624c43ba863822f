"""Public pages of published comparative data (Oflog, LGBF), labelled evaluation only.

The indicator page reads the indicator and all its observations in two queries, then builds
every comparison, table and chart in Python, so its query count does not grow with the number of
councils or years.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from kitbag.accounts.permissions import can
from kitbag.core.page_cache import cache_public_page
from kitbag.performance import charts, queries, statistics, trend
from kitbag.performance.models import ComparisonGroup, Indicator, Observation, Source
from kitbag.performance.partnership_views import partnership_indicator_detail
from kitbag.performance.permissions import visible_indicators
from kitbag.performance.queries import Group, family_group_label
from kitbag.registry.models import Organisation, Succession
from kitbag.registry.queries import council_hexmap


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


def _group_title(
    indicator: Indicator, group: Group, key: str, custom: queries.CustomGroup | None = None
) -> str:
    if group is Group.CUSTOM and custom is not None:
        return custom.name
    if group is Group.COUNCIL_TYPE:
        return key
    if group is Group.FAMILY_GROUP:
        return family_group_label(key)
    return queries.NATION.get(indicator.source, "Nation")


CUSTOM_PREFIX = "custom:"


def _chosen_group(
    request: HttpRequest, indicator: Indicator, custom_groups: list[ComparisonGroup]
) -> tuple[Group, queries.CustomGroup | None]:
    """The comparison group asked for, or the nation when it is not one the reader may use."""
    asked = request.GET.get("group") or Group.NATION
    if asked.startswith(CUSTOM_PREFIX):
        slug = asked.removeprefix(CUSTOM_PREFIX)
        found = next((g for g in custom_groups if g.slug == slug), None)
        if found is not None:
            return Group.CUSTOM, queries.CustomGroup.of(found)
        return Group.NATION, None
    try:
        group = Group(asked)
    except ValueError:
        return Group.NATION, None
    return (group, None) if group in queries.groups_for(indicator) else (Group.NATION, None)


def _succession_notes(
    successions: list[Succession], *, with_series: set[int], link: Any
) -> dict[int, list[dict[str, str]]]:
    """Each body's links to the series it continues or that continues it, from the registry's
    succession records: "Continued by X from 2023-04-01" and "Before 2023, see Y". `link(body)`
    is where a body's series is: this indicator's page for it when it has figures here."""
    notes: dict[int, list[dict[str, str]]] = defaultdict(list)
    for succession in successions:
        before, after = succession.predecessor, succession.successor
        when = succession.date
        notes[before.pk].append(
            {
                "text": (
                    f"Continued by {after.display_name} from {when.isoformat()}"
                    if when
                    else f"Continued by {after.display_name}"
                ),
                "name": after.display_name,
                "url": link(after),
                "has_series": "yes" if after.pk in with_series else "",
            }
        )
        notes[after.pk].append(
            {
                "text": (
                    f"Before {when.year}, see {before.display_name}"
                    if when
                    else f"Before it, see {before.display_name}"
                ),
                "name": before.display_name,
                "url": link(before),
                "has_series": "yes" if before.pk in with_series else "",
            }
        )
    return notes


def _band_map(
    indicator: Indicator,
    current: list[queries.Compared],
    members: list[queries.Compared],
    *,
    title: str,
    period: str,
    successions: list[Succession],
) -> dict[str, Any] | None:
    """The hex map of councils in the period, each coloured by its band within the chosen group;
    a district takes its county's figure, a new council its predecessor's when it has none."""
    drawing = council_hexmap()
    if drawing is None:
        return None
    places = queries.map_places()
    polarity = statistics.Polarity(indicator.polarity)
    in_group = {c.observation.pk for c in members}
    by_body = {c.observation.organisation_id: c for c in current}
    predecessors: dict[int, list[int]] = defaultdict(list)
    for succession in successions:
        predecessors[succession.successor_id].append(succession.predecessor_id)
    hexes: list[charts.MapHex] = []
    counts: dict[charts.MapCategory, int] = defaultdict(int)
    for placed in drawing.hexes:
        council_id = places.council_by_gss.get(placed.hex.key)
        compared, via = None, ""
        if council_id is not None:
            compared = by_body.get(council_id)
            if compared is None and council_id in places.county_of:
                compared = by_body.get(places.county_of[council_id])
                via = "county"
            if compared is None:
                compared = next(
                    (by_body[p] for p in predecessors.get(council_id, []) if p in by_body), None
                )
                via = "predecessor" if compared else ""
        if compared is None or compared.observation.pk not in in_group:
            category = charts.MapCategory.OUTSIDE
            text = (
                f"{placed.hex.name}: not in {title}"
                if compared
                else f"{placed.hex.name}: no figure"
            )
        else:
            category = (
                charts.MapCategory.NO_FIGURE
                if compared.value is None
                else charts.map_category(compared.band, polarity)
            )
            body = compared.observation.body.display_name
            said = (
                "beyond 7.5 MADs, a person writes the text"
                if compared.wording.needs_person
                else compared.wording.text
            )
            value = format_value(indicator, compared.value) or "no figure"
            source = {"county": f" (the figure of {body})", "predecessor": f" ({body}'s figure)"}
            text = f"{placed.hex.name}{source.get(via, '')}: {value}, {said}"
        counts[category] += 1
        hexes.append(charts.MapHex(points=placed.points, title=text, category=category))
    svg = charts.band_hexmap(
        hexes,
        width=drawing.width,
        height=drawing.height,
        title=f"{indicator.name}, {period}: councils by band within {title}",
        description=(
            "Each council is one hexagon, filled with a colour and a pattern for its band; each "
            "hexagon's title gives its value and band in words. A district shows its county's "
            "figure. The table of every council in the group below says the same."
        ),
    )
    return {
        "svg": mark_safe(svg),  # noqa: S308 (built by charts.py, every text escaped)
        "legend": [
            {
                "swatch": mark_safe(charts.band_swatch(category)),  # noqa: S308 (no user text)
                "label": label,
                "count": counts.get(category, 0),
            }
            for category, label in charts.map_legend(polarity)
        ],
    }


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
    # The groups the reader may choose; only a chosen group's councils are read (one query).
    custom_groups = list(queries.comparison_groups(request.user))
    group, custom = _chosen_group(request, indicator, custom_groups)
    bodies = sorted(
        {(o.body.slug, o.body.display_name) for o in observations},
        key=lambda pair: pair[1],
    )
    chosen_slug = request.GET.get("organisation", "")
    chosen = next((o for o in by_period[period] if o.body.slug == chosen_slug), None)
    chosen_name = dict(bodies).get(chosen_slug, "")

    # Every period compared within the chosen group, for the series and the group table.
    compared_by_period = {
        label: queries.compare_period(indicator, rows, group=group, custom=custom)
        for label, rows in by_period.items()
    }
    current = compared_by_period[period]
    key_of = queries.key_for(group, custom)
    if group is Group.CUSTOM:
        group_key = queries.IN_CUSTOM_GROUP
    elif chosen:
        group_key = key_of(chosen)
    elif group is not Group.NATION:
        group_key = key_of(by_period[period][0])
    else:
        group_key = ""
    members = [c for c in current if key_of(c.observation) == group_key]
    members.sort(key=lambda c: (c.rank is None, c.rank or 0, c.observation.body.name))
    title = _group_title(indicator, group, group_key, custom)
    group_value = f"{CUSTOM_PREFIX}{custom.slug}" if custom else group.value
    median = members[0].median if members else None
    highlighted = next((c for c in members if chosen and c.observation.pk == chosen.pk), None)

    with_series = {o.organisation_id for o in observations if o.organisation_id}
    successions = queries.successions_of(with_series)
    page_url = reverse("performance:indicator_detail", args=[indicator.slug])

    def series_link(body: Organisation) -> str:
        if body.pk in with_series:
            return (
                f"{page_url}?{urlencode({'organisation': body.slug, 'group': group_value})}#series"
            )
        return body.get_absolute_url()

    notes = _succession_notes(successions, with_series=with_series, link=series_link)

    rows = [
        {
            "compared": c,
            "name": c.observation.body.display_name,
            "value": format_value(indicator, c.value),
            "d": "" if c.d is None else f"{c.d:+.2f}",
            "highlighted": highlighted is not None and c is highlighted,
            "succession": notes.get(c.observation.body.pk, []),
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
    chosen_body = next((o.body for o in observations if o.body.slug == chosen_slug), None)
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
            group=title,
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
            "groups": [
                *(
                    (g.value, g.name.replace("_", " ").capitalize())
                    for g in queries.groups_for(indicator)
                ),
                *((f"{CUSTOM_PREFIX}{g.slug}", f"{g.name} (custom group)") for g in custom_groups),
            ],
            "group": group_value,
            "group_title": title,
            "custom_group": custom,
            "may_define_group": can(request.user, "create_comparison_group"),
            "bodies": bodies,
            "chosen_slug": chosen_slug,
            "chosen_name": chosen_name,
            "chosen_succession": notes.get(chosen_body.pk, []) if chosen_body else [],
            "highlighted": highlighted,
            # A chosen council with a figure that is not a member of the chosen custom group.
            "chosen_outside": chosen is not None and highlighted is None,
            "highlighted_value": format_value(indicator, highlighted.value) if highlighted else "",
            "median": format_value(indicator, median),
            "rows": rows,
            "group_svg": mark_safe(group_svg),  # noqa: S308 (built by charts.py, every text escaped)
            "band_map": _band_map(
                indicator,
                current,
                members,
                title=title,
                period=period,
                successions=successions,
            ),
            "series": series,
            "too_few_for_trend": bool(series) and not any(row.get("forecast") for row in series),
            "trend_caveat": trend.TREND_CAVEAT,
            "too_few_text": trend.TOO_FEW_POINTS,
            # An evaluation-only source's figures are not offered as a file (the page says why).
            "csv_url": ""
            if indicator.is_evaluation_only
            else reverse("performance:observations_csv", args=[indicator.slug]),
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
    successions = queries.successions_of([organisation.pk])

    def series_of(indicator: Indicator) -> Any:
        def link(body: Organisation) -> str:
            page = reverse("performance:indicator_detail", args=[indicator.slug])
            return f"{page}?{urlencode({'organisation': body.slug})}#series"

        return link

    return {
        "figures": [
            {
                "indicator": c.observation.indicator,
                "period": c.observation.period_label,
                "value": format_value(c.observation.indicator, c.value),
                "wording": c.wording,
                "suspect": c.observation.status == "suspect",
                # The same series carried on by a successor, or begun by a predecessor.
                "succession": _succession_notes(
                    successions,
                    with_series=set(),
                    link=series_of(c.observation.indicator),
                ).get(organisation.pk, []),
            }
            for c in latest
        ],
        "organisation": organisation,
    }
