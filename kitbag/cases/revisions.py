"""Comparing two saved states of a case. Pure: snapshots are plain dicts, no Django here."""

from __future__ import annotations

import difflib
import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str

    @property
    def is_text(self) -> bool:
        return "\n" in self.before or "\n" in self.after or len(self.before + self.after) > 80

    def word_diff_html(self) -> str:
        """Escaped text with <del> and <ins> around the words that changed."""
        before, after = self.before.split(), self.after.split()
        out: list[str] = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                out.append(html.escape(" ".join(before[a1:a2])))
                continue
            if a2 > a1:
                out.append(f"<del>{html.escape(' '.join(before[a1:a2]))}</del>")
            if b2 > b1:
                out.append(f"<ins>{html.escape(' '.join(after[b1:b2]))}</ins>")
        return " ".join(out)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_as_text(item)}" for key, item in sorted(value.items()) if item)
    return str(value)


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Fields whose value differs, in the order of `after` (then fields only `before` had)."""
    names = list(after) + [name for name in before if name not in after]
    changes = []
    for name in names:
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        if old != new:
            changes.append(FieldChange(field=name, before=old, after=new))
    return changes
