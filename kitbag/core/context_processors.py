from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and the header navigation: one entry per part of Kitbag that exists."""
    items = [
        (_("Innovation library"), reverse("cases:case_list")),
        (_("Organisations"), reverse("registry:organisation_list")),
        (_("Council map"), reverse("registry:council_map")),
        (_("API"), reverse("api_docs")),
        (_("About the data"), reverse("core:about_data")),
    ]
    # The map lives under /organisations/ too, so the longest matching prefix is the active one.
    active = max(
        (url for _label, url in items if request.path.startswith(url)), key=len, default=None
    )
    navigation = [{"label": label, "url": url, "active": url == active} for label, url in items]
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation}
