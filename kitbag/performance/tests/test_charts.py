"""The SVG charts: accessible names, text that cannot break out, and marks that need no colour."""

from __future__ import annotations

import pytest

from kitbag.performance import charts
from kitbag.performance.charts import Bar, SeriesPoint, group_chart, series_chart
from kitbag.performance.statistics import Band, Polarity


def test_the_series_chart_has_a_title_a_description_and_a_key_in_words() -> None:
    svg = series_chart(
        [SeriesPoint("2016-17", 7.0, 7.5, 0.4), SeriesPoint("2017-18", 8.0, 7.6, 0.4)],
        body="Argyll & Bute",
        group="England",
        places=1,
        title="ASC1: Argyll & Bute <by period>",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "&lt;by period&gt;" in svg and "Argyll &amp; Bute" in svg
    assert "(solid line)" in svg and "median (dashed)" in svg
    assert svg.count("<rect") >= 2  # the body's points are squares, not only coloured dots


def test_the_group_chart_marks_the_chosen_body_by_outline_hatch_and_label() -> None:
    svg = group_chart(
        [Bar("A", 1.0), Bar("B", 3.0, highlighted=True), Bar("C", 2.0)],
        median=2.0,
        places=1,
        title="t",
        group="England",
    )
    assert 'fill="url(#kitbag-hatch)"' in svg and 'stroke-width="3"' in svg
    assert ">B: 3.0</text>" in svg and "Median 2.0 (dashed)" in svg


def test_nothing_to_draw_draws_nothing() -> None:
    assert group_chart([], median=None, places=1, title="t", group="g") == ""
    assert series_chart([], body="b", group="g", places=1, title="t") == ""
    assert (
        series_chart(
            [SeriesPoint("2016-17", None, None, None)], body="b", group="g", places=1, title="t"
        )
        == ""
    )


def test_the_trend_is_dotted_with_open_circles_and_targets_are_labelled_triangles() -> None:
    svg = series_chart(
        [
            SeriesPoint("2016-17", 3.0),
            SeriesPoint("2017-18", 2.0),
            SeriesPoint("2018-19", 1.0, target=1.5),
            SeriesPoint("2019-20", None, forecast=0.0, target=0.5),
        ],
        body="Betaby",
        group="",
        places=1,
        title="Trend",
    )
    assert svg.count('stroke-dasharray="2 4"') == 1  # one dotted line, from the last figure on
    assert svg.count("<circle") == 1  # one projected period
    assert svg.count(">Target</text>") == 2
    assert "a straight-line trend, not a prediction" in svg
    assert "Triangles: targets." in svg


def test_without_a_trend_or_targets_the_chart_has_no_such_key() -> None:
    svg = series_chart(
        [SeriesPoint("2016-17", 3.0), SeriesPoint("2017-18", 2.0)],
        body="b",
        group="g",
        places=1,
        title="t",
    )
    assert "<circle" not in svg and "Target" not in svg and "trend" not in svg


# The band hex map.


@pytest.mark.parametrize(
    ("band", "polarity", "category"),
    [
        (Band.SLIGHTLY_ABOVE, Polarity.HIGHER_BETTER, charts.MapCategory.SLIGHTLY_BETTER),
        (Band.SLIGHTLY_ABOVE, Polarity.LOWER_BETTER, charts.MapCategory.SLIGHTLY_WORSE),
        (Band.MUCH_BELOW, Polarity.LOWER_BETTER, charts.MapCategory.MUCH_BETTER),
        (Band.BELOW, Polarity.HIGHER_BETTER, charts.MapCategory.WORSE),
        (Band.ABOVE, Polarity.CONTEXTUAL, charts.MapCategory.BETTER),  # "higher" in the key
        (Band.EQUAL, Polarity.HIGHER_BETTER, charts.MapCategory.SIMILAR),
        (Band.MANUAL, Polarity.HIGHER_BETTER, charts.MapCategory.PERSON_WRITES),
        (Band.UNGRADED, Polarity.HIGHER_BETTER, charts.MapCategory.NO_FIGURE),
        (None, Polarity.HIGHER_BETTER, charts.MapCategory.OUTSIDE),
    ],
)
def test_a_band_maps_to_better_or_worse_by_polarity(
    band: Band | None, polarity: Polarity, category: charts.MapCategory
) -> None:
    assert charts.map_category(band, polarity) is category


def test_the_key_says_higher_and_lower_where_there_is_no_better() -> None:
    words = dict(charts.map_legend(Polarity.CONTEXTUAL))
    assert words[charts.MapCategory.BETTER].startswith("Higher than the median")
    assert dict(charts.map_legend(Polarity.LOWER_BETTER))[charts.MapCategory.WORSE].startswith(
        "Worse"
    )
    assert len({label for _c, label in charts.map_legend(Polarity.HIGHER_BETTER)}) == len(
        charts.MapCategory
    )


def test_every_category_is_a_distinct_pattern_or_fill() -> None:
    looks = {
        (charts._STYLES[c][2], charts._STYLES[c][3], charts._STYLES[c][0])
        for c in charts.MapCategory
    }
    patterns = {(kind, step) for kind, step, _fill in looks}
    assert len(looks) == len(charts.MapCategory)
    # Without colour: every category but the two plain ones has a pattern of its own.
    assert len(patterns) == len(charts.MapCategory) - 1


def test_the_hex_map_escapes_titles_and_points_to_the_table() -> None:
    svg = charts.band_hexmap(
        [
            charts.MapHex(
                points="0,0 1,0 1,1", title="<Odd> & Co: 1.0", category=charts.MapCategory.BETTER
            ),
            charts.MapHex(points="2,0 3,0 3,1", title="Plain", category=charts.MapCategory.OUTSIDE),
        ],
        width=10,
        height=5,
        title="A map",
        description="See the table.",
    )
    assert "<title>&lt;Odd&gt; &amp; Co: 1.0</title>" in svg
    assert svg.count("<pattern") == 1  # only the categories drawn
    assert 'fill="#b1b4b6"' in svg and 'role="img"' in svg
    swatch = charts.band_swatch(charts.MapCategory.SIMILAR)
    assert 'aria-hidden="true"' in swatch and "<circle" in swatch
