"""What the serializers of every domain share when they read: absolute links, and blanks as null.

Writable text fields have their own module, text_fields.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute_url(context: Mapping[str, Any], path: str) -> str:
    """`path` as a full address, from the request in a serializer's context (the path alone when
    there is no request, as when the schema is generated)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.STR)
class LinkField(serializers.Field):
    """The full address of the view `view_name` for the object being serialized. Each URL keyword
    is read from the object's attribute named beside it; by default the slug
    (`LinkField("api_partnership_detail")`)."""

    def __init__(
        self, view_name: str, *, url_kwargs: Mapping[str, str] | None = None, **options: Any
    ) -> None:
        self.view_name = view_name
        self.url_kwargs = dict(url_kwargs or {"slug": "slug"})
        super().__init__(read_only=True, source="*", **options)

    def to_representation(self, value: Any) -> str:
        kwargs = {name: getattr(value, attribute) for name, attribute in self.url_kwargs.items()}
        return absolute_url(self.context, reverse(self.view_name, kwargs=kwargs))


class BlankAsNull:
    """A blank value means "not known": null in JSON, never "" where the schema promises a URI
    or one of a list of values."""

    def get_attribute(self, instance: Any) -> Any:
        # DRF writes null for a None attribute without calling to_representation.
        return super().get_attribute(instance) or None  # type: ignore[misc]


class BlankAsNullURLField(BlankAsNull, serializers.URLField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)


class BlankAsNullChoiceField(BlankAsNull, serializers.ChoiceField):
    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)
