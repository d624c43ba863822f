import datetime as dt

import pytest

from kitbag.performance.trend import forecast, label_for, least_squares, period_step


def years(*values, first=2016):
    return [(dt.date(first + i, 4, 1), v) for i, v in enumerate(values)]


def test_a_flat_series_stays_flat():
    projected = forecast(years(5.0, 5.0, 5.0, 5.0))
    assert [p.value for p in projected] == pytest.approx([5.0, 5.0, 5.0])
    assert [p.start for p in projected] == [
        dt.date(2020, 4, 1),
        dt.date(2021, 4, 1),
        dt.date(2022, 4, 1),
    ]


def test_a_rising_series_rises_by_its_slope():
    projected = forecast(years(1.0, 2.0, 3.0))
    assert [p.value for p in projected] == pytest.approx([4.0, 5.0, 6.0])


def test_a_falling_series_falls():
    projected = forecast(years(10.0, 8.0, 6.0, 4.0), ahead=2)
    assert [p.value for p in projected] == pytest.approx([2.0, 0.0])


def test_least_squares_through_scattered_points():
    # Worked by hand: x 0..3, y 1, 3, 2, 4: slope 0.8, intercept 1.3.
    line = least_squares([(0, 1), (1, 3), (2, 2), (3, 4)])
    assert line is not None
    assert line.slope == pytest.approx(0.8)
    assert line.intercept == pytest.approx(1.3)


def test_a_missing_year_is_a_gap_not_a_longer_period():
    series = [(dt.date(2016, 4, 1), 1.0), (dt.date(2017, 4, 1), 2.0), (dt.date(2019, 4, 1), 4.0)]
    projected = forecast(series, ahead=1)
    assert projected[0].start == dt.date(2020, 4, 1)
    assert projected[0].value == pytest.approx(5.0)


def test_a_period_without_a_value_is_left_out_of_the_fit():
    projected = forecast(years(1.0, None, 3.0, 4.0), ahead=1)
    assert projected[0].value == pytest.approx(5.0)


@pytest.mark.parametrize(
    "series",
    [[], years(1.0), years(1.0, 2.0), years(1.0, None, 2.0)],
    ids=["none", "one", "two", "two-with-a-gap"],
)
def test_fewer_than_three_values_give_no_forecast(series):
    assert forecast(series) == []


def test_quarters_step_by_three_months():
    series = [(dt.date(2020, m, 1), float(i)) for i, m in enumerate((1, 4, 7, 10))]
    projected = forecast(series, ahead=2)
    assert [p.start for p in projected] == [dt.date(2021, 1, 1), dt.date(2021, 4, 1)]
    assert [p.value for p in projected] == pytest.approx([4.0, 5.0])
    assert period_step([s for s, _ in series]) == 3


def test_labels_follow_the_series():
    assert label_for(dt.date(2024, 4, 1), 12) == "2024-25"
    assert label_for(dt.date(2024, 1, 1), 12) == "2024"
    assert label_for(dt.date(2024, 7, 1), 3) == "2024-07"
