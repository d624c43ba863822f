"""API routes: the docs page, the schema, each domain's routes under v1/, and a JSON 404.

No trailing slashes, so /api/v1/organisations is the address to give to people. Each domain's
urls.py names its routes `api_...` (no namespace), and anything else under v1/ gets a JSON 404
rather than the site's HTML one, so that route comes last.
"""

from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from kitbag.api import docs, exceptions

urlpatterns = [
    path("docs", docs.api_docs, name="api_docs"),
    path(
        "v1/openapi.json",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="api_schema",
    ),
    path("v1/", include("kitbag.api.registry.urls")),
    path("v1/", include("kitbag.api.accounts.urls")),
    path("v1/", include("kitbag.api.cases.urls")),
    path("v1/", include("kitbag.api.meetings.urls")),
    path("v1/", include("kitbag.api.consultations.urls")),
    path("v1/", include("kitbag.api.performance.urls")),
    path("v1/", include("kitbag.api.projects.urls")),
    path("v1/", include("kitbag.api.conversations.urls")),
    path("v1/", include("kitbag.api.events.urls")),
    path("v1/", include("kitbag.api.resources.urls")),
    path("v1/", include("kitbag.api.search.urls")),
    path("v1/", include("kitbag.api.network.urls")),
    re_path(r"^v1/(?P<path>[\s\S]*)$", exceptions.not_found, name="api_not_found"),
]
