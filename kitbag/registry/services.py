"""Writes to the registry, with their rules.

- A new organisation gets a readable slug that never changes afterwards; a clash is settled by a
  deterministic suffix, never by chance.
- ``search_text`` is rebuilt from the names whenever they change.
- Every write compares before saving, so applying the same data twice touches no row.
- Each source owns what it wrote (the names it gave, the identifier schemes and links it manages)
  and never deletes what another source or a person added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.utils.text import slugify

from kitbag.core.importing.report import Outcome
from kitbag.registry.models import (
    Identifier,
    Organisation,
    OrganisationName,
    ParentLink,
    Succession,
)

SLUG_MAX_LENGTH: Final = 120  # Organisation.slug's max_length
# Room left for suffixes such as "-2023" or "-rxx" when a base slug is cut short.
_SLUG_BASE_LENGTH: Final = SLUG_MAX_LENGTH - 20


@dataclass(frozen=True)
class WantedIdentifier:
    scheme: str
    value: str
    is_current: bool = True


@dataclass(frozen=True)
class WantedName:
    name: str
    language: str = "en"
    is_official: bool = False


def search_text_for(*, name: str, short_name: str, aliases: Iterable[str]) -> str:
    """Lower-cased official name, short name and aliases, each once, for a one-query search."""
    parts: list[str] = []
    for text in (name, short_name, *sorted(aliases, key=str.casefold)):
        lowered = " ".join(text.lower().split())
        if lowered and lowered not in parts:
            parts.append(lowered)
    return " ".join(parts)


def refresh_search_text(organisation: Organisation) -> bool:
    """Rebuild one organisation's search_text from the database; True when it changed."""
    text = search_text_for(
        name=organisation.name,
        short_name=organisation.short_name,
        aliases=organisation.names.values_list("name", flat=True),
    )
    if text == organisation.search_text:
        return False
    organisation.search_text = text
    organisation.save(update_fields=["search_text", "updated_at"])
    return True


class SlugAllocator:
    """Hands out slugs no organisation has, trying a base and then deterministic suffixes."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)

    @classmethod
    def from_database(cls) -> SlugAllocator:
        return cls(Organisation.objects.values_list("slug", flat=True))

    def allocate(self, base: str, *, suffixes: Sequence[str] = ()) -> str:
        root = _cut(slugify(base)) or "organisation"
        candidates = [root, *(f"{root}-{slugify(s)}" for s in suffixes if slugify(s))]
        for candidate in candidates:
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        # Only reached when every suffix is taken too; numbering keeps it deterministic.
        number = 2
        while f"{candidates[-1]}-{number}" in self._taken:
            number += 1
        slug = f"{candidates[-1]}-{number}"
        self._taken.add(slug)
        return slug


def _cut(slug: str) -> str:
    if len(slug) <= _SLUG_BASE_LENGTH:
        return slug
    return slug[:_SLUG_BASE_LENGTH].rsplit("-", 1)[0]


def assign_changed_fields(organisation: Organisation, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ and return their field names (nothing is saved)."""
    changed = []
    for field_name, value in values.items():
        if getattr(organisation, field_name) != value:
            setattr(organisation, field_name, value)
            changed.append(field_name)
    return changed


class OrganisationWriter:
    """Writes one source's organisations in one import run.

    Existing organisations are loaded once, keyed by the source's identifier scheme, with their
    identifiers, names and links, so comparing a whole file costs a handful of queries.
    """

    def __init__(
        self,
        *,
        source: str,
        key_scheme: str,
        identifier_schemes: Collection[str] = (),
        on_skip: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.source = source
        self.key_scheme = key_scheme
        self.identifier_schemes = frozenset({key_scheme, *identifier_schemes})
        self.on_skip = on_skip
        self.existing: dict[str, Organisation] = {}
        self._created: set[int] = set()
        self._slugs: SlugAllocator | None = None
        organisations = (
            Organisation.objects.filter(identifiers__scheme=key_scheme)
            .distinct()
            .prefetch_related("identifiers", "names", "parent_links", "successor_links")
        )
        for organisation in organisations:
            for identifier in organisation.identifiers.all():
                if identifier.scheme == key_scheme:
                    self.existing[identifier.value] = organisation
        self._owners: dict[tuple[str, str], int] = {
            (scheme, value): organisation_id
            for scheme, value, organisation_id in Identifier.objects.filter(
                scheme__in=self.identifier_schemes
            ).values_list("scheme", "value", "organisation_id")
        }

    def get(self, key: str) -> Organisation | None:
        return self.existing.get(key)

    def upsert(
        self,
        *,
        key: str,
        kind: str,
        fields: Mapping[str, Any],
        identifiers: Sequence[WantedIdentifier],
        names: Sequence[WantedName] = (),
        slug_base: str,
        slug_suffixes: Sequence[str] = (),
    ) -> tuple[Organisation, Outcome]:
        organisation = self.existing.get(key)
        if organisation is None:
            if self._slugs is None:
                self._slugs = SlugAllocator.from_database()
            organisation = Organisation(kind=kind, **fields)
            organisation.slug = self._slugs.allocate(slug_base, suffixes=slug_suffixes)
            organisation.search_text = search_text_for(
                name=organisation.name,
                short_name=organisation.short_name,
                aliases=[w.name for w in names],
            )
            organisation.save()
            self._created.add(organisation.pk)
            self.existing[key] = organisation
            self.sync_identifiers(organisation, identifiers)
            self.update(organisation, names=names)
            return organisation, Outcome.CREATED
        changed_fields = assign_changed_fields(organisation, {"kind": kind, **fields})
        changed = self.sync_identifiers(organisation, identifiers)
        changed |= self.update(organisation, names=names, pending_fields=changed_fields)
        return organisation, Outcome.UPDATED if changed else Outcome.UNCHANGED

    def update(
        self,
        organisation: Organisation,
        *,
        fields: Mapping[str, Any] | None = None,
        names: Sequence[WantedName] | None = None,
        take_over_names: bool = False,
        pending_fields: Sequence[str] = (),
    ) -> bool:
        """Apply field values and this source's names to one organisation; True if anything changed.

        ``names=None`` leaves names alone; a sequence replaces this source's names with it.
        With ``take_over_names`` a wanted name already held by another source becomes this
        source's (the Welsh names do this: they know the language of a name mySociety lists).
        """
        changed_fields = list(pending_fields)
        if fields:
            changed_fields += assign_changed_fields(organisation, fields)
        names_changed = False
        if names is not None:
            names_changed, all_names = self._sync_names(organisation, names, take_over_names)
            text = search_text_for(
                name=organisation.name, short_name=organisation.short_name, aliases=all_names
            )
            if text != organisation.search_text:
                organisation.search_text = text
                changed_fields.append("search_text")
        if changed_fields:
            organisation.save(update_fields=sorted({*changed_fields, "updated_at"}))
        return bool(changed_fields) or names_changed

    def sync_identifiers(
        self, organisation: Organisation, wanted: Sequence[WantedIdentifier]
    ) -> bool:
        """Make the organisation's identifiers in this source's schemes exactly ``wanted``."""
        wanted_by_key = {(w.scheme, w.value): w for w in wanted}
        changed = False
        held: set[tuple[str, str]] = set()
        for identifier in self._related(organisation, "identifiers"):
            assert isinstance(identifier, Identifier)
            key = (identifier.scheme, identifier.value)
            if identifier.scheme not in self.identifier_schemes:
                continue
            held.add(key)
            if key not in wanted_by_key:
                identifier.delete()
                self._owners.pop(key, None)
                changed = True
            elif identifier.is_current != wanted_by_key[key].is_current:
                identifier.is_current = wanted_by_key[key].is_current
                identifier.save(update_fields=["is_current"])
                changed = True
        for key, identifier_wanted in wanted_by_key.items():
            if key in held:
                continue
            owner = self._owners.get(key)
            if owner is not None and owner != organisation.pk:
                self.on_skip(
                    f"{key[0]} {key[1]!r} for {organisation.name} is already held by "
                    f"organisation #{owner}; not added"
                )
                continue
            Identifier.objects.create(
                organisation=organisation,
                scheme=identifier_wanted.scheme,
                value=identifier_wanted.value,
                is_current=identifier_wanted.is_current,
            )
            self._owners[key] = organisation.pk
            changed = True
        return changed

    def _sync_names(
        self, organisation: Organisation, wanted: Sequence[WantedName], take_over: bool
    ) -> tuple[bool, list[str]]:
        # Names match ignoring case, so a source never adds "camden" beside another's "Camden".
        rows = {row.name.casefold(): row for row in self._related(organisation, "names")}
        wanted_by_key = {w.name.casefold(): w for w in wanted}
        changed = False
        for key, row in list(rows.items()):
            assert isinstance(row, OrganisationName)
            if row.source == self.source and key not in wanted_by_key:
                row.delete()
                del rows[key]
                changed = True
        for key, name_wanted in wanted_by_key.items():
            row = rows.get(key)
            if row is None:
                rows[key] = OrganisationName.objects.create(
                    organisation=organisation,
                    name=name_wanted.name,
                    language=name_wanted.language,
                    is_official=name_wanted.is_official,
                    source=self.source,
                )
                changed = True
                continue
            if row.source != self.source and not take_over:
                continue
            values = {
                "name": name_wanted.name,
                "language": name_wanted.language,
                "is_official": name_wanted.is_official,
                "source": self.source,
            }
            changed_fields = [f for f, v in values.items() if getattr(row, f) != v]
            if changed_fields:
                for field_name in changed_fields:
                    setattr(row, field_name, values[field_name])
                row.save(update_fields=changed_fields)
                changed = True
        return changed, [row.name for row in rows.values()]

    def sync_parents(
        self,
        child: Organisation,
        wanted: Iterable[tuple[Organisation, str]],
        *,
        relations: Collection[str],
    ) -> bool:
        """Make the child's parent links of the given relations exactly ``wanted``."""
        wanted_keys = {(parent.pk, relation) for parent, relation in wanted}
        changed = False
        held = set()
        for link in self._related(child, "parent_links"):
            assert isinstance(link, ParentLink)
            if link.relation not in relations:
                continue
            key = (link.parent_id, link.relation)
            held.add(key)
            if key not in wanted_keys:
                link.delete()
                changed = True
        for parent_id, relation in sorted(wanted_keys - held):
            ParentLink.objects.create(child=child, parent_id=parent_id, relation=relation)
            changed = True
        return changed

    def sync_successors(
        self, predecessor: Organisation, wanted: Iterable[tuple[Organisation, dt.date | None]]
    ) -> bool:
        """Make the organisation's successors exactly ``wanted`` (successor, date of succession)."""
        wanted_dates = {successor.pk: date for successor, date in wanted}
        changed = False
        held = set()
        for link in self._related(predecessor, "successor_links"):
            assert isinstance(link, Succession)
            held.add(link.successor_id)
            if link.successor_id not in wanted_dates:
                link.delete()
                changed = True
            elif link.date != wanted_dates[link.successor_id]:
                link.date = wanted_dates[link.successor_id]
                link.save(update_fields=["date"])
                changed = True
        for successor_id in sorted(set(wanted_dates) - held):
            Succession.objects.create(
                predecessor=predecessor, successor_id=successor_id, date=wanted_dates[successor_id]
            )
            changed = True
        return changed

    def _related(self, organisation: Organisation, name: str) -> list[Any]:
        # An organisation created in this run has nothing related yet: no need to ask.
        if organisation.pk in self._created:
            return []
        return list(getattr(organisation, name).all())
