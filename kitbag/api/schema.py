"""What every operation in the OpenAPI schema says alike, added once after drf-spectacular runs.

Every endpoint is throttled (throttles.py), so every operation may answer 429; saying so on each
view would be fifteen copies of one sentence.
"""

from __future__ import annotations

from typing import Any

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
