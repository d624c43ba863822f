"""Sign in: allauth's page, except that a locked-out person gets the 429 page with Retry-After.

allauth shows its lockout as an error on the form, with a 200; scripts guessing passwords read
that as "try again". The adapter (adapter.py) marks the request when its limit stops a sign-in,
and this view answers as every other rate limit in Kitbag does.
"""

from __future__ import annotations

from allauth.account.views import login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kitbag.core.rate_limits import too_many_requests


def sign_in(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = login(request)
    locked_for: int | None = getattr(request, "kitbag_sign_in_locked_for", None)
    if locked_for is None:
        return response
    return too_many_requests(
        request,
        retry_after=locked_for,
        what=_("You have tried to sign in too many times. You can also reset your password."),
    )
