"""What happened on Kitbag, announced by each part for whoever listens: one small interface.

A part says what happened with `publish_happening(Happening(...))`: its kind ("case-published"),
a title, the page's URL, when, the followable things it concerns as string keys
("organisation:12", "case:34", "service:1234", "tag:open-data", "person:5") and which object's
current visibility governs who may read it (`visible_through=("case", 34)`; None when anyone may).
Parts never import the listener (kitbag/follows): receivers register here with
`add_happening_receiver`, so a part that publishes works the same with no receiver at all.

Who may see a happening is decided when it is read (a digest, the notifications page, a feed), not
when it is published: a case published and then returned to draft stops reaching people who may
not see drafts. Each part that names a kind in `visible_through` registers that kind with
`register_followable(...)`: `visible(viewer)` is a queryset of the objects of that kind the viewer
may see, whose primary keys are the keys' identifiers (the part's own `visible_*` helper, so the
rule is the part's), and `describe(identifiers)` names them for "what I follow".

Publishing happens inside the part's own transaction: if its write rolls back, so does the record.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


def key_of(kind: str, identifier: object) -> str:
    """The followable key of a thing: key_of("case", 34) == "case:34"."""
    return f"{kind}:{identifier}"


def split_key(key: str) -> tuple[str, str]:
    """("case", "34") from "case:34"; ValueError for text that is not a key."""
    kind, sep, identifier = key.partition(":")
    if not sep or not kind or not identifier or len(key) > 200:
        raise ValueError(f"{key!r} is not a followable key")
    return kind, identifier


@dataclass(frozen=True)
class Happening:
    kind: str  # what happened, as a slug: "case-published", "consultation-response"
    title: str  # one line a person reads in a digest: "Camden published: Digital parking permits"
    url: str  # the page, as a path from the site's root ("/cases/digital-parking/")
    happened_at: dt.datetime
    concerns: Sequence[str]  # followable keys, see key_of()
    # The object whose visibility decides who may read it, as (kind, primary key); None: anyone.
    visible_through: tuple[str, int] | None = None
    summary: str = ""


Receiver = Callable[[Happening], object]
_receivers: dict[str, Receiver] = {}


def add_happening_receiver(name: str, receiver: Receiver) -> None:
    """Listen to every happening (replaced by name: ready() may run twice in tests)."""
    _receivers[name] = receiver


def remove_happening_receiver(name: str) -> None:
    _receivers.pop(name, None)


def publish_happening(happening: Happening) -> None:
    """Tell every receiver. Called by a part's service inside its transaction."""
    for key in happening.concerns:
        split_key(key)
    for receiver in list(_receivers.values()):
        receiver(happening)


VisibleObjects = Callable[[Any], QuerySet[Any]]
Describe = Callable[[Iterable[str]], Mapping[str, tuple[str, str]]]


@dataclass(frozen=True)
class Followable:
    kind: str  # the key's prefix: "case"
    label: str | Promise  # what one is called: "Case"
    # Names and page URLs of things of this kind: {identifier: (name, url)}; unknown ones left out.
    describe: Describe
    # The things of this kind the viewer may see (the part's own rule), as a queryset whose primary
    # keys are the identifiers in keys and in `visible_through`. None: every one is public.
    visible: VisibleObjects | None = None


_followables: dict[str, Followable] = {}


def register_followable(followable: Followable) -> None:
    """Make a kind of key followable with a name and a visibility rule (replaced by kind)."""
    _followables[followable.kind] = followable


def followable(kind: str) -> Followable | None:
    return _followables.get(kind)


def all_followables() -> list[Followable]:
    return sorted(_followables.values(), key=lambda f: f.kind)


# When one thing is merged into another (a project combined into the one that stayed), whoever
# held something under the old key (a follow) holds it under the new one. Listeners register a
# mover, as receivers do, so the part merging imports no listener.
KeyMover = Callable[[str, str], int]
_key_movers: dict[str, KeyMover] = {}


def add_key_mover(name: str, mover: KeyMover) -> None:
    """Listen for merged things (replaced by name: ready() may run twice in tests)."""
    _key_movers[name] = mover


def move_key(old: str, new: str) -> int:
    """Tell every listener that ``old`` now lives on as ``new``; returns how many records moved.
    Called by a part's service inside its transaction."""
    split_key(old)
    split_key(new)
    return sum(mover(old, new) for mover in list(_key_movers.values()))
