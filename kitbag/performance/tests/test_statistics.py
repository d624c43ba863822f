"""Every statistic on small hand-made groups whose answers can be worked out on paper."""

from __future__ import annotations

import math

import pytest

from kitbag.performance.statistics import (
    Band,
    Polarity,
    band_of,
    change,
    compare,
    mad,
    mads_from_median,
    mean,
    median,
    ranks,
    ratio_of_sums,
    wording,
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([3.0, 1.0, 2.0], 2.0),  # odd count: the middle value
        ([4.0, 1.0, 3.0, 2.0], 2.5),  # even count: the mean of the middle two
        ([74.5, 75.0], 74.75),  # as Oflog's ASC5 2015-16 median
        ([1.0, None, 3.0, float("nan")], 2.0),  # missing values are left out, not zero
        ([None], None),
        ([], None),
    ],
)
def test_median(values: list[float | None], expected: float | None) -> None:
    assert median(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 2.0, 3.0, 4.0, 100.0], 1.0),  # deviations 2,1,0,1,98: raw, no 1.4826
        ([7.6, 7.6, 7.6, 7.9, 7.3], 0.0),  # more than half on the median: zero MAD
        ([1.0, 2.0, 3.0, 4.0], 1.0),  # even: median 2.5, deviations 1.5,.5,.5,1.5
        ([None, 5.0], 0.0),
        ([], None),
    ],
)
def test_raw_mad(values: list[float | None], expected: float | None) -> None:
    assert mad(values) == expected


def test_mads_from_median_keeps_the_raw_direction_and_refuses_a_zero_mad() -> None:
    assert mads_from_median(7.7, median=7.6, mad=0.3) == pytest.approx(0.3333333333)
    assert mads_from_median(7.0, median=8.0, mad=0.5) == -2.0
    assert mads_from_median(7.0, median=7.0, mad=0.0) is None
    assert mads_from_median(None, median=7.0, mad=1.0) is None


@pytest.mark.parametrize(
    ("d", "band"),
    [
        (0.0, Band.SIMILAR),
        (-0.5, Band.SIMILAR),  # lower-inclusive
        (0.5, Band.SLIGHTLY_ABOVE),  # upper-exclusive
        (0.4999, Band.SIMILAR),
        (-0.5001, Band.SLIGHTLY_BELOW),
        (1.5, Band.ABOVE),
        (-1.5, Band.SLIGHTLY_BELOW),
        (-1.5001, Band.BELOW),
        (3.0, Band.MUCH_ABOVE),
        (-3.0, Band.BELOW),
        (7.4999, Band.MUCH_ABOVE),
        (7.5, Band.MANUAL),
        (-7.5, Band.MUCH_BELOW),
        (-7.5001, Band.MANUAL),
        (-23.8, Band.MANUAL),  # the ASC2 2019-20 zeros
    ],
)
def test_bands_are_lower_inclusive_and_upper_exclusive(d: float, band: Band) -> None:
    assert band_of(d) is band


def test_without_a_distance_a_value_on_the_median_is_equal_and_any_other_ungraded() -> None:
    assert band_of(None, value=7.6, median=7.6) is Band.EQUAL
    assert band_of(None, value=7.9, median=7.6) is Band.UNGRADED
    assert band_of(None) is Band.UNGRADED


@pytest.mark.parametrize(
    ("band", "polarity", "text"),
    [
        (Band.SLIGHTLY_ABOVE, Polarity.HIGHER_BETTER, "slightly better than the England median"),
        (Band.SLIGHTLY_ABOVE, Polarity.LOWER_BETTER, "slightly worse than the England median"),
        (Band.BELOW, Polarity.HIGHER_BETTER, "worse than the England median"),
        (Band.MUCH_BELOW, Polarity.LOWER_BETTER, "much better than the England median"),
        (Band.ABOVE, Polarity.CONTEXTUAL, "higher than the England median"),
        (Band.SLIGHTLY_BELOW, Polarity.CONTEXTUAL, "slightly lower than the England median"),
        (Band.SIMILAR, Polarity.HIGHER_BETTER, "broadly similar to the England median"),
        (Band.EQUAL, Polarity.HIGHER_BETTER, "equal to the England median"),
    ],
)
def test_wording_follows_polarity(band: Band, polarity: Polarity, text: str) -> None:
    said = wording(band, polarity=polarity, comparator="the England median")
    assert said.text == text
    assert not said.needs_person


def test_beyond_seven_and_a_half_mads_a_person_writes_the_text() -> None:
    said = wording(Band.MANUAL, polarity=Polarity.HIGHER_BETTER, comparator="the England median")
    assert said.needs_person and said.text == ""


def test_a_metric_may_use_its_own_words_for_better_and_worse() -> None:
    said = wording(
        Band.ABOVE,
        polarity=Polarity.HIGHER_BETTER,
        comparator="the England median",
        better="easier to find information",
        worse="harder to find information",
    )
    assert said.text == "easier to find information than the England median"


def test_compare_puts_it_together() -> None:
    group = [1.0, 2.0, 3.0, 4.0, 100.0, None]
    result = compare(5.0, group, polarity=Polarity.LOWER_BETTER, comparator="the group median")
    assert (result.median, result.mad, result.d) == (3.0, 1.0, 2.0)
    assert result.band is Band.ABOVE
    assert result.wording.text == "worse than the group median"
    assert (
        compare(None, group, polarity=Polarity.LOWER_BETTER, comparator="x").band is Band.UNGRADED
    )


def test_compare_can_take_the_national_mad_as_its_scale() -> None:
    result = compare(
        4.0, [1.0, 2.0, 3.0], polarity=Polarity.HIGHER_BETTER, comparator="x", scale_mad=0.5
    )
    assert result.d == 4.0 and result.band is Band.MUCH_ABOVE


def test_family_group_average_is_unweighted_over_the_values_present() -> None:
    assert mean([1.0, 2.0, None, 6.0]) == 3.0
    assert mean([None]) is None


def test_scotland_figure_is_a_ratio_of_sums_with_the_multipliers() -> None:
    # Two councils: 10/100 and 90/100; the mean of ratios would be 0.5, the ratio of sums 0.5 too,
    # so use unequal denominators: 10/100 and 90/300 -> 100/400 = 0.25 (mean of ratios 0.2).
    pairs = [(10.0, 100.0), (90.0, 300.0), (None, 50.0)]
    assert ratio_of_sums(pairs) == 0.25
    assert ratio_of_sums(
        pairs, numerator_multiplier=1000, denominator_multiplier=0.001
    ) == pytest.approx(250000.0)
    assert ratio_of_sums([(1.0, 0.0)]) is None
    assert ratio_of_sums([]) is None


def test_ranks_put_the_best_first_and_ties_share_the_lowest_rank() -> None:
    values = {"a": 3.0, "b": 5.0, "c": 5.0, "d": 1.0, "e": None}
    assert ranks(values, polarity=Polarity.HIGHER_BETTER) == {
        "b": 1,
        "c": 1,
        "a": 3,
        "d": 4,
        "e": None,
    }
    assert ranks(values, polarity=Polarity.LOWER_BETTER) == {
        "d": 1,
        "a": 2,
        "b": 3,
        "c": 3,
        "e": None,
    }
    assert ranks(values, polarity=Polarity.CONTEXTUAL) == dict.fromkeys(values)


def test_goldilocks_ranks_by_distance_from_the_midpoint() -> None:
    values = {"a": 0.45, "b": 0.5, "c": 0.58, "d": 0.55}
    assert ranks(values, polarity=Polarity.MIDPOINT, midpoint=0.5) == {
        "b": 1,
        "a": 2,
        "d": 2,
        "c": 4,
    }
    with pytest.raises(ValueError, match="midpoint"):
        ranks(values, polarity=Polarity.MIDPOINT)


def test_change_is_positive_when_things_improve() -> None:
    assert change(100.0, 110.0, polarity=Polarity.HIGHER_BETTER) == pytest.approx(0.1)
    assert change(100.0, 110.0, polarity=Polarity.LOWER_BETTER) == pytest.approx(-0.1)
    # A percentage changes in points, so a small base does not blow it up.
    assert change(0.02, 0.05, polarity=Polarity.HIGHER_BETTER, percentage=True) == pytest.approx(
        0.03
    )
    # Goldilocks: the share of the distance to the midpoint that was closed.
    assert change(0.3, 0.4, polarity=Polarity.MIDPOINT, midpoint=0.5) == pytest.approx(0.5)
    assert change(0.4, 0.7, polarity=Polarity.MIDPOINT, midpoint=0.5) == pytest.approx(-1.0)
    assert change(0.5, 0.6, polarity=Polarity.MIDPOINT, midpoint=0.5) is None
    assert change(None, 1.0, polarity=Polarity.HIGHER_BETTER) is None
    assert change(0.0, 1.0, polarity=Polarity.HIGHER_BETTER) is None
    assert change(1.0, 2.0, polarity=Polarity.CONTEXTUAL) is None
    assert math.isclose(change(-10.0, -5.0, polarity=Polarity.HIGHER_BETTER) or 0, 0.5)
