"""What one import run did: counts of rows by outcome, and the reasons for what it left out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportReport:
    source: str
    location: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows of the source's main file that were not imported, each with why.
    rejections: list[str] = field(default_factory=list)
    # Values left out of rows that were imported (a mis-encoded alias, an unknown parent).
    skipped: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.CREATED:
            self.created += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def reject(self, *, file: str, line: int, reason: str) -> None:
        self.rejections.append(f"{file}, line {line}: {reason}")

    def skip(self, message: str) -> None:
        self.skipped.append(message)

    @property
    def messages(self) -> list[str]:
        return [f"rejected: {m}" for m in self.rejections] + [f"skipped: {m}" for m in self.skipped]

    def reasons(self) -> list[tuple[str, list[str]]]:
        """Each kind of message a command lists under the summary, with its label."""
        return [("rejected", self.rejections), ("skipped", self.skipped)]

    def notes(self, *, verbosity: int) -> list[str]:
        """Further lines a command prints after the reasons; a source's report may add some."""
        return []

    def summary(self) -> str:
        line = (
            f"{self.source}: {self.rows_read} rows read, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.skipped:
            line += f", {len(self.skipped)} values skipped"
        return line
