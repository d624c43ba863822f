"""The lineage tree and the roll-ups of cost and savings, on plain values (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kitbag.cases.spread import (
    AdoptionFigures,
    Edge,
    Item,
    item_totals,
    lineage,
    spread_totals,
)


def edge(pk: int, later: int, earlier: int, relation: str = "adapted", **extra: object) -> Edge:
    return Edge(pk=pk, from_id=later, to_id=earlier, relation=relation, label=relation, **extra)  # type: ignore[arg-type]


def shape(nodes: tuple[object, ...]) -> list[object]:
    return [
        (node.case_id, shape(node.children)) if node.children else node.case_id  # type: ignore[attr-defined]
        for node in nodes
    ]


class TestLineage:
    def test_a_case_with_no_relations_has_an_empty_tree(self) -> None:
        tree = lineage([], root_id=1)
        assert tree.is_empty
        assert tree.case_ids() == set()

    def test_cases_that_built_on_this_one_are_its_followers_and_nest_further(self) -> None:
        # 2 adapted 1, 3 adopted 2 as is, 4 was inspired by 1.
        edges = [edge(1, 2, 1), edge(2, 3, 2, "adopted-as-is"), edge(3, 4, 1, "inspired-by")]
        tree = lineage(edges, root_id=1)
        assert tree.origins == ()
        assert shape(tree.followers) == [(2, [3]), 4]
        assert tree.case_ids() == {2, 3, 4}

    def test_the_cases_this_one_built_on_are_its_origins_in_both_directions(self) -> None:
        edges = [edge(1, 2, 1), edge(2, 3, 2), edge(3, 4, 3)]
        tree = lineage(edges, root_id=3)
        assert shape(tree.origins) == [(2, [1])]
        assert shape(tree.followers) == [4]

    def test_superseded_by_points_from_the_earlier_case_to_the_later_one(self) -> None:
        # 1 superseded by 2: 2 came later, so 2 follows 1.
        tree = lineage([edge(1, 1, 2, "superseded-by")], root_id=1)
        assert shape(tree.followers) == [2]
        assert lineage([edge(1, 1, 2, "superseded-by")], root_id=2).origins[0].case_id == 1

    def test_a_loop_in_the_records_is_shown_once_and_marked_as_repeated(self) -> None:
        edges = [edge(1, 2, 1), edge(2, 3, 2), edge(3, 1, 3)]
        tree = lineage(edges, root_id=1)
        assert shape(tree.followers) == [(2, [3])]
        deepest = tree.followers[0].children[0]
        # 3 -> 1 would lead back to the root: not followed.
        assert deepest.children == ()
        two_routes = lineage(
            [edge(1, 2, 1), edge(2, 3, 1), edge(3, 4, 2), edge(4, 4, 3)], root_id=1
        )
        repeated = [node for node in two_routes.followers[1].children]
        assert repeated[0].case_id == 4 and repeated[0].repeated

    def test_followers_are_ordered_oldest_first_with_undated_last(self) -> None:
        edges = [
            edge(1, 2, 1),
            edge(2, 3, 1, happened_on=dt.date(2024, 1, 1)),
            edge(3, 4, 1, happened_on=dt.date(2021, 6, 1)),
        ]
        assert shape(lineage(edges, root_id=1).followers) == [4, 3, 2]

    def test_a_very_long_chain_stops_at_the_depth_limit(self) -> None:
        edges = [edge(n, n + 1, n) for n in range(1, 30)]
        tree = lineage(edges, root_id=1, max_depth=3)
        assert shape(tree.followers) == [(2, [(3, [4])])]

    def test_each_node_keeps_what_changed_and_whether_both_sides_confirmed(self) -> None:
        tree = lineage(
            [edge(1, 2, 1, changes_made="Welsh language added", confirmed_by_both=True)],
            root_id=1,
        )
        assert tree.followers[0].edge.changes_made == "Welsh language added"
        assert tree.followers[0].edge.confirmed_by_both


class TestItemTotals:
    def test_one_off_and_yearly_amounts_are_added_separately(self) -> None:
        totals = item_totals(
            [
                Item(Decimal("1000"), per_year=False),
                Item(Decimal("250.50"), per_year=True, cashable=True),
                Item(Decimal("100"), per_year=True, cashable=False),
            ]
        )
        assert totals.one_off == Decimal("1000")
        assert totals.per_year == Decimal("350.50")
        assert totals.cashable_per_year == Decimal("250.50")
        assert totals.first_year == Decimal("1350.50")
        assert totals.count == 3

    def test_cashable_is_unknown_when_no_item_said(self) -> None:
        assert item_totals([Item(Decimal("5"), per_year=True)]).cashable_per_year is None
        assert item_totals([]).count == 0


class TestSpreadTotals:
    def test_costs_and_savings_add_up_across_adopters_by_status(self) -> None:
        totals = spread_totals(
            adoptions=[
                AdoptionFigures("live", Decimal("5000"), Decimal("12000")),
                AdoptionFigures("piloting", Decimal("2000"), Decimal("1000")),
                AdoptionFigures("stopped", Decimal("3000"), Decimal("9999")),
                AdoptionFigures("considering", Decimal("8000"), Decimal("50000")),
                AdoptionFigures("live", None, None),
            ]
        )
        assert totals.adopters == 5
        assert totals.by_status == (
            ("live", 2),
            ("piloting", 1),
            ("stopped", 1),
            ("considering", 1),
        )
        # A stopped adopter spent its money but saves nothing now; one considering has done neither.
        assert totals.adopters_cost == Decimal("10000")
        assert totals.adopters_giving_cost == 3
        assert totals.adopters_annual_saving == Decimal("13000")
        assert totals.adopters_giving_saving == 2
        assert totals.lead_cost is None
        assert totals.total_cost == Decimal("10000")
        assert totals.has_figures

    def test_the_lead_counts_its_first_year_cost_and_its_yearly_benefits(self) -> None:
        costs = item_totals([Item(Decimal("1000"), False), Item(Decimal("200"), True)])
        benefits = item_totals([Item(Decimal("3000"), True), Item(Decimal("40"), False)])
        totals = spread_totals(
            adoptions=[AdoptionFigures("live", Decimal("500"), Decimal("700"))],
            lead_costs=costs,
            lead_benefits=benefits,
        )
        assert totals.lead_cost == Decimal("1200")
        assert totals.lead_annual_saving == Decimal("3000")
        assert totals.total_cost == Decimal("1700")
        assert totals.total_annual_saving == Decimal("3700")

    def test_no_adopters_and_no_items_give_no_figures(self) -> None:
        totals = spread_totals(
            adoptions=[], lead_costs=item_totals([]), lead_benefits=item_totals([])
        )
        assert not totals.has_figures
        assert totals.total_cost == Decimal("0")
