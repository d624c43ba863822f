"""What text Kitbag will store: no NUL or other control characters, and no more than a field holds.

One rule for every way text comes in. The importers apply it to every value they read
(`kitbag.core.importing`), and forms and API serializers to every text field a person fills
(`kitbag.core.forms`, `kitbag.api.text_fields`), through `kitbag.core.validators.TextValidator`.
Pure: no Django, so anything can call it.

Refused anywhere: NUL and the other C0 control characters except tab, line feed and carriage
return; DEL; and lone surrogates (a JSON file can spell one as "\\ud800", but no database can store
it). A single-line field also refuses line breaks. Tab is allowed: spreadsheets paste it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Final, Protocol

# The cap on a long piece of prose (a case's sections, a report's narrative) that has no
# max_length of its own: about 3,000 words, ten times the longest description in the real data.
LONG_TEXT_MAX_LENGTH: Final = 20_000

_NOT_TEXT: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAK: Final = re.compile(r"[\n\r]")


class Problem(enum.Enum):
    CONTROL_CHARACTER = "control_character"
    LINE_BREAK = "line_break"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class TextProblem:
    """Why a value cannot be stored: `kind`, and the character or length that is wrong."""

    kind: Problem
    character: str = ""  # the first character refused, for CONTROL_CHARACTER
    position: int = 0  # where it is, counting from 1
    length: int = 0  # the value's length, for TOO_LONG
    max_length: int = 0

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.character):04X}"

    def describe(self) -> str:
        """The problem as an import error says it, after "file, line N, field F: "."""
        return self._phrases()[0]

    def sentence(self, name: str) -> str:
        """The problem as an error message about the field called `name`, as GOV.UK words them."""
        return f"{name} {self._phrases()[1]}"

    def _phrases(self) -> tuple[str, str]:
        if self.kind is Problem.CONTROL_CHARACTER:
            where = f"{self.code_point} at character {self.position}"
            return (
                f"the value contains the control character {where}",
                f"must not contain control characters: remove the {where}",
            )
        if self.kind is Problem.LINE_BREAK:
            return (
                f"the value has a line break at character {self.position}; it must be one line",
                "must be on one line",
            )
        return (
            f"the value is {self.length:,} characters long; the most it can be is "
            f"{self.max_length:,}",
            f"must be {self.max_length:,} characters or fewer (it is {self.length:,})",
        )


def text_problem(
    value: str, *, max_length: int | None = LONG_TEXT_MAX_LENGTH, single_line: bool = False
) -> TextProblem | None:
    """Why `value` cannot be stored in a field of `max_length`, or None when it can."""
    # Length first: it is the cheapest check and the one a huge value fails.
    if max_length is not None and len(value) > max_length:
        return TextProblem(Problem.TOO_LONG, length=len(value), max_length=max_length)
    refused = _NOT_TEXT.search(value)
    if refused is not None:
        return TextProblem(
            Problem.CONTROL_CHARACTER, character=refused.group(), position=refused.start() + 1
        )
    if single_line:
        line_break = _LINE_BREAK.search(value)
        if line_break is not None:
            return TextProblem(Problem.LINE_BREAK, position=line_break.start() + 1)
    return None


class _Field(Protocol):
    @property
    def max_length(self) -> int | None: ...


def max_length_of(field: _Field) -> int:
    """How long a value of a model field may be: its own max_length, else the long-text cap.

    A CharField has one in the database; a TextField has none there, so it gets
    LONG_TEXT_MAX_LENGTH unless the model gives it a smaller one.
    """
    return field.max_length or LONG_TEXT_MAX_LENGTH
