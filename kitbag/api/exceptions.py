"""How the API says something went wrong: one handler, one body shape.

Every error is JSON with a `detail` saying what is wrong (and, for a wrong field, the field's name
as the key, as DRF does). Over a rate limit the answer is 429 with `Retry-After` and
`{"detail": "...", "retry_after": seconds}`, the same from the throttle and from the cached
endpoints that are counted before their cache (throttles.py).
"""

from __future__ import annotations

import math
from typing import Any

from django.http import JsonResponse
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from kitbag.core.rate_limits import WRITE_METHODS


def throttled_body(retry_after: int | None, *, write: bool) -> dict[str, Any]:
    done = "too many changes" if write else "too many requests"
    wait = f"Wait {retry_after} seconds" if retry_after else "Wait a minute"
    return {
        "detail": f"You have made {done} in a short time. {wait}, then try again.",
        "retry_after": retry_after,
    }


def throttled_response(retry_after: int) -> JsonResponse:
    """A 429 for a read outside DRF's views, in the same shape as inside them."""
    response = JsonResponse(throttled_body(retry_after, write=False), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def handle_api_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK's EXCEPTION_HANDLER."""
    # Here, not at the top: the throttle imports this module while rest_framework.views loads.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if isinstance(exc, Throttled) and response is not None:
        seconds: float | None = getattr(exc, "wait", None)
        wait = math.ceil(seconds) if seconds else None
        request = context.get("request")
        write = getattr(request, "method", "GET") in WRITE_METHODS
        response.data = throttled_body(wait, write=write)
    return response
