"""How a case spread, worked out from plain values: its lineage tree and roll-ups of cost and savings.

A pure module (no Django) so the rules are easy to read and test: `queries.py` turns relations and
adoptions into the small records below, and the case page and the API show what comes back.

Relations are edges `from_case <relation> to_case` ("B adapted A"). For every relation but one, the
case the edge starts from came later and built on the other; "superseded by" is read the other way
round ("A superseded by B": B came later). The tree therefore has two halves: the cases this one
built on (its origins) and the cases that took it further (its followers), each nested as far as
the records go.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Relations whose `from_case` is the earlier case.
EARLIER_FIRST_RELATIONS = frozenset({"superseded-by"})
# Deep enough for any real chain; a limit keeps a page bounded whatever the data.
MAX_DEPTH = 8

# Adoption statuses (code list "adoption-status") whose savings are real now. A body still
# considering has saved nothing yet, and one that stopped no longer saves.
SAVING_STATUSES = frozenset({"piloting", "live"})
# An adopter only considering the case has not spent anything yet.
SPENDING_STATUSES = frozenset({"piloting", "live", "stopped"})

ZERO = Decimal("0")


@dataclass(frozen=True)
class Edge:
    pk: int
    from_id: int
    to_id: int
    relation: str  # the code, e.g. "adapted"
    label: str  # its label, e.g. "Adapted"
    changes_made: str = ""
    happened_on: dt.date | None = None
    confirmed_by_both: bool = False

    @property
    def earlier_id(self) -> int:
        return self.from_id if self.relation in EARLIER_FIRST_RELATIONS else self.to_id

    @property
    def later_id(self) -> int:
        return self.to_id if self.relation in EARLIER_FIRST_RELATIONS else self.from_id


@dataclass(frozen=True)
class LineageNode:
    case_id: int
    edge: Edge  # the relation that links this case to its parent in the tree
    children: tuple[LineageNode, ...] = ()
    # Already shown elsewhere in this half of the tree (a loop or two routes to one case): its
    # own branches are not repeated.
    repeated: bool = False


@dataclass(frozen=True)
class Lineage:
    root_id: int
    origins: tuple[LineageNode, ...]
    followers: tuple[LineageNode, ...]

    @property
    def is_empty(self) -> bool:
        return not self.origins and not self.followers

    def case_ids(self) -> set[int]:
        found: set[int] = set()

        def walk(nodes: Iterable[LineageNode]) -> None:
            for node in nodes:
                found.add(node.case_id)
                walk(node.children)

        walk(self.origins)
        walk(self.followers)
        return found


def _edge_order(edge: Edge) -> tuple[int, int, int]:
    # Oldest first, undated last, then in the order they were recorded.
    if edge.happened_on is None:
        return (1, 0, edge.pk)
    return (0, edge.happened_on.toordinal(), edge.pk)


def lineage(edges: Iterable[Edge], *, root_id: int, max_depth: int = MAX_DEPTH) -> Lineage:
    """The tree of cases around `root_id`: what it built on, and what was built on it."""
    earlier_of: dict[int, list[Edge]] = defaultdict(list)  # case -> edges to the cases it built on
    later_of: dict[int, list[Edge]] = defaultdict(list)  # case -> edges from cases built on it
    for edge in edges:
        earlier_of[edge.later_id].append(edge)
        later_of[edge.earlier_id].append(edge)

    def grow(
        case_id: int, *, towards_earlier: bool, depth: int, seen: set[int]
    ) -> tuple[LineageNode, ...]:
        if depth >= max_depth:
            return ()
        links = sorted((earlier_of if towards_earlier else later_of)[case_id], key=_edge_order)
        nodes = []
        for edge in links:
            other = edge.earlier_id if towards_earlier else edge.later_id
            if other == root_id:  # a loop back to the case itself says nothing new
                continue
            if other in seen:
                nodes.append(LineageNode(case_id=other, edge=edge, repeated=True))
                continue
            seen.add(other)
            children = grow(other, towards_earlier=towards_earlier, depth=depth + 1, seen=seen)
            nodes.append(LineageNode(case_id=other, edge=edge, children=children))
        return tuple(nodes)

    return Lineage(
        root_id=root_id,
        origins=grow(root_id, towards_earlier=True, depth=0, seen={root_id}),
        followers=grow(root_id, towards_earlier=False, depth=0, seen={root_id}),
    )


@dataclass(frozen=True)
class Item:
    """An itemised cost or benefit: an amount, one-off or per year."""

    amount: Decimal
    per_year: bool
    cashable: bool | None = None


@dataclass(frozen=True)
class ItemTotals:
    one_off: Decimal
    per_year: Decimal
    # Of the per-year amount, how much is cashable; None when no item said.
    cashable_per_year: Decimal | None
    count: int

    @property
    def first_year(self) -> Decimal:
        """One-off amounts plus one year of the recurring ones."""
        return self.one_off + self.per_year


def item_totals(items: Iterable[Item]) -> ItemTotals:
    one_off = per_year = ZERO
    cashable: Decimal | None = None
    count = 0
    for item in items:
        count += 1
        if item.per_year:
            per_year += item.amount
            if item.cashable:
                cashable = (cashable or ZERO) + item.amount
            elif item.cashable is False and cashable is None:
                cashable = ZERO
        else:
            one_off += item.amount
    return ItemTotals(one_off=one_off, per_year=per_year, cashable_per_year=cashable, count=count)


@dataclass(frozen=True)
class AdoptionFigures:
    status: str  # adoption-status code
    cost: Decimal | None
    annual_saving: Decimal | None


@dataclass(frozen=True)
class SpreadTotals:
    adopters: int
    by_status: tuple[tuple[str, int], ...]  # (status code, count), in the order first seen
    # Across adopters: what they spent and what they save each year, from those who said.
    adopters_cost: Decimal
    adopters_giving_cost: int
    adopters_annual_saving: Decimal
    adopters_giving_saving: int
    # The lead's own figures from its itemised costs and benefits, when it gave any.
    lead_cost: Decimal | None
    lead_annual_saving: Decimal | None

    @property
    def total_cost(self) -> Decimal:
        return self.adopters_cost + (self.lead_cost or ZERO)

    @property
    def total_annual_saving(self) -> Decimal:
        return self.adopters_annual_saving + (self.lead_annual_saving or ZERO)

    @property
    def has_figures(self) -> bool:
        return bool(
            self.adopters_giving_cost
            or self.adopters_giving_saving
            or self.lead_cost is not None
            or self.lead_annual_saving is not None
        )


def spread_totals(
    *,
    adoptions: Iterable[AdoptionFigures],
    lead_costs: ItemTotals | None = None,
    lead_benefits: ItemTotals | None = None,
) -> SpreadTotals:
    """Sum cost and yearly savings across the lead and its adopters.

    An adopter's cost counts once it is piloting, live or stopped; its saving only while piloting
    or live. The lead's cost is its first-year cost (one-off plus a year of recurring costs), its
    saving its per-year benefits. Amounts are added as given, not adjusted to one price year.
    """
    statuses: Counter[str] = Counter()
    order: list[str] = []
    cost = saving = ZERO
    giving_cost = giving_saving = 0
    count = 0
    for adoption in adoptions:
        count += 1
        if adoption.status not in statuses:
            order.append(adoption.status)
        statuses[adoption.status] += 1
        if adoption.cost is not None and adoption.status in SPENDING_STATUSES:
            cost += adoption.cost
            giving_cost += 1
        if adoption.annual_saving is not None and adoption.status in SAVING_STATUSES:
            saving += adoption.annual_saving
            giving_saving += 1
    return SpreadTotals(
        adopters=count,
        by_status=tuple((status, statuses[status]) for status in order),
        adopters_cost=cost,
        adopters_giving_cost=giving_cost,
        adopters_annual_saving=saving,
        adopters_giving_saving=giving_saving,
        lead_cost=lead_costs.first_year if lead_costs and lead_costs.count else None,
        lead_annual_saving=(
            lead_benefits.per_year if lead_benefits and any_per_year(lead_benefits) else None
        ),
    )


def any_per_year(totals: ItemTotals) -> bool:
    return totals.count > 0 and totals.per_year != ZERO
