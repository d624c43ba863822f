"""What the OpenAPI schema says alike across the API, written once.

- Every endpoint is throttled (throttles.py), so every operation may answer 429: added after
  drf-spectacular runs, rather than fifteen copies of one sentence on the views.
- How to send a token (`KitbagTokenScheme`, loaded by ApiConfig.ready()).
- A list's query parameters, read from the FilterSet its page uses (`filter_parameters`).
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter

THROTTLED_RESPONSE: dict[str, Any] = {
    "description": (
        "Too many requests from this address (not signed in) or this person in a short time. "
        "The Retry-After header and `retry_after` give the seconds to wait."
    ),
    "headers": {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 1},
            "description": "Seconds to wait before trying again.",
        }
    },
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "detail": {"type": "string"},
                    "retry_after": {"type": "integer", "nullable": True},
                },
                "required": ["detail", "retry_after"],
            }
        }
    },
}


def every_operation_may_be_throttled(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS in settings.py)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            operation.setdefault("responses", {})["429"] = THROTTLED_RESPONSE
    return result


class KitbagTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how to send a Kitbag token."""

    target_class = "kitbag.accounts.authentication.KitbagTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created at /account/tokens/.",
        }


def filter_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The list's query parameters, read from the same FilterSet the page uses.

    Written out rather than left to drf-spectacular so that the schema says two things it would
    miss: an empty value means "any" (an HTML form sends kind= for "All kinds", and people copy the
    page's address into the API), and how long a text value may be (a longer one is a 400).
    """
    parameters = []
    for name, filter_ in filterset.base_filters.items():
        description = str(filter_.extra.get("help_text", ""))
        if isinstance(filter_, django_filters.ChoiceFilter):
            values = [str(value) for value, _ in filter_.extra["choices"]]
            schema: dict[str, Any] = {"type": "string", "enum": [*values, ""]}
            description += " Empty means any."
        else:
            schema = {"type": "string"}
            if "max_length" in filter_.extra:
                schema["maxLength"] = filter_.extra["max_length"]
        parameters.append(OpenApiParameter(name, schema, description=description))
    return parameters
