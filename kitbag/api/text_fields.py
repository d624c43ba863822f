"""What every serializer a client writes through shares: text fields that store only what can be
stored (the rule is `kitbag.core.text_limits`; forms have the same in `kitbag.core.forms`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field

from kitbag.core.validators import add_text_validator

# DRF's way of saying a text field is more than one line: the browsable API draws a textarea,
# and ModelSerializer gives it to every TextField.
MULTILINE: dict[str, Any] = {"base_template": "textarea.html"}


class TextLimitsSerializerMixin(serializers.Serializer[Any]):
    """Every writable text field refuses control characters, and line breaks unless it is
    MULTILINE; one with no max_length of its own gets its model field's (or the long-text cap).
    A wrong value is a 400 that maps the field to what is wrong."""

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            if isinstance(field, serializers.CharField) and not field.read_only:
                single_line = field.style.get("base_template") != MULTILINE["base_template"]
                add_text_validator(field, name=name, model=model, single_line=single_line)
        return fields


def optional_prose(*, max_length: int) -> serializers.CharField:
    """An optional text of more than one line, blank when not sent."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length,
        default="",
        trim_whitespace=True,
        style=MULTILINE,
    )
