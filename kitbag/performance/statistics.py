"""The comparisons Oflog and the LGBF publish, computed the way they compute them. No Django here.

Oflog (England, adult social care): the group median, the raw MAD (consistency constant 1, not
1.4826) and each body's distance from the median in MADs, graded into Oflog's bands and worded by
polarity. LGBF (Scotland): the unweighted family-group average, the Scotland figure as a ratio of
sums, ranks within a group (1 best, ties share the lowest rank) and change adjusted for polarity.
docs/reference/performance-statistics.md in the shared docs gives the definitions and how they were
checked against the published files.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final, TypeVar

K = TypeVar("K", bound=Hashable)


class Polarity(enum.StrEnum):
    HIGHER_BETTER = "higher"
    LOWER_BETTER = "lower"
    MIDPOINT = "midpoint"  # LGBF "Goldilocks": closest to a midpoint is best
    CONTEXTUAL = "none"  # no better or worse (Oflog ASC6 and ASC7)


def present(values: Iterable[float | None]) -> list[float]:
    """The values that are there: a missing value is left out, never read as zero."""
    return [v for v in values if v is not None and not math.isnan(v)]


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present (the mean of the middle two when their count is even)."""
    kept = present(values)
    return statistics.median(kept) if kept else None


def mad(values: Iterable[float | None], *, centre: float | None = None) -> float | None:
    """The raw median absolute deviation from `centre` (default: the values' median), as Oflog
    publishes it: no 1.4826 scaling."""
    kept = present(values)
    if not kept:
        return None
    middle = statistics.median(kept) if centre is None else centre
    return statistics.median(abs(v - middle) for v in kept)


def mads_from_median(
    value: float | None, *, median: float | None, mad: float | None
) -> float | None:
    """(value − median) / MAD in the raw direction (not polarity); None when any is missing or the
    MAD is zero (more than half the group share one value, so the scale says nothing)."""
    if value is None or median is None or mad is None or mad == 0:
        return None
    return (value - median) / mad


class Band(enum.StrEnum):
    """Oflog's bands on the raw D, each lower-inclusive and upper-exclusive."""

    SIMILAR = "similar"  # [-0.5, 0.5)
    SLIGHTLY_ABOVE = "slightly-above"  # [0.5, 1.5)
    SLIGHTLY_BELOW = "slightly-below"  # [-1.5, -0.5)
    ABOVE = "above"  # [1.5, 3)
    BELOW = "below"  # [-3, -1.5)
    MUCH_ABOVE = "much-above"  # [3, 7.5)
    MUCH_BELOW = "much-below"  # [-7.5, -3)
    MANUAL = "manual"  # >= 7.5 or < -7.5: a person writes the text
    EQUAL = "equal"  # MAD zero and the value on the median
    UNGRADED = "ungraded"  # MAD zero and the value off it, or nothing to compare


MANUAL_LIMIT: Final = 7.5


def band_of(d: float | None, *, value: float | None = None, median: float | None = None) -> Band:
    """The band of a distance D in MADs. Without a D (zero MAD) a value on the median is EQUAL."""
    if d is None:
        if value is not None and median is not None and value == median:
            return Band.EQUAL
        return Band.UNGRADED
    if d >= MANUAL_LIMIT or d < -MANUAL_LIMIT:
        return Band.MANUAL
    if -0.5 <= d < 0.5:
        return Band.SIMILAR
    if 0.5 <= d < 1.5:
        return Band.SLIGHTLY_ABOVE
    if -1.5 <= d < -0.5:
        return Band.SLIGHTLY_BELOW
    if 1.5 <= d < 3:
        return Band.ABOVE
    if -3 <= d < -1.5:
        return Band.BELOW
    return Band.MUCH_ABOVE if d >= 3 else Band.MUCH_BELOW


_STRENGTH: Final = {
    Band.SLIGHTLY_ABOVE: "slightly ",
    Band.SLIGHTLY_BELOW: "slightly ",
    Band.ABOVE: "",
    Band.BELOW: "",
    Band.MUCH_ABOVE: "much ",
    Band.MUCH_BELOW: "much ",
}
_ABOVE: Final = {Band.SLIGHTLY_ABOVE, Band.ABOVE, Band.MUCH_ABOVE}


@dataclass(frozen=True)
class Wording:
    text: str  # "slightly better than the England median"; "" when a person must write it
    needs_person: bool  # beyond ±7.5 MADs Oflog's template leaves the sentence to a person


def wording(
    band: Band,
    *,
    polarity: Polarity,
    comparator: str,
    better: str = "better",
    worse: str = "worse",
) -> Wording:
    """The template sentence for a band, e.g. "slightly worse than the England median".

    Better and worse follow polarity; a contextual or midpoint indicator says higher or lower.
    `better`/`worse` let a metric use its own words ("easier"/"harder to find information").
    """
    if band is Band.MANUAL:
        return Wording(text="", needs_person=True)
    if band is Band.SIMILAR:
        return Wording(text=f"broadly similar to {comparator}", needs_person=False)
    if band is Band.EQUAL:
        return Wording(text=f"equal to {comparator}", needs_person=False)
    if band is Band.UNGRADED:
        return Wording(text=f"not graded against {comparator}", needs_person=False)
    up = band in _ABOVE
    if polarity is Polarity.HIGHER_BETTER:
        word = better if up else worse
    elif polarity is Polarity.LOWER_BETTER:
        word = worse if up else better
    else:
        word = "higher" if up else "lower"
    return Wording(text=f"{_STRENGTH[band]}{word} than {comparator}", needs_person=False)


@dataclass(frozen=True)
class Comparison:
    """One body's value against its group: what a page row and an export row show."""

    value: float | None
    median: float | None
    mad: float | None
    d: float | None
    band: Band
    wording: Wording


def compare(
    value: float | None,
    group: Iterable[float | None],
    *,
    polarity: Polarity,
    comparator: str,
    scale_mad: float | None = None,
) -> Comparison:
    """`value` against the median of `group`; `scale_mad` replaces the group's own MAD (the
    reference recommends the national MAD as the scale when the group is small)."""
    values = list(group)
    m = median(values)
    spread = mad(values) if scale_mad is None else scale_mad
    d = mads_from_median(value, median=m, mad=spread)
    band = band_of(d, value=value, median=m) if value is not None else Band.UNGRADED
    return Comparison(
        value=value,
        median=m,
        mad=spread,
        d=d,
        band=band,
        wording=wording(band, polarity=polarity, comparator=comparator),
    )


# LGBF


def mean(values: Iterable[float | None]) -> float | None:
    """The unweighted mean of the values present: how the LGBF family-group average is made."""
    kept = present(values)
    return math.fsum(kept) / len(kept) if kept else None


def ratio_of_sums(
    pairs: Iterable[tuple[float | None, float | None]],
    *,
    numerator_multiplier: float = 1.0,
    denominator_multiplier: float = 1.0,
) -> float | None:
    """(Σ numerators × k_num) / (Σ denominators × k_den) over the bodies with both: the LGBF
    Scotland figure for an indicator with a numerator and a denominator."""
    kept = [(n, d) for n, d in pairs if n is not None and d is not None]
    if not kept:
        return None
    denominator = math.fsum(d for _, d in kept) * denominator_multiplier
    if denominator == 0:
        return None
    return math.fsum(n for n, _ in kept) * numerator_multiplier / denominator


def ranks(
    values: Mapping[K, float | None], *, polarity: Polarity, midpoint: float | None = None
) -> dict[K, int | None]:
    """Rank 1 is best; ties share the lowest rank (the Improvement Service convention); a missing
    value has no rank. A midpoint indicator ranks by distance from the midpoint. A contextual
    indicator has no better or worse, so no ranks."""
    if polarity is Polarity.CONTEXTUAL:
        return dict.fromkeys(values, None)
    if polarity is Polarity.MIDPOINT and midpoint is None:
        raise ValueError("a midpoint indicator needs its midpoint to be ranked")

    def badness(v: float) -> float:
        if polarity is Polarity.HIGHER_BETTER:
            return -v
        if polarity is Polarity.LOWER_BETTER:
            return v
        assert midpoint is not None
        return abs(v - midpoint)

    # Rounded so that values equally far from a midpoint tie despite binary fractions
    # (|0.45 - 0.5| and |0.55 - 0.5| differ in the last bit).
    scored = {
        key: round(badness(v), 9)
        for key, v in values.items()
        if v is not None and not math.isnan(v)
    }
    ordered = sorted(scored.values())
    first_rank: dict[float, int] = {}
    for position, score in enumerate(ordered, start=1):
        first_rank.setdefault(score, position)
    return {key: (first_rank[scored[key]] if key in scored else None) for key in values}


def change(
    previous: float | None,
    current: float | None,
    *,
    polarity: Polarity,
    percentage: bool = False,
    midpoint: float | None = None,
) -> float | None:
    """Change from one period to the next, positive when it is an improvement (SC-TPP's aim-
    adjusted change): a proportion of the previous value, in points for a percentage, and for a
    midpoint indicator the share of the distance to the midpoint closed. None when it cannot be
    said (a missing value, a contextual indicator, a division by zero)."""
    if previous is None or current is None or polarity is Polarity.CONTEXTUAL:
        return None
    if polarity is Polarity.MIDPOINT:
        if midpoint is None:
            raise ValueError("a midpoint indicator needs its midpoint")
        before = abs(previous - midpoint)
        if before == 0:
            return None
        return (before - abs(current - midpoint)) / before
    sign = 1.0 if polarity is Polarity.HIGHER_BETTER else -1.0
    if percentage:
        return sign * (current - previous)
    if previous == 0:
        return None
    return sign * (current - previous) / abs(previous)
