"""Name resolution against the registry: any messy name to one organisation, with a score.

The rules live in `name_matching.py`, which knows nothing of Django. This module keeps one index per
process, built from the database in two queries, and rebuilds it when the registry changes: writers
call `invalidate_index()`, which stores a new version token in Django's cache (Redis in
production, so every process sees it), and readers compare tokens at most once a second.
See docs/decisions/0005-name-resolution.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from kitbag.registry import name_matching
from kitbag.registry.models import Organisation, OrganisationKind, OrganisationName

logger = logging.getLogger(__name__)

VERSION_CACHE_KEY = "registry:names-version"
# How stale a process may be after another one changes the registry: a cache round trip on every
# lookup would cost more than the lookup itself.
VERSION_CHECK_SECONDS = 1.0


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
    """The organisation `name` most likely means, or None; `alternatives` holds up to `limit` other
    plausible ones (the tied ones first when the name is ambiguous and `best` is None)."""
    if kind is not None and kind not in OrganisationKind.values:
        raise ValueError(f"Unknown kind {kind!r}: use one of {', '.join(OrganisationKind.values)}.")
    loaded = _current_index()
    outcome = loaded.index.resolve(name, kind=kind, limit=limit, today=dt.date.today())
    return Resolution(
        query=name,
        best=loaded.match(outcome.best) if outcome.best else None,
        alternatives=[loaded.match(candidate) for candidate in outcome.alternatives],
    )


def invalidate_index() -> None:
    """Importers call this after changing organisations or names, so the next lookup rebuilds."""
    global _checked_at
    _publish_new_version()
    _checked_at = -math.inf
    # Another process could rebuild from the old rows before this transaction commits and keep
    # that index under the new token; a second token after the commit makes it look again.
    if transaction.get_connection().in_atomic_block:
        # The rows are committed by then: a cache error is logged rather than failing the import.
        transaction.on_commit(_publish_new_version, robust=True)


def forget_index_in_memory() -> None:
    """Drop this process's index so the next lookup rebuilds it, without touching the cache.

    For tests, whose rolled-back rows would otherwise outlive them in the index.
    """
    global _loaded, _checked_at
    with _lock:
        _loaded = None
        _checked_at = -math.inf


@dataclass(frozen=True)
class _LoadedIndex:
    version: str
    index: name_matching.NameIndex
    matches: dict[int, Match]  # by organisation id, score 0

    def match(self, candidate: name_matching.Candidate) -> Match:
        found = self.matches[candidate.body_id]
        return Match(
            organisation_id=found.organisation_id,
            slug=found.slug,
            code=found.code,
            kind=found.kind,
            name=found.name,
            score=round(candidate.score, 4),
        )


_lock = threading.Lock()
_loaded: _LoadedIndex | None = None
_checked_at = -math.inf
# Seconds that only ever go forward; a name of its own so tests can move it on.
_clock = time.monotonic


def registry_version() -> str | None:
    """A token that changes whenever an import changes the registry; None if the cache is down.

    Pages built from the registry use it in their cache keys, so an import makes them fresh.
    """
    return _shared_version()


def _publish_new_version() -> None:
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)


def _current_index() -> _LoadedIndex:
    global _loaded, _checked_at
    loaded = _loaded
    if loaded is not None and _clock() - _checked_at < VERSION_CHECK_SECONDS:
        return loaded
    with _lock:
        version = _shared_version()
        # The version is read before the rows, so a change made during the build is not missed.
        if _loaded is None or (version is not None and _loaded.version != version):
            _loaded = _build_index(version or "")
        _checked_at = _clock()
        return _loaded


def _shared_version() -> str | None:
    """The version other processes see; None when the cache cannot be reached."""
    try:
        version = cache.get(VERSION_CACHE_KEY)
        if version is None:
            # Never published, or lost (evicted, cache cleared): no one can say what changed
            # since, so start a new version, which makes every process rebuild once.
            cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_CACHE_KEY)
    except Exception:
        # A cache outage should not stop lookups: the index in memory is at worst stale.
        # (Writers are not so forgiven: invalidate_index() lets the error stop the import.)
        logger.warning("Cannot read the name index version from the cache", exc_info=True)
        return None
    return None if version is None else str(version)


def _build_index(version: str) -> _LoadedIndex:
    started = time.perf_counter()
    bodies: list[name_matching.Body] = []
    names: list[name_matching.Name] = []
    matches: dict[int, Match] = {}
    organisations = Organisation.objects.values_list(
        "id", "kind", "name", "short_name", "code", "slug", "end_date"
    )
    for org_id, kind, official_name, short_name, code, slug, end_date in organisations:
        bodies.append(name_matching.Body(id=org_id, kind=kind, end_date=end_date))
        names.append(name_matching.Name(body_id=org_id, text=official_name, official=True))
        if short_name:
            names.append(name_matching.Name(body_id=org_id, text=short_name))
        matches[org_id] = Match(
            organisation_id=org_id, slug=slug, code=code, kind=kind, name=official_name, score=0.0
        )
    for org_id, name, is_official in OrganisationName.objects.values_list(
        "organisation_id", "name", "is_official"
    ):
        names.append(name_matching.Name(body_id=org_id, text=name, official=is_official))
    index = name_matching.NameIndex(bodies, names)
    logger.info(
        "Name index built: %d organisations, %d names in %.3fs",
        len(bodies),
        len(names),
        time.perf_counter() - started,
    )
    return _LoadedIndex(version=version, index=index, matches=matches)
