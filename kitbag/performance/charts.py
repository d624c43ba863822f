"""Server-rendered SVG charts, readable without colour. No Django here.

Two pictures, each beside a table that says the same:
- `series_chart`: one body's values over time against its group's median and the "broadly
  similar" band (median ± half a MAD), the median dashed and the body's line solid with its points
  marked;
- `group_chart`: every body's value in one period as a bar, sorted, with the chosen body's bar
  drawn with a thick outline, a hatch and a label, and the median as a dashed line.

Every mark that carries meaning has a text label or a distinct shape and line style, so the chart
reads in greyscale and in high-contrast modes; the SVG has a title and description for screen
readers, which are pointed to the table.
"""

from __future__ import annotations

import enum
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from kitbag.performance.statistics import Band, Polarity

WIDTH: Final = 640
HEIGHT: Final = 300
LEFT: Final = 64
RIGHT: Final = 16
TOP: Final = 16
BOTTOM: Final = 48


@dataclass(frozen=True)
class SeriesPoint:
    label: str  # the period's label
    value: float | None
    median: float | None = None
    mad: float | None = None
    forecast: float | None = None  # the straight-line trend (trend.py), past the last figure
    target: float | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlighted: bool = False


def _nice_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    if min(values) >= 0 and low < 0:
        low = 0.0
    return low, high


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step)) if step > 0 else 1
    for nice in (1, 2, 2.5, 5, 10):
        if step <= nice * magnitude:
            step = nice * magnitude
            break
    first = math.ceil(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _number(value: float, places: int) -> str:
    return f"{value:,.{places}f}"


def _frame(title: str, description: str, body: list[str]) -> str:
    ident = f"chart-{zlib.crc32(title.encode()):08x}"
    return (
        f'<svg class="kitbag-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        '<defs><pattern id="kitbag-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" stroke-width="3"/></pattern></defs>'
        + "".join(body)
        + "</svg>"
    )


def _axis(low: float, high: float, places: int, y: Callable[[float], float]) -> list[str]:
    parts = []
    for tick in _ticks(low, high):
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="#b1b4b6" '
            'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{escape(_number(tick, places))}</text>'
        )
    return parts


def series_chart(
    points: Sequence[SeriesPoint], *, body: str, group: str, places: int, title: str
) -> str:
    """A body's series (solid line, square points) against its group's median (dashed) and the
    band within half a MAD of it (light grey, labelled)."""
    numbers = [
        v
        for p in points
        for v in (
            p.value,
            p.median,
            p.forecast,
            p.target,
            None if p.median is None or p.mad is None else p.median - p.mad / 2,
            None if p.median is None or p.mad is None else p.median + p.mad / 2,
        )
        if v is not None
    ]
    if not numbers or not points:
        return ""
    low, high = _nice_range(numbers)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    # Inset so the first and last period labels, centred on their points, stay inside.
    inset = 32
    step = (plot_w - 2 * inset) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (inset + i * step if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (high - v) / (high - low)

    parts = _axis(low, high, places, y)
    band_top = [
        (x(i), y(p.median + p.mad / 2))
        for i, p in enumerate(points)
        if p.median is not None and p.mad is not None
    ]
    band_bottom = [
        (x(i), y(p.median - p.mad / 2))
        for i, p in enumerate(points)
        if p.median is not None and p.mad is not None
    ]
    if len(band_top) > 1:
        outline = band_top + band_bottom[::-1]
        parts.append(
            '<polygon points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in outline)
            + '" fill="#dddddd" stroke="none"/>'
        )
    median_points = [(x(i), y(p.median)) for i, p in enumerate(points) if p.median is not None]
    if len(median_points) > 1:
        parts.append(
            '<polyline fill="none" stroke="#505a5f" stroke-width="2" stroke-dasharray="6 4" points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in median_points)
            + '"/>'
        )
    own = [(x(i), y(p.value)) for i, p in enumerate(points) if p.value is not None]
    if len(own) > 1:
        parts.append(
            '<polyline fill="none" stroke="#1d70b8" stroke-width="3" points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in own)
            + '"/>'
        )
    for px, py in own:
        parts.append(
            f'<rect x="{px - 5:.1f}" y="{py - 5:.1f}" width="10" height="10" fill="#1d70b8" '
            'stroke="#0b0c0c" stroke-width="1"/>'
        )
    # The trend starts from the last figure, dotted with hollow circles: not the solid line, not
    # the median's dashes, so it reads without colour.
    trend = [(x(i), y(p.forecast)) for i, p in enumerate(points) if p.forecast is not None]
    if trend:
        parts.append(
            '<polyline fill="none" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="2 4" '
            'points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in own[-1:] + trend) + '"/>'
        )
        for px, py in trend:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="#ffffff" stroke="#0b0c0c" '
                'stroke-width="2"/>'
            )
    for i, p in enumerate(points):
        if p.target is None:
            continue
        tx, ty = x(i), y(p.target)
        parts.append(
            f'<polygon points="{tx:.1f},{ty - 7:.1f} {tx + 7:.1f},{ty + 5:.1f} {tx - 7:.1f},'
            f'{ty + 5:.1f}" fill="#0b0c0c"/>'
            f'<text x="{tx + 9:.1f}" y="{ty + 4:.1f}" font-size="12" font-weight="bold" '
            f'fill="#0b0c0c">Target</text>'
        )
    if trend or any(p.target is not None for p in points):
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{TOP + 10}" text-anchor="end" font-size="12" '
            'fill="#0b0c0c">Dotted line, open circles: a straight-line trend, not a prediction. '
            "Triangles: targets.</text>"
        )
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
            f'fill="#0b0c0c">{escape(p.label)}</text>'
        )
    # A key in words, so no colour has to be matched.
    key_y = HEIGHT - 8
    parts.append(
        f'<rect x="{LEFT}" y="{key_y - 9}" width="10" height="10" fill="#1d70b8" stroke="#0b0c0c"/>'
        f'<text x="{LEFT + 14}" y="{key_y}" font-size="12" fill="#0b0c0c">{escape(body)} (solid line)</text>'
        f'<line x1="{LEFT + 250}" y1="{key_y - 4}" x2="{LEFT + 280}" y2="{key_y - 4}" stroke="#505a5f" '
        'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 286}" y="{key_y}" font-size="12" fill="#0b0c0c">'
        f"{escape(group)} median (dashed); grey: within half a MAD</text>"
    )
    description = (
        f"Line chart of {body}'s values by period against {group}'s median. "
        "The same figures are in the table that follows."
    )
    return _frame(title, description, parts)


def group_chart(
    bars: Sequence[Bar], *, median: float | None, places: int, title: str, group: str
) -> str:
    """Every body's value as a bar, smallest first; the highlighted body's bar is hatched with a
    thick outline and labelled; the median is a dashed line, labelled."""
    if not bars:
        return ""
    values = [b.value for b in bars] + ([median] if median is not None else [])
    low, high = _nice_range([*values, 0.0] if min(values) >= 0 else values)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    ordered = sorted(bars, key=lambda b: b.value)
    slot = plot_w / len(ordered)
    width = max(slot * 0.8, 1.0)

    def y(v: float) -> float:
        return TOP + plot_h * (high - v) / (high - low)

    parts = _axis(low, high, places, y)
    base = y(max(low, 0.0) if low < 0 < high or low >= 0 else high)
    for i, bar in enumerate(ordered):
        bx = LEFT + i * slot + (slot - width) / 2
        top = min(y(bar.value), base)
        height = max(abs(base - y(bar.value)), 1.0)
        if bar.highlighted:
            parts.append(
                f'<rect x="{bx:.1f}" y="{top:.1f}" width="{max(width, 4):.1f}" height="{height:.1f}" '
                'fill="url(#kitbag-hatch)" stroke="#0b0c0c" stroke-width="3"/>'
                f'<text x="{bx + width / 2:.1f}" y="{max(top - 6, 12):.1f}" text-anchor="middle" '
                f'font-size="13" font-weight="bold" fill="#0b0c0c">{escape(bar.label)}: '
                f"{escape(_number(bar.value, places))}</text>"
            )
        else:
            parts.append(
                f'<rect x="{bx:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
                'fill="#b1b4b6"/>'
            )
    if median is not None:
        my = y(median)
        parts.append(
            f'<line x1="{LEFT}" y1="{my:.1f}" x2="{WIDTH - RIGHT}" y2="{my:.1f}" stroke="#0b0c0c" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 4}" y="{my - 5:.1f}" font-size="12" fill="#0b0c0c">'
            f"Median {escape(_number(median, places))} (dashed)</text>"
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="12" fill="#0b0c0c">'
        f"{escape(group)}: {len(ordered)} bodies, lowest value on the left</text>"
    )
    description = (
        f"Bar chart of every value in {group}, smallest first, with the median marked. "
        "The same figures are in the table that follows."
    )
    return _frame(title, description, parts)


# The hex map of councils coloured by band. Each category has a colour and a pattern of its
# own (better: lines rising to the right, worse: lines falling, denser the stronger; similar:
# dots; beyond 7.5 MADs: a cross-hatch; no figure: white; outside the group: plain grey), so
# the map reads in greyscale, and the key names each one in words.


class MapCategory(enum.StrEnum):
    MUCH_BETTER = "much-better"
    BETTER = "better"
    SLIGHTLY_BETTER = "slightly-better"
    SIMILAR = "similar"
    SLIGHTLY_WORSE = "slightly-worse"
    WORSE = "worse"
    MUCH_WORSE = "much-worse"
    PERSON_WRITES = "person-writes"
    NO_FIGURE = "no-figure"
    OUTSIDE = "outside"


# category: (fill, ink, pattern, spacing)
_STYLES: Final[dict[MapCategory, tuple[str, str, str, float]]] = {
    MapCategory.MUCH_BETTER: ("#003078", "#ffffff", "rise", 2.5),
    MapCategory.BETTER: ("#1d70b8", "#ffffff", "rise", 3.5),
    MapCategory.SLIGHTLY_BETTER: ("#a7c4e5", "#0b0c0c", "rise", 5.0),
    MapCategory.SIMILAR: ("#f3f2f1", "#0b0c0c", "dots", 4.0),
    MapCategory.SLIGHTLY_WORSE: ("#f8c3a6", "#0b0c0c", "fall", 5.0),
    MapCategory.WORSE: ("#d4351c", "#ffffff", "fall", 3.5),
    MapCategory.MUCH_WORSE: ("#6b1a0e", "#ffffff", "fall", 2.5),
    MapCategory.PERSON_WRITES: ("#4c2c92", "#ffffff", "cross", 3.0),
    MapCategory.NO_FIGURE: ("#ffffff", "#ffffff", "", 0.0),
    MapCategory.OUTSIDE: ("#b1b4b6", "#b1b4b6", "", 0.0),
}


@dataclass(frozen=True)
class MapHex:
    points: str  # the polygon's corners (registry.hexmap.PlacedHex.points)
    title: str  # "Kent County Council: 7.9, slightly better than the England median"
    category: MapCategory


def _pattern(ident: str, category: MapCategory) -> str:
    fill, ink, kind, step = _STYLES[category]
    if not kind:
        return ""
    size = _number(step, 1)
    if kind == "dots":
        mark = f'<circle cx="{step / 2:.2f}" cy="{step / 2:.2f}" r="0.7" fill="{ink}"/>'
    elif kind == "cross":
        mark = (
            f'<path d="M0,0 L{size},{size} M0,{size} L{size},0" stroke="{ink}" stroke-width="0.7"/>'
        )
    else:
        d = f"M0,{size} L{size},0" if kind == "rise" else f"M0,0 L{size},{size}"
        mark = f'<path d="{d}" stroke="{ink}" stroke-width="0.8"/>'
    return (
        f'<pattern id="{ident}" width="{size}" height="{size}" patternUnits="userSpaceOnUse">'
        f'<rect width="{size}" height="{size}" fill="{fill}"/>{mark}</pattern>'
    )


def _paint(ident: str, category: MapCategory) -> str:
    fill, _ink, kind, _step = _STYLES[category]
    return f"url(#{ident})" if kind else fill


def band_hexmap(
    hexes: Sequence[MapHex], *, width: float, height: float, title: str, description: str
) -> str:
    """Councils as equal hexagons, each filled with its category's colour and pattern and
    titled in words; the SVG's description points to the table that says the same."""
    prefix = f"hexmap-{zlib.crc32(title.encode()):08x}"
    used = sorted({h.category for h in hexes}, key=list(MapCategory).index)
    defs = "".join(_pattern(f"{prefix}-{c.value}", c) for c in used)
    body = [
        f'<g><title>{escape(h.title)}</title><polygon points="{escape(h.points)}" '
        f'fill="{_paint(f"{prefix}-{h.category.value}", h.category)}" stroke="#0b0c0c" '
        'stroke-width="0.4"/></g>'
        for h in hexes
    ]
    return (
        f'<svg class="kitbag-hexmap kitbag-band-map" viewBox="0 0 {width:.2f} {height:.2f}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f"<defs>{defs}</defs>" + "".join(body) + "</svg>"
    )


def band_swatch(category: MapCategory) -> str:
    """A key's sample of one category, drawn the way the map draws it (decorative: the key's
    words say what it means)."""
    ident = f"swatch-{category.value}"
    return (
        '<svg class="kitbag-swatch" viewBox="0 0 20 20" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><defs>{_pattern(ident, category)}</defs>'
        f'<rect width="20" height="20" fill="{_paint(ident, category)}" stroke="#0b0c0c" '
        'stroke-width="1"/></svg>'
    )


_RAW_DIRECTION: Final = {
    Band.MUCH_ABOVE: (True, MapCategory.MUCH_BETTER, MapCategory.MUCH_WORSE),
    Band.ABOVE: (True, MapCategory.BETTER, MapCategory.WORSE),
    Band.SLIGHTLY_ABOVE: (True, MapCategory.SLIGHTLY_BETTER, MapCategory.SLIGHTLY_WORSE),
    Band.SLIGHTLY_BELOW: (False, MapCategory.SLIGHTLY_BETTER, MapCategory.SLIGHTLY_WORSE),
    Band.BELOW: (False, MapCategory.BETTER, MapCategory.WORSE),
    Band.MUCH_BELOW: (False, MapCategory.MUCH_BETTER, MapCategory.MUCH_WORSE),
}


def map_category(band: Band | None, polarity: Polarity) -> MapCategory:
    """The map's category of a band: better or worse by polarity (a value above the median is
    better when higher is better). A midpoint or contextual indicator has no better: its
    "better" categories then mean higher and its "worse" ones lower (the key says so)."""
    if band is None:
        return MapCategory.OUTSIDE
    if band in (Band.SIMILAR, Band.EQUAL):
        return MapCategory.SIMILAR
    if band is Band.MANUAL:
        return MapCategory.PERSON_WRITES
    if band is Band.UNGRADED:
        return MapCategory.NO_FIGURE
    above, good, bad = _RAW_DIRECTION[band]
    if polarity is Polarity.LOWER_BETTER:
        return bad if above else good
    return good if above else bad


def map_legend(polarity: Polarity) -> list[tuple[MapCategory, str]]:
    """The key's words for each category, by polarity."""
    ranked = polarity in (Polarity.HIGHER_BETTER, Polarity.LOWER_BETTER)
    up, down = ("better", "worse") if ranked else ("higher", "lower")
    return [
        (MapCategory.MUCH_BETTER, f"Much {up} than the median (lines rising, dense)"),
        (MapCategory.BETTER, f"{up.capitalize()} than the median (lines rising, medium)"),
        (MapCategory.SLIGHTLY_BETTER, f"Slightly {up} than the median (lines rising, sparse)"),
        (MapCategory.SIMILAR, "Broadly similar to the median (dots)"),
        (MapCategory.SLIGHTLY_WORSE, f"Slightly {down} than the median (lines falling, sparse)"),
        (MapCategory.WORSE, f"{down.capitalize()} than the median (lines falling, medium)"),
        (MapCategory.MUCH_WORSE, f"Much {down} than the median (lines falling, dense)"),
        (MapCategory.PERSON_WRITES, "Beyond 7.5 MADs: a person writes the text (cross-hatch)"),
        (MapCategory.NO_FIGURE, "No figure, or not graded (white)"),
        (MapCategory.OUTSIDE, "Not in this comparison group, or no council (plain grey)"),
    ]
