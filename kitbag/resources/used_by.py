"""What used a resource: how each kind of "used by" key is shown, registered by its owner.

A `Use` holds a key "kind:id". Each kind is registered once with `register_use_kind(kind, show)`,
where `show(ids, viewer)` returns, for the ids the viewer may see, a `UsedByLink` (label and
address); an id it leaves out is not shown, so a draft case or a private event never appears on a
resource page. Cases and consultations are registered here (apps.py); partnerships and events
register themselves from their own apps, so this app never needs to know them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from kitbag.resources.models import Use

KEY: Final = re.compile(r"^(?P<kind>[a-z][a-z-]{0,30}):(?P<id>[A-Za-z0-9_.-]{1,80})$")


@dataclass(frozen=True)
class UsedByLink:
    kind: str
    label: str
    url: str


ShowFunction = Callable[[list[str], Any], dict[str, UsedByLink]]
_kinds: dict[str, ShowFunction] = {}


def register_use_kind(kind: str, show: ShowFunction) -> None:
    _kinds[kind] = show


def check_key(key: str) -> None:
    match = KEY.match(key)
    if match is None:
        raise ValueError(f"{key!r} is not a key like 'case:<id>'")
    if match["kind"] not in _kinds:
        raise ValueError(f"nothing shows uses of kind {match['kind']!r}")


def links_for(uses: Iterable[Use], viewer: Any) -> list[UsedByLink]:
    """The uses the viewer may see, one query per kind however many uses there are."""
    ordered = list(uses)
    ids: dict[str, list[str]] = defaultdict(list)
    for use in ordered:
        ids[use.kind].append(use.object_id)
    shown: dict[str, dict[str, UsedByLink]] = {
        kind: _kinds[kind](kind_ids, viewer) for kind, kind_ids in ids.items() if kind in _kinds
    }
    return [
        shown[use.kind][use.object_id]
        for use in ordered
        if use.object_id in shown.get(use.kind, {})
    ]


def show_cases(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    import uuid

    from kitbag.cases.permissions import visible_cases

    wanted = []
    for value in ids:
        try:
            wanted.append(uuid.UUID(value))
        except ValueError:
            continue
    cases = visible_cases(viewer).public().filter(uuid__in=wanted).only("uuid", "slug", "title")
    return {
        str(case.uuid): UsedByLink(kind="case", label=case.title, url=case.get_absolute_url())
        for case in cases
    }


def show_consultations(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    from kitbag.consultations.permissions import visible_consultations

    consultations = visible_consultations(viewer).filter(slug__in=ids).only("slug", "title")
    return {
        c.slug: UsedByLink(kind="consultation", label=c.title, url=c.get_absolute_url())
        for c in consultations
    }
