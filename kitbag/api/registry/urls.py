"""The registry's API routes, under /api/v1/. "resolve" comes before <slug> so that it is never
read as an organisation's slug."""

from django.urls import path

from kitbag.api.registry import views
from kitbag.api.throttles import counted_before_cache
from kitbag.core.page_cache import cache_public_page

urlpatterns = [
    path(
        "organisations",
        counted_before_cache(cache_public_page(views.OrganisationList.as_view())),
        name="api_organisation_list",
    ),
    path("organisations/resolve", views.ResolveName.as_view(), name="api_organisation_resolve"),
    path(
        "organisations/<slug:slug>",
        counted_before_cache(cache_public_page(views.OrganisationDetail.as_view())),
        name="api_organisation_detail",
    ),
]
