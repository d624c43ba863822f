"""Every rate limit in Kitbag, in one table, and the one way pages apply them.

`LIMITS` below is the table: each scope, its rate and whom it counts. Pages use
`@rate_limited("scope")` on the view; the API's throttle (kitbag/api/throttles.py) reads the same
table, so a page and its API endpoint share one allowance where they share a scope. allauth's own
sign-in and sign-up limits (ACCOUNT_RATE_LIMITS in settings.py) are the only limits kept elsewhere,
because allauth reads them there; they are listed in docs/security.md beside these.

Pages count writes only (POST, PUT, PATCH, DELETE): reading a form is never limited. The API counts
every request. Counts live in Django's cache, so several workers share them wherever the cache is
shared (Redis in production). When a limit is hit a person sees a GOV.UK page (templates/429.html)
saying how long to wait, and programs get a Retry-After header.

Counting is a fixed window per scope and per person: the user id when signed in, otherwise the
client address (as allauth finds it, so ALLAUTH_TRUSTED_PROXY_COUNT applies to both). Addresses and
ids are hashed before they become cache keys, so the cache holds no personal data. A deployment can
change a rate without a release: KITBAG_RATE_LIMITS="scope=rate,..." (settings.py).

A few scopes count per participant of a conversation (an anonymous participant is a cookie id,
which only the view resolves): those views call `consume_for(scope=..., identity=...)` themselves.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final, Literal

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]
# "participant": counted per participant of a conversation (an anonymous participant's cookie id),
# by the view that knows the participant, through `consume_for` (not `rate_limited`).
Per = Literal["user-or-ip", "ip", "participant"]

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


@dataclass(frozen=True)
class Limit:
    """One row of the table: how many in what period, counted per whom, and what it guards."""

    rate: str
    per: Per
    guards: str


LIMITS: Final[Mapping[str, Limit]] = {
    # The API: every request, read or write (kitbag/api/throttles.py).
    "api-anonymous": Limit("120/m", "ip", "every API request from someone not signed in"),
    "api-person": Limit("600/m", "user-or-ip", "every API request by a signed-in person"),
    # Writes on pages, and the API endpoints that make the same writes.
    # Generous: the case form posts to itself to add a row or look up a service, not only to save.
    "case-writes": Limit("300/h", "user-or-ip", "writing and editing cases, workflow steps"),
    # Fetched as someone types (debounced): generous for a person, low enough that nobody scrapes
    # the library through it. Counted on reads, as it is one.
    "similar-prompt": Limit("60/m", "user-or-ip", '"others working on this" while typing'),
    # Suggestions as a service's name is typed, one request a keystroke: a fast typist stays
    # well under it, and the code list is public anyway. Counted on reads, as it is one.
    "service-suggestions": Limit("120/m", "user-or-ip", "service suggestions while typing"),
    "case-spread": Limit("60/h", "user-or-ip", '"we adopted this" and relations, page and API'),
    "profile-writes": Limit("60/h", "user-or-ip", "changing your profile through the API"),
    # Ten reports an hour is far more than anyone attends meetings; it stops a script flooding
    # the moderators' queue.
    "openness-report": Limit("10/h", "user-or-ip", "reports of meeting openness"),
    "openness-write": Limit("60/h", "user-or-ip", "openness policies, replies, moderation steps"),
    # Thirty comments an hour is a busy evening's discussion; it stops a script filling a
    # consultation (and the moderators' queue). Replies, official responses and flags count too.
    "consultation-comments": Limit(
        "30/h", "user-or-ip", "comments, replies and flags on consultations"
    ),
    # Each Webmention makes Kitbag fetch the sender's page: a few a minute from one address.
    "webmention": Limit("30/h", "ip", "Webmentions received (each one fetches its source)"),
    "consultation-writes": Limit(
        "120/h", "user-or-ip", "writing, publishing and moderating consultations"
    ),
    # Each request emails every admin of the organisation: a few a day is plenty for a person.
    "editor-request": Limit("3/d", "user-or-ip", "asking the admins to make you an editor"),
    # Conversations (kitbag/conversations): counted per person, or per address for anonymous
    # participants, so one address cannot flood a conversation with cookie-less "participants".
    "conversation-votes": Limit("300/h", "user-or-ip", "votes on conversation statements"),
    "conversation-statements": Limit("20/h", "user-or-ip", "new statements in conversations"),
    # And per participant too: several people behind one address (a school, a library) share the
    # address's allowance, but no one cookie may use all of it. Lower than the address's.
    "conversation-participant-votes": Limit(
        "200/h", "participant", "votes by one participant of a conversation"
    ),
    "conversation-participant-statements": Limit(
        "10/h", "participant", "new statements by one participant of a conversation"
    ),
    "conversation-moderation": Limit("300/h", "user-or-ip", "moderating conversation statements"),
    # Creating a conversation, changing its settings, seed statements, meta, closing.
    "conversation-organising": Limit(
        "120/h", "user-or-ip", "creating and running conversations (organisers)"
    ),
    # Events: creating and editing, signing up, pitching, placing sessions and writing notes. On
    # the day of an unconference an organiser places dozens of sessions, some more than once.
    "event-writes": Limit("300/h", "user-or-ip", "events, sign-ups, pitches, the session grid"),
    # The resource library (kitbag/resources): a bookmark file is one write however many links.
    "resource-writes": Limit("120/h", "user-or-ip", "adding and recommending resources"),
    "bookmark-uploads": Limit("10/h", "user-or-ip", "uploading bookmark files"),
    # Follows (kitbag/follows): a person following everything on a page is a few dozen posts.
    "follows": Limit("300/h", "user-or-ip", "following, unfollowing, digest and feed settings"),
    # One-click unsubscribes come from mail providers' servers, many people's from one address,
    # so the limit is generous; guessing a signature is hopeless at any rate.
    "unsubscribe": Limit("600/h", "ip", "one-click unsubscribes from digest emails"),
    "personal-data-download": Limit("10/h", "user-or-ip", "downloading your data"),
    "account-delete": Limit("5/15m", "user-or-ip", "deleting your account"),
    # The contact relay emails a person who did not ask to be written to: a few conversations a
    # day is ordinary; more is a person or a script working through the people list.
    "help-messages": Limit(
        "20/d", "user-or-ip", "asking people for help, replies and mentoring requests"
    ),
    "message-reports": Limit("10/h", "user-or-ip", "reporting messages and resolving reports"),
}


for _limit in LIMITS.values():  # a mistyped rate in the table fails at import
    Rate.parse(_limit.rate)


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Refuse a KITBAG_RATE_LIMITS that names no scope or gives no rate (core/apps.py)."""
    for scope, rate in overrides.items():
        if scope not in LIMITS:
            raise ValueError(f"KITBAG_RATE_LIMITS names {scope!r}, which is not a rate limit")
        Rate.parse(rate)


def limit_for(scope: str) -> tuple[Rate, Per]:
    """The rate of `scope` as this deployment runs it (KITBAG_RATE_LIMITS may change it)."""
    limit = LIMITS[scope]
    overrides: Mapping[str, str] = getattr(settings, "KITBAG_RATE_LIMITS", {})
    return Rate.parse(overrides.get(scope, limit.rate)), limit.per


def describe_rate(scope: str) -> str:
    """The rate of `scope` in words, for people: "120 a minute", "5 in 15 minutes"."""
    rate, _per = limit_for(scope)
    for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if rate.seconds % seconds == 0:
            count = rate.seconds // seconds
            if count == 1:
                return f"{rate.amount} {'an' if unit == 'hour' else 'a'} {unit}"
            return f"{rate.amount} in {count} {unit}s"
    raise AssertionError("every rate is a whole number of seconds")  # pragma: no cover


def rate_limited(scope: str) -> Callable[[View], View]:
    """Answer 429 once a person has made more writes to `scope` than the table allows."""
    if scope not in LIMITS:  # a typo fails at import, not on the first request
        raise KeyError(f"No rate limit named {scope!r}: add it to LIMITS in {__name__}")
    if LIMITS[scope].per == "participant":
        raise ValueError(f"{scope!r} counts per participant: call consume_for in the view")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in WRITE_METHODS:
                retry_after = consume(request, scope=scope)
                if retry_after is not None:
                    return too_many_requests(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def consume(request: HttpRequest, *, scope: str) -> int | None:
    """Count one request against `scope`. None while under the limit; else seconds to wait."""
    _rate, per = limit_for(scope)
    if per == "participant":
        raise ValueError(f"{scope!r} counts per participant: use consume_for with the participant")
    return _count(scope, _who(request, per))


def consume_for(*, scope: str, identity: str) -> int | None:
    """Count one write against `scope` for `identity` (a participant), which the caller knows and
    the request does not say. None while under the limit; else seconds to wait."""
    return _count(scope, hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()[:32])


def _count(scope: str, who: str) -> int | None:
    rate, _per = limit_for(scope)
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{who}:{rate.amount}/{rate.seconds}:{window}"
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


def too_many_requests(
    request: HttpRequest, *, retry_after: int | None = None, what: str = ""
) -> HttpResponse:
    """The 429 page. `what` says what was done too often, where a plainer sentence helps."""
    response = render(
        request,
        "429.html",
        {
            "retry_after_minutes": math.ceil(retry_after / 60) if retry_after else None,
            "what": what,
        },
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
