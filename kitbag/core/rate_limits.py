"""One way to limit how often people may write: `@rate_limited("scope", "10/m")` on a view.

Every public write that allauth does not already limit (ACCOUNT_RATE_LIMITS in settings.py) uses
this: account deletion and data download today, comments, reports and votes later. Only writes are
counted (POST, PUT, PATCH, DELETE); reading a form is never limited. Counts live in Django's cache,
so several workers share them wherever the cache is shared (Redis in production). When the limit is
hit the person sees a GOV.UK page (templates/429.html) saying how long to wait, with a Retry-After
header for programs.

Counting is a fixed window per scope and per person: the user id when signed in, otherwise the
client address (as allauth finds it, so ALLAUTH_TRUSTED_PROXY_COUNT applies to both). Addresses and
ids are hashed before they become cache keys, so the cache holds no personal data.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]
Per = Literal["user-or-ip", "ip"]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(?P<amount>\d+)/(?P<count>\d*)(?P<unit>[smhd])$")


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Rate:
        """ "10/m" is ten a minute; "5/15m" is five in fifteen minutes."""
        match = _RATE.match(rate.strip())
        if match is None or int(match["amount"]) < 1:
            raise ValueError(f"Not a rate: {rate!r} (expected e.g. '10/m' or '5/15m')")
        count = int(match["count"] or 1)
        return cls(amount=int(match["amount"]), seconds=count * _UNITS[match["unit"]])


def rate_limited(scope: str, rate: str, *, per: Per = "user-or-ip") -> Callable[[View], View]:
    """Answer 429 once a person has made more than `rate` writes to `scope`."""
    parsed = Rate.parse(rate)  # a typo fails at import, not on the first request

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in WRITE_METHODS:
                retry_after = consume(request, scope=scope, rate=parsed, per=per)
                if retry_after is not None:
                    return too_many_requests(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def consume(request: HttpRequest, *, scope: str, rate: Rate, per: Per) -> int | None:
    """Count one write. None while under the limit; otherwise the seconds until it resets."""
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{_who(request, per)}:{rate.amount}/{rate.seconds}:{window}"
    # add() then incr(): the first write in a window creates the counter with its expiry.
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.amount:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def too_many_requests(request: HttpRequest, *, retry_after: int | None = None) -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": math.ceil(retry_after / 60) if retry_after else None},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _who(request: HttpRequest, per: Per) -> str:
    user = getattr(request, "user", None)
    if per == "user-or-ip" and user is not None and user.is_authenticated:
        identity = f"user:{user.pk}"
    else:
        identity = f"ip:{get_adapter(request).get_client_ip(request)}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]
