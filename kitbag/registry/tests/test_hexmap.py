"""The hex map geometry: pure functions, no database."""

from __future__ import annotations

import json
import math

import pytest

from kitbag.registry import hexmap
from kitbag.registry.hexmap import SQRT3, Hex, HexGrid


def hexjson(layout: str, hexes: dict[str, object]) -> str:
    return json.dumps({"layout": layout, "hexes": hexes})


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.dist(a, b)


def test_parsing_reads_layout_names_and_coordinates() -> None:
    grid = hexmap.parse_hexjson(
        hexjson(
            "odd-r",
            {
                "E06000001": {"n": "Hartlepool", "q": 8, "r": 18, "colour": "#D60303"},
                "E09000007": {"name": "Camden", "q": 7, "r": 5},
                "S12000033": {"q": 3, "r": 30},
            },
        )
    )
    assert grid.layout == "odd-r"
    assert grid.hexes == (
        Hex(key="E06000001", name="Hartlepool", q=8, r=18),
        Hex(key="E09000007", name="Camden", q=7, r=5),
        Hex(key="S12000033", name="S12000033", q=3, r=30),
    )


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        hexjson("hexagonal", {"A": {"q": 0, "r": 0}}),
        json.dumps({"layout": "odd-r", "hexes": []}),
        hexjson("odd-r", {"A": {"q": 0}}),
        hexjson("odd-r", {"A": {"q": "left", "r": 0}}),
        hexjson("odd-r", {"A": "not an object"}),
    ],
)
def test_parsing_rejects_what_it_cannot_draw(text: str) -> None:
    with pytest.raises(hexmap.HexJSONError):
        hexmap.parse_hexjson(text)


def test_odd_rows_are_shifted_right_by_half_a_hex_in_odd_r() -> None:
    size = 10.0
    even_x, _ = hexmap.hex_centre(2, 0, layout="odd-r", size=size)
    odd_x, _ = hexmap.hex_centre(2, 1, layout="odd-r", size=size)
    negative_odd_x, _ = hexmap.hex_centre(2, -3, layout="odd-r", size=size)
    assert odd_x - even_x == pytest.approx(SQRT3 * size / 2)
    assert negative_odd_x == pytest.approx(odd_x)


def test_even_rows_are_shifted_right_in_even_r() -> None:
    even_x, _ = hexmap.hex_centre(2, 0, layout="even-r", size=10)
    odd_x, _ = hexmap.hex_centre(2, 1, layout="even-r", size=10)
    assert even_x - odd_x == pytest.approx(SQRT3 * 10 / 2)


def test_rows_count_upwards_so_larger_r_is_drawn_higher() -> None:
    _, south_y = hexmap.hex_centre(0, 4, layout="odd-r", size=10)
    _, north_y = hexmap.hex_centre(0, 18, layout="odd-r", size=10)
    assert north_y < south_y


@pytest.mark.parametrize("layout", ["odd-r", "even-r", "odd-q", "even-q"])
@pytest.mark.parametrize("q,r", [(0, 0), (3, 1), (-2, -3), (5, 8)])
def test_every_neighbour_is_exactly_one_hex_width_away(layout: str, q: int, r: int) -> None:
    """Neighbouring hexes touch along a whole edge: no gaps and no overlaps anywhere on the map."""
    size = 10.0
    centre = hexmap.hex_centre(q, r, layout=layout, size=size)
    neighbours = [
        hexmap.hex_centre(q + dq, r + dr, layout=layout, size=size)
        for dq in (-1, 0, 1)
        for dr in (-1, 0, 1)
        if (dq, dr) != (0, 0)
    ]
    touching = [n for n in neighbours if distance(centre, n) == pytest.approx(SQRT3 * size)]
    # Of the eight grid neighbours in offset coordinates, exactly six are hex neighbours.
    assert len(touching) == 6
    assert all(distance(centre, n) >= SQRT3 * size - 1e-9 for n in neighbours)


def test_corners_are_six_points_one_size_from_the_centre() -> None:
    corners = hexmap.hex_corners((50.0, 40.0), size=10, pointy=True)
    assert len(corners) == 6
    assert all(distance((50.0, 40.0), c) == pytest.approx(10) for c in corners)
    # Pointy-topped: the first corner is straight above the centre.
    assert corners[0] == pytest.approx((50.0, 30.0))


def test_neighbours_share_an_edge() -> None:
    drawing = hexmap.draw(
        HexGrid(layout="odd-r", hexes=(Hex("A", "A", 0, 0), Hex("B", "B", 0, 1))), size=10
    )
    a, b = drawing.hexes
    shared = [
        ca
        for ca in a.corners
        if any(distance(ca, cb) == pytest.approx(0, abs=1e-9) for cb in b.corners)
    ]
    assert len(shared) == 2


def test_the_drawing_is_framed_so_every_corner_is_inside_the_view_box() -> None:
    grid = HexGrid(
        layout="odd-r",
        hexes=tuple(Hex(f"H{q}{r}", "", q, r) for q in range(-3, 4) for r in range(-2, 5)),
    )
    margin = 2.0
    drawing = hexmap.draw(grid, size=10, margin=margin)
    xs = [x for placed in drawing.hexes for x, _ in placed.corners]
    ys = [y for placed in drawing.hexes for _, y in placed.corners]
    assert min(xs) == pytest.approx(margin)
    assert min(ys) == pytest.approx(margin)
    assert max(xs) == pytest.approx(drawing.width - margin)
    assert max(ys) == pytest.approx(drawing.height - margin)
    origin_x, origin_y, width, height = (float(n) for n in drawing.view_box.split())
    assert (origin_x, origin_y) == (0, 0)
    assert (width, height) == pytest.approx((drawing.width, drawing.height), abs=0.01)


def test_points_are_an_svg_polygon_attribute_with_short_numbers() -> None:
    drawing = hexmap.draw(HexGrid(layout="odd-r", hexes=(Hex("A", "A", 0, 0),)), size=10, margin=0)
    (placed,) = drawing.hexes
    pairs = placed.points.split(" ")
    assert len(pairs) == 6
    for pair in pairs:
        x, y = pair.split(",")
        assert len(x.partition(".")[2]) <= 2 and len(y.partition(".")[2]) <= 2
    assert pairs[0] == "8.66,0"  # the top corner of a hex of size 10 framed at the origin


def test_an_empty_grid_draws_an_empty_map() -> None:
    drawing = hexmap.draw(HexGrid(layout="odd-r", hexes=()), size=10, margin=2)
    assert drawing.hexes == ()
    assert drawing.view_box == "0 0 4 4"


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        hexmap.draw(HexGrid(layout="odd-r", hexes=()), size=0)
