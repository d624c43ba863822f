"""Clashes on an unconference grid, worked out from plain values: no Django, easy to test.

Three kinds, each named with the sessions involved:
- a host in two places at once: one host, two sessions whose slots overlap;
- two sessions in one room at once: one room, slots that overlap;
- a room too small for the interest: more people marked interest than the room seats.

Slots are compared by their times, not their ids, so two slots an organiser set up to overlap
(a long workshop beside two short sessions) still clash.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations


class ClashKind(enum.Enum):
    HOST_IN_TWO_PLACES = "host-in-two-places"
    ROOM_DOUBLE_BOOKED = "room-double-booked"
    ROOM_TOO_SMALL = "room-too-small"


@dataclass(frozen=True)
class PlacedSession:
    session_id: int
    host_id: int | None
    room_id: int
    room_capacity: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    interest: int


@dataclass(frozen=True)
class Clash:
    kind: ClashKind
    session_ids: tuple[int, ...]  # in ascending order

    def involves(self, session_id: int) -> bool:
        return session_id in self.session_ids


def overlap(a: PlacedSession, b: PlacedSession) -> bool:
    """True when the two times share more than an instant (back to back is no clash)."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def find_clashes(sessions: Iterable[PlacedSession]) -> list[Clash]:
    """Every clash among the placed sessions, in a stable order (kind, then sessions)."""
    placed = sorted(sessions, key=lambda s: s.session_id)
    found: set[Clash] = set()
    found.update(_pairs(placed, key=lambda s: s.host_id, kind=ClashKind.HOST_IN_TWO_PLACES))
    found.update(_pairs(placed, key=lambda s: s.room_id, kind=ClashKind.ROOM_DOUBLE_BOOKED))
    found.update(
        Clash(ClashKind.ROOM_TOO_SMALL, (s.session_id,))
        for s in placed
        if s.interest > s.room_capacity
    )
    order = list(ClashKind)
    return sorted(found, key=lambda c: (order.index(c.kind), c.session_ids))


def _pairs(
    placed: Sequence[PlacedSession],
    *,
    key: Callable[[PlacedSession], int | None],
    kind: ClashKind,
) -> Iterable[Clash]:
    groups: dict[int, list[PlacedSession]] = defaultdict(list)
    for session in placed:
        value = key(session)
        if value is not None:
            groups[value].append(session)
    for group in groups.values():
        for a, b in combinations(group, 2):
            if overlap(a, b):
                yield Clash(kind, tuple(sorted((a.session_id, b.session_id))))
