"""The shape a JSON field's value must have, declared as JSON Schema and checked before saving.

A JSONField takes any JSON; a field filled from a form, an API or an imported file must not. Each
such field declares its shape here or beside its model (decision 0023), and is checked against it:
the importers before anything is written, forms as they are cleaned, and the model's `save()`
as the last word (`check_json_fields`). Every shape bounds depth and size, so arbitrary nested
JSON is refused with an error naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as ValidationError_
from jsonschema.exceptions import best_match

GSS_CODE_PATTERN: Final = r"^[EWSNK][0-9]{8}$"
# How many areas a case may list: every council and combined authority of the UK is under 500.
MAX_AREA_CODES: Final = 500
PROVENANCE_MAX_KEYS: Final = 32
PROVENANCE_MAX_ITEMS: Final = 100
PROVENANCE_MAX_STRING: Final = 2_000


@dataclass(frozen=True)
class JsonShape:
    """A JSON Schema with a plain description of it, for messages: "a list of GSS codes"."""

    description: str
    schema: Mapping[str, Any]
    _validator: Draft202012Validator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        Draft202012Validator.check_schema(self.schema)
        object.__setattr__(self, "_validator", Draft202012Validator(self.schema))

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value`, in a sentence, or None when it has the shape."""
        error = best_match(self._validator.iter_errors(value))
        if error is None:
            return None
        where = "".join(
            f"[{step}]" if isinstance(step, int) else f".{step}" for step in error.absolute_path
        )
        found = f" (at {where.lstrip('.')})" if where else ""
        return f"must be {self.description}: {_message(error)}{found}"


def _message(error: ValidationError_) -> str:
    # jsonschema starts most messages with the wrong value, whole; a huge one would make a huge
    # message, so it is shortened. "Not valid under any of the given schemas" says nothing to
    # whoever reads it.
    value = repr(error.instance)
    short = value if len(value) <= 60 else value[:59] + "…"
    if error.validator == "anyOf":
        return f"{short} is not of a kind allowed there (too deep, or too long)"
    message = str(error.message)
    return short + message[len(value) :] if message.startswith(value) else message


def choice_list(values: Iterable[str], *, description: str) -> JsonShape:
    """A list of distinct values, each one of `values`."""
    allowed = sorted(values)
    return JsonShape(
        description=description,
        schema={
            "type": "array",
            "items": {"enum": allowed},
            "uniqueItems": True,
            "maxItems": len(allowed),
        },
    )


GSS_CODES = JsonShape(
    description=f"a list of at most {MAX_AREA_CODES} GSS codes, like E09000007",
    schema={
        "type": "array",
        "items": {"type": "string", "pattern": GSS_CODE_PATTERN},
        "uniqueItems": True,
        "maxItems": MAX_AREA_CODES,
    },
)

_SCALAR: Final = {
    "anyOf": [
        {"type": "string", "maxLength": PROVENANCE_MAX_STRING},
        {"type": ["number", "boolean", "null"]},
    ]
}
# Where an imported record came from: short names, numbers and addresses, one level of grouping
# at most (IPS-X's catalogue, ATRS's list of organisations).
PROVENANCE = JsonShape(
    description=(
        f"an object of at most {PROVENANCE_MAX_KEYS} short values, lists or objects of them "
        "(no deeper)"
    ),
    schema={
        "type": "object",
        "maxProperties": PROVENANCE_MAX_KEYS,
        "propertyNames": {"maxLength": 64},
        "additionalProperties": {
            "anyOf": [
                _SCALAR,
                {"type": "array", "maxItems": PROVENANCE_MAX_ITEMS, "items": _SCALAR},
                {
                    "type": "object",
                    "maxProperties": PROVENANCE_MAX_KEYS,
                    "propertyNames": {"maxLength": 64},
                    "additionalProperties": _SCALAR,
                },
            ]
        },
    },
)


def check_json_fields(instance: Any, shapes: Mapping[str, JsonShape]) -> None:
    """Raise a ValidationError naming each of the instance's JSON fields that is not its shape."""
    errors = {
        name: problem
        for name, shape in shapes.items()
        if (problem := shape.problem(getattr(instance, name))) is not None
    }
    if errors:
        raise ValidationError(errors)
