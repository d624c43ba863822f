"""How the API says something went wrong: one handler, one body shape, every domain's errors
turned into answers here and nowhere else.

Views call the domain apps' services and let what they raise through:

- Django's `ValidationError`: 400. With fields, the body maps each field to its messages, as DRF
  does for a serializer, under the API's name for the field where the view renames the
  service's (`ApiView.service_field_names`); without, `{"non_field_errors": [...]}`.
- Django's `PermissionDenied`, and the services' own refusals of a person
  (`core.refusals.NotPermitted`, raised by `accounts.permissions.require`; accounts'
  `NotAllowed`): 403 with the service's message in `detail`.
- The services' other refusals (every app's subclass of `core.refusals.RuleRefused`, accounts'
  `MembershipError`): the rule is about what was asked, not who asked, so a 400 like any other
  wrong request, with the message in `non_field_errors`.
- Over a rate limit: 429 with `Retry-After` and `{"detail": "...", "retry_after": seconds}`
  (throttles.py), the same from the throttle and from the endpoints counted before their cache.

Any other address under /api/v1/ is a JSON 404 (`not_found`), not the site's HTML page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from kitbag.accounts.services.memberships import MembershipError, NotAllowed
from kitbag.api.throttles import throttled_body
from kitbag.core.rate_limits import WRITE_METHODS
from kitbag.core.refusals import NotPermitted, RuleRefused

# Refusals of the person asking: 403. Django's PermissionDenied DRF maps itself, with its message.
REFUSED_PERSON = (NotPermitted, NotAllowed)
# Refusals of what was asked, whoever asks: 400.
REFUSED_REQUEST = (RuleRefused, MembershipError)


def handle_api_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK's EXCEPTION_HANDLER."""
    response = exception_handler(_as_api_exception(exc, context.get("view")), context)
    if isinstance(exc, Throttled) and response is not None:
        seconds: float | None = getattr(exc, "wait", None)
        wait = math.ceil(seconds) if seconds else None
        request = context.get("request")
        write = getattr(request, "method", "GET") in WRITE_METHODS
        response.data = throttled_body(wait, write=write)
    return response


def _as_api_exception(exc: Exception, view: object) -> Exception:
    if isinstance(exc, DjangoValidationError):
        renamed: Mapping[str, str] = getattr(view, "service_field_names", {})
        errors = as_serializer_error(exc)
        return ValidationError({renamed.get(name, name): found for name, found in errors.items()})
    if isinstance(exc, REFUSED_PERSON):
        return PermissionDenied(str(exc))
    if isinstance(exc, REFUSED_REQUEST):
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    return exc


# Exempt from CSRF so that a DELETE or POST to a wrong address hears this JSON 404, not the HTML
# CSRF page: it changes nothing, so there is nothing to protect.
@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/: a client gets JSON, as from every API endpoint."""
    return JsonResponse({"detail": "Not found."}, status=404)
