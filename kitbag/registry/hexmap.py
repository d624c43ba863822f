"""Hex cartograms drawn on the server: HexJSON in, SVG polygon geometry out.

A pure module (no Django, no files) so the geometry is easy to test and to reuse for other maps
(meeting openness, spread of a case). HexJSON (Open Innovations) places each area on a grid of
offset coordinates: q is the column and r the row, and rows count upwards, so the north of the UK
has the largest r. The layout names which rows or columns are pushed half a hex along: in "odd-r",
odd rows sit half a hex to the right of even ones.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

SQRT3 = math.sqrt(3)
# Pointy-topped hexes for row layouts ("-r"), flat-topped for column layouts ("-q").
LAYOUTS = frozenset({"odd-r", "even-r", "odd-q", "even-q"})

Point = tuple[float, float]


class HexJSONError(ValueError):
    """The text is not HexJSON this module can draw."""


@dataclass(frozen=True)
class Hex:
    key: str  # the area's code, e.g. an ONS GSS code
    name: str
    q: int
    r: int


@dataclass(frozen=True)
class HexGrid:
    layout: str
    hexes: tuple[Hex, ...]


@dataclass(frozen=True)
class PlacedHex:
    hex: Hex
    centre: Point
    corners: tuple[Point, ...]

    @property
    def points(self) -> str:
        """The corners as an SVG polygon `points` attribute."""
        return " ".join(f"{_number(x)},{_number(y)}" for x, y in self.corners)


@dataclass(frozen=True)
class HexMapDrawing:
    width: float
    height: float
    hexes: tuple[PlacedHex, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {_number(self.width)} {_number(self.height)}"


def parse_hexjson(text: str | bytes) -> HexGrid:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise HexJSONError(f"not JSON: {error}") from error
    if not isinstance(document, dict):
        raise HexJSONError("a HexJSON document is an object")
    layout = document.get("layout")
    if layout not in LAYOUTS:
        raise HexJSONError(f"unknown layout {layout!r}; expected one of {sorted(LAYOUTS)}")
    raw_hexes = document.get("hexes")
    if not isinstance(raw_hexes, dict):
        raise HexJSONError("'hexes' must be an object keyed by area code")
    hexes = []
    for key, fields in raw_hexes.items():
        if not isinstance(fields, dict):
            raise HexJSONError(f"hex {key!r} is not an object")
        try:
            q, r = int(fields["q"]), int(fields["r"])
        except (KeyError, TypeError, ValueError) as error:
            raise HexJSONError(f"hex {key!r} needs integer q and r") from error
        name = fields.get("n") or fields.get("name") or key
        hexes.append(Hex(key=str(key), name=str(name), q=q, r=r))
    return HexGrid(layout=layout, hexes=tuple(hexes))


def is_pointy(layout: str) -> bool:
    return layout.endswith("-r")


def offset_position(q: int, r: int, layout: str) -> tuple[float, float]:
    """Grid position in hex units, with the layout's half-hex shift applied to the shifted lines."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    parity, axis = layout.split("-")
    # Python's % keeps negative rows right: -3 % 2 == 1, so row -3 counts as odd.
    if axis == "r" and (r % 2 == 1) == (parity == "odd"):
        return q + 0.5, float(r)
    if axis == "q" and (q % 2 == 1) == (parity == "odd"):
        return float(q), r + 0.5
    return float(q), float(r)


def hex_centre(q: int, r: int, *, layout: str, size: float) -> Point:
    """Centre of a hex in SVG coordinates (y grows downwards), before the drawing is framed.

    `size` is the distance from the centre to a corner. Rows count upwards in HexJSON, so a larger
    r gives a smaller y.
    """
    column, row = offset_position(q, r, layout)
    if is_pointy(layout):
        return column * SQRT3 * size, -row * 1.5 * size
    return column * 1.5 * size, -row * SQRT3 * size


def hex_corners(centre: Point, *, size: float, pointy: bool) -> tuple[Point, ...]:
    """The six corners, clockwise on screen, starting at the top (pointy) or the right (flat)."""
    cx, cy = centre
    start = -90.0 if pointy else 0.0
    return tuple(
        (
            cx + size * math.cos(math.radians(start + 60 * i)),
            cy + size * math.sin(math.radians(start + 60 * i)),
        )
        for i in range(6)
    )


def draw(grid: HexGrid, *, size: float = 10.0, margin: float = 2.0) -> HexMapDrawing:
    """Lay every hex out and frame the drawing so its top-left corner sits at (margin, margin)."""
    if size <= 0:
        raise ValueError("size must be positive")
    pointy = is_pointy(grid.layout)
    raw = [
        (
            hex_,
            hex_corners(
                hex_centre(hex_.q, hex_.r, layout=grid.layout, size=size), size=size, pointy=pointy
            ),
        )
        for hex_ in grid.hexes
    ]
    if not raw:
        return HexMapDrawing(width=2 * margin, height=2 * margin, hexes=())
    all_corners = [corner for _, corners in raw for corner in corners]
    min_x, max_x = _bounds(x for x, _ in all_corners)
    min_y, max_y = _bounds(y for _, y in all_corners)
    dx, dy = margin - min_x, margin - min_y
    placed = tuple(
        PlacedHex(
            hex=hex_,
            centre=_centre_of(corners, dx, dy),
            corners=tuple((x + dx, y + dy) for x, y in corners),
        )
        for hex_, corners in raw
    )
    return HexMapDrawing(
        width=max_x - min_x + 2 * margin, height=max_y - min_y + 2 * margin, hexes=placed
    )


def _bounds(values: Iterable[float]) -> tuple[float, float]:
    items = list(values)
    return min(items), max(items)


def _centre_of(corners: tuple[Point, ...], dx: float, dy: float) -> Point:
    return (
        sum(x for x, _ in corners) / len(corners) + dx,
        sum(y for _, y in corners) / len(corners) + dy,
    )


def _number(value: float) -> str:
    """Two decimals are finer than a pixel at any sensible size, and keep the page small."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
