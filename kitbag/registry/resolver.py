"""Name resolution against the registry: any messy name to one organisation, with a score.

INTERFACE STUB: being implemented. The public interface below is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Match:
    organisation_id: int
    slug: str
    code: str  # the body's primary identifier (see models.PRIMARY_SCHEME)
    kind: str
    name: str  # official name
    score: float  # 0..1


@dataclass(frozen=True)
class Resolution:
    query: str
    best: Match | None  # None when there is no confident match
    alternatives: list[Match] = field(default_factory=list)


def resolve_name(name: str, *, kind: str | None = None, limit: int = 5) -> Resolution:
    raise NotImplementedError


def invalidate_index() -> None:
    """Importers call this after changing organisations or names, so the next lookup rebuilds."""
