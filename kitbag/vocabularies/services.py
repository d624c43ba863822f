"""Writing code lists: upsert on (list, code), compare before saving, never delete a code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.records import WantedCode, WantedList

CODE_FIELDS = (
    "label",
    "description",
    "parent_id",
    "sort_order",
    "is_deprecated",
    "source_created",
    "source_modified",
)


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0  # includes codes marked deprecated because the list no longer has them
    unchanged: int = 0

    def add(self, other: WriteCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@transaction.atomic
def write_code_list(*, wanted: WantedList, codes: Sequence[WantedCode]) -> WriteCounts:
    """Make the list hold exactly these codes, in this order; codes it no longer has are deprecated.

    Counts are per code. Parents must be codes of the same sequence (checked by the caller, which
    can name the file and line; here a bad parent is a programming error).
    """
    code_list = _upsert_list(wanted)
    existing = {code.code: code for code in Code.objects.filter(code_list=code_list)}
    # New codes are created with every value but their parent, whose key may not exist yet;
    # updating them afterwards with bulk_update (a CASE per field and row) cost more than the
    # rest of a list's write.
    new = [
        Code(code_list=code_list, code=w.code, sort_order=position, **_values_of(w))
        for position, w in enumerate(codes)
        if w.code not in existing
    ]
    if new:
        Code.objects.bulk_create(new)
        # Re-read rather than trust bulk_create to set primary keys on every database backend.
        existing = {code.code: code for code in Code.objects.filter(code_list=code_list)}
    created = {code.code for code in new}
    counts = WriteCounts(created=len(created))
    changed: list[Code] = []
    children_of: dict[int, list[int]] = {}  # parent's key -> keys of created codes under it
    for position, wanted_code in enumerate(codes):
        code = existing[wanted_code.code]
        parent_id = existing[wanted_code.parent].pk if wanted_code.parent else None
        if code.code in created:
            if parent_id is not None:
                children_of.setdefault(parent_id, []).append(code.pk)
            continue
        values = {
            **_values_of(wanted_code),
            "parent_id": parent_id,
            "sort_order": position,
            "is_deprecated": False,
        }
        if _assign(code, values):
            changed.append(code)
            counts.updated += 1
        else:
            counts.unchanged += 1
    for parent_id, child_ids in children_of.items():
        Code.objects.filter(pk__in=child_ids).update(parent_id=parent_id)
    still_listed = {w.code for w in codes}
    for code in existing.values():
        if code.code not in still_listed and not code.is_deprecated:
            code.is_deprecated = True
            changed.append(code)
            counts.updated += 1
    if changed:
        Code.objects.bulk_update(changed, fields=[f.removesuffix("_id") for f in CODE_FIELDS])
    return counts


@transaction.atomic
def load_builtin_lists() -> WriteCounts:
    counts = WriteCounts()
    for builtin in BUILTIN_LISTS:
        counts.add(write_code_list(wanted=builtin.list, codes=builtin.codes))
    return counts


def _values_of(wanted_code: WantedCode) -> dict[str, Any]:
    """The values a code takes from its wanted record, but for its parent and place."""
    return {
        "label": wanted_code.label,
        "description": wanted_code.description,
        "source_created": wanted_code.source_created,
        "source_modified": wanted_code.source_modified,
    }


def _upsert_list(wanted: WantedList) -> CodeList:
    values = {
        "name": wanted.name,
        "publisher": wanted.publisher,
        "url": wanted.url,
        "version": wanted.version,
    }
    code_list, created = CodeList.objects.get_or_create(slug=wanted.slug, defaults=values)
    if not created and _assign(code_list, values):
        code_list.save()
    return code_list


def _assign(instance: Code | CodeList, values: dict[str, Any]) -> bool:
    """Set the values that differ; True if any did."""
    differs = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            differs = True
    return differs
