from __future__ import annotations

import datetime as dt

from kitbag.events.clashes import Clash, ClashKind, PlacedSession, find_clashes

NINE = dt.datetime(2027, 6, 12, 9, 0, tzinfo=dt.UTC)


def placed(
    session_id: int,
    *,
    host: int | None = None,
    room: int = 1,
    capacity: int = 20,
    start: int = 0,
    minutes: int = 45,
    interest: int = 1,
) -> PlacedSession:
    starts_at = NINE + dt.timedelta(minutes=start)
    return PlacedSession(
        session_id=session_id,
        host_id=host if host is not None else 100 + session_id,
        room_id=room,
        room_capacity=capacity,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        interest=interest,
    )


def test_sessions_in_different_rooms_and_hosts_do_not_clash() -> None:
    assert find_clashes([placed(1, room=1), placed(2, room=2)]) == []


def test_two_sessions_in_one_room_at_once_clash() -> None:
    assert find_clashes([placed(2, room=1), placed(1, room=1)]) == [
        Clash(ClashKind.ROOM_DOUBLE_BOOKED, (1, 2))
    ]


def test_one_room_back_to_back_is_no_clash() -> None:
    assert find_clashes([placed(1, room=1), placed(2, room=1, start=45)]) == []


def test_overlapping_slots_of_different_lengths_clash_in_one_room() -> None:
    workshop = placed(1, room=1, minutes=120)
    later = placed(2, room=1, start=60)
    assert find_clashes([workshop, later]) == [Clash(ClashKind.ROOM_DOUBLE_BOOKED, (1, 2))]


def test_a_host_in_two_places_at_once_clashes() -> None:
    assert find_clashes([placed(1, host=7, room=1), placed(2, host=7, room=2)]) == [
        Clash(ClashKind.HOST_IN_TWO_PLACES, (1, 2))
    ]


def test_a_host_in_two_sessions_at_different_times_is_fine() -> None:
    assert find_clashes([placed(1, host=7, room=1), placed(2, host=7, room=2, start=60)]) == []


def test_sessions_whose_host_left_never_clash_by_host() -> None:
    first = PlacedSession(1, None, 1, 20, NINE, NINE + dt.timedelta(hours=1), 1)
    second = PlacedSession(2, None, 2, 20, NINE, NINE + dt.timedelta(hours=1), 1)
    assert find_clashes([first, second]) == []


def test_a_room_too_small_for_the_interest_clashes() -> None:
    assert find_clashes([placed(1, capacity=8, interest=9)]) == [
        Clash(ClashKind.ROOM_TOO_SMALL, (1,))
    ]
    assert find_clashes([placed(1, capacity=8, interest=8)]) == []


def test_every_kind_is_reported_in_a_stable_order() -> None:
    sessions = [
        placed(3, host=5, room=1, capacity=2, interest=3),
        placed(1, host=5, room=2),
        placed(2, room=1),
    ]
    assert find_clashes(sessions) == [
        Clash(ClashKind.HOST_IN_TWO_PLACES, (1, 3)),
        Clash(ClashKind.ROOM_DOUBLE_BOOKED, (2, 3)),
        Clash(ClashKind.ROOM_TOO_SMALL, (3,)),
    ]
    assert find_clashes(reversed(sessions)) == find_clashes(sessions)
