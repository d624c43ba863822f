from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from kitbag.core.parts import all_parts, part_of


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and the service navigation: every part of Kitbag (kitbag/core/parts.py),
    in the order the parts ask for, then the API."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    current = part_of(view_name)
    navigation = [
        {"label": str(part.label), "url": part.url, "active": part == current}
        for part in all_parts()
    ]
    navigation.append(
        {"label": _("API"), "url": reverse("api_docs"), "active": view_name == "api_docs"}
    )
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation}
