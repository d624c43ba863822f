"""What every form people type into shares: text fields that store only what can be stored."""

from __future__ import annotations

from typing import Any

from django import forms

from kitbag.core.validators import add_text_validator


class TextLimitsMixin(forms.BaseForm):
    """Every text field refuses control characters, and line breaks unless it is a Textarea.

    A field with no max_length of its own gets its model field's (`text_limits.max_length_of`),
    checked by a validator rather than the `maxlength` attribute: a browser silently cuts pasted
    text at `maxlength`, whereas the validator shows the whole text again with the error.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                single_line = not isinstance(field.widget, forms.Textarea)
                add_text_validator(field, name=name, model=model, single_line=single_line)
