from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and the header navigation: one entry per part of Kitbag that exists."""
    navigation = [
        {"label": "Organisations", "url": reverse("registry:organisation_list")},
        {"label": "Council map", "url": reverse("registry:council_map")},
        {"label": "API", "url": reverse("api_docs")},
        {"label": "About the data", "url": reverse("core:about_data")},
    ]
    for item in navigation:
        item["active"] = request.path.startswith(item["url"])
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation}
