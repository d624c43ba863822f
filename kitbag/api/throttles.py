"""The API's one throttle: every request counts against the rate table in core/rate_limits.py.

Anyone not signed in is counted per address ("api-anonymous"), a signed-in person per person
("api-person"). A view that makes the same writes as a page names that page's scope in
`write_scope`, so that a person has one allowance for a kind of write, whichever channel they use.
Answers over a limit are 429 with a Retry-After header and the JSON body of `throttled_body`,
the same from the throttle (through exceptions.py) and from `counted_before_cache`.

Public answers that are cached (the organisations endpoints) are counted before the cache is
asked, by `counted_before_cache`, so a cached answer is no way round the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from kitbag.core.rate_limits import WRITE_METHODS, consume

if TYPE_CHECKING:  # DRF imports this module while rest_framework.views is still loading
    from rest_framework.views import APIView

# Set on the Django request once its general API allowance is counted, so it is counted once.
_COUNTED = "_kitbag_api_request_counted"


def throttled_body(retry_after: int | None, *, write: bool) -> dict[str, Any]:
    """The JSON body of every 429: what happened, and the seconds to wait."""
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


def _general_scope(user: Any) -> str:
    return "api-person" if user is not None and user.is_authenticated else "api-anonymous"


class ApiRateThrottle(BaseThrottle):
    """REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES: the only throttle an API view needs."""

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        django_request = request._request
        # The DRF request, so that a token's person is counted, not an anonymous session.
        if not getattr(django_request, _COUNTED, False):
            setattr(django_request, _COUNTED, True)
            self.retry_after = consume(request, scope=_general_scope(request.user))
            if self.retry_after is not None:
                return False
        write_scope: str | None = getattr(view, "write_scope", None)
        if write_scope and request.method in WRITE_METHODS:
            self.retry_after = consume(request, scope=write_scope)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after


View = Callable[..., HttpResponse]


def counted_before_cache(view: View) -> View:
    """Count an anonymous request before a page cache can answer it (see the module's note)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Requests with credentials skip the page cache and are counted by the view's throttle.
        if "HTTP_AUTHORIZATION" not in request.META and not getattr(request, _COUNTED, False):
            setattr(request, _COUNTED, True)
            retry_after = consume(request, scope="api-anonymous")
            if retry_after is not None:
                return throttled_response(retry_after)
        return view(request, *args, **kwargs)

    return wrapper
