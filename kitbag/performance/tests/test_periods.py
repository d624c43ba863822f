from __future__ import annotations

import datetime as dt

import pytest

from kitbag.performance.periods import PeriodError, parse_period

READ = [
    ("2016-17", "2016-04-01/P1Y", "2016-17", dt.date(2016, 4, 1), dt.date(2017, 3, 31)),
    ("2016/17", "2016-04-01/P1Y", "2016-17", dt.date(2016, 4, 1), dt.date(2017, 3, 31)),
    ("1999-00", "1999-04-01/P1Y", "1999-00", dt.date(1999, 4, 1), dt.date(2000, 3, 31)),
    ("2012-15", "2012-04-01/P3Y", "2012-15", dt.date(2012, 4, 1), dt.date(2015, 3, 31)),
    ("2019", "2019-01-01/P1Y", "2019", dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    ("2016-04-01/P2Y", "2016-04-01/P2Y", "2016-18", dt.date(2016, 4, 1), dt.date(2018, 3, 31)),
    (
        "2023-01-01/P3M",
        "2023-01-01/P3M",
        "2023-01-01/P3M",
        dt.date(2023, 1, 1),
        dt.date(2023, 3, 31),
    ),
    (
        "2023-04-01/2024-03-31",
        "2023-04-01/2024-03-31",
        "2023-24",
        dt.date(2023, 4, 1),
        dt.date(2024, 3, 31),
    ),
    (
        "2023-01-15/2023-02-10",
        "2023-01-15/2023-02-10",
        "2023-01/2023-02",
        dt.date(2023, 1, 15),
        dt.date(2023, 2, 10),
    ),
]


@pytest.mark.parametrize(("text", "iso", "label", "start", "end"), READ, ids=[r[0] for r in READ])
def test_periods_are_read_as_iso_intervals(
    text: str, iso: str, label: str, start: dt.date, end: dt.date
) -> None:
    period = parse_period(text)
    assert (period.iso, period.label, period.start, period.end) == (iso, label, start, end)
    assert len(period.label) <= 16


REFUSED = [
    "",
    "17",
    "2016-1",
    "2001-15",
    "2016-13-01/P1Y",
    "2016-04-01/P",
    "2016-04-01/P0Y",
    "2016-04-01/2015-01-01",
    "last year",
]


@pytest.mark.parametrize("text", REFUSED, ids=[f"refused-{n}" for n in range(len(REFUSED))])
def test_what_is_not_a_period_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert str(raised.value)
