"""The text rule (`kitbag.core.text_limits`) as a Django validator, for forms and API serializers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible

from kitbag.core.text_limits import LONG_TEXT_MAX_LENGTH, max_length_of, text_problem


@deconstructible
class TextValidator:
    """Refuses control characters, line breaks in a one-line field, and text over `max_length`.

    `name` is the field's label, for the message ("Summary must be 20,000 characters or fewer").
    Give `max_length=None` where another validator already checks the length.
    """

    def __init__(
        self,
        *,
        name: str = "This field",
        max_length: int | None = LONG_TEXT_MAX_LENGTH,
        single_line: bool = False,
    ) -> None:
        self.name = name
        self.max_length = max_length
        self.single_line = single_line

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        problem = text_problem(value, max_length=self.max_length, single_line=self.single_line)
        if problem is not None:
            raise ValidationError(problem.sentence(self.name), code=problem.kind.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and (
            self.name,
            self.max_length,
            self.single_line,
        ) == (other.name, other.max_length, other.single_line)

    def __hash__(self) -> int:
        return hash((self.name, self.max_length, self.single_line))


def add_text_validator(field: Any, *, name: str, model: Any, single_line: bool) -> None:
    """Give a form or serializer field the text rule, in place of Django's NUL check (ours names
    the field). A field with a max_length keeps Django's or DRF's check of it; one without gets
    its model field's, or the long-text cap."""
    validator = TextValidator(
        name=field_name(field.label, name),
        max_length=None if field.max_length is not None else max_length_on(model, name),
        single_line=single_line,
    )
    kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.validators = [*kept, validator]


def field_name(label: Any, fallback: str) -> str:
    """A field's label as the subject of an error message: "Notes", not "Notes (optional)"."""
    text = str(label or fallback.replace("_", " ")).strip()
    text = text.removesuffix("(optional)").strip().rstrip("?").strip()
    return text[:1].upper() + text[1:] if text else "This field"


def max_length_on(model: Any, name: str) -> int:
    """The most text `model`'s field `name` may hold; the long-text cap for a field not on it."""
    try:
        return max_length_of(model._meta.get_field(name)) if model else LONG_TEXT_MAX_LENGTH
    except FieldDoesNotExist:
        return LONG_TEXT_MAX_LENGTH
