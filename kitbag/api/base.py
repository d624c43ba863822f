"""The one base of every API view: who may call it, and the person behind a write.

Each domain's views (kitbag/api/<domain>/views.py) derive from `ApiView`, or from
`PublicReadOnly` for public data that never depends on who asks; a test walks the URLs to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.views import APIView

from kitbag.accounts.models import User

# The classes here have comments, not docstrings, on purpose: drf-spectacular publishes the
# nearest docstring of a view's classes as its operation's description, so a docstring here
# would be published for every view that has none of its own (test_schema.py would say so).


class ApiView(APIView):
    # Anyone reads; a write needs a signed-in person (a token, or a browser session with its
    # CSRF token). A method the view does not have is a 405 for everyone, before credentials,
    # permissions or rate limits are looked at, so the anonymous do not hear 401 for it.
    #
    # A view whose writes share a page's rate limit names the page's scope in `write_scope`
    # (throttles.py). Views call the domain's services and let their errors through:
    # exceptions.py turns them into answers, under the API's name for a field where the
    # service's differs (`service_field_names`: the service's name to the API's).

    permission_classes = [IsAuthenticatedOrReadOnly]
    write_scope: ClassVar[str | None] = None
    service_field_names: ClassVar[Mapping[str, str]] = MappingProxyType({})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method and request.method.lower() not in self._handled_methods():
            self.http_method_not_allowed(request, *args, **kwargs)
        super().initial(request, *args, **kwargs)

    def _handled_methods(self) -> set[str]:
        return {name for name in self.http_method_names if hasattr(self, name)}

    def person(self) -> User:
        """The signed-in person making this request (a write's permission has required one)."""
        user = self.request.user
        if not isinstance(user, User):
            raise NotAuthenticated
        return user


class PublicReadOnly(ApiView):
    # Public data that is the same for everyone: no credentials are read, so no session or CSRF
    # is involved, every request counts against the anonymous allowance, and the answer may be
    # cached for anyone.

    authentication_classes = []
