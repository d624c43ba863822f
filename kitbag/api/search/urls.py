"""The site-wide search's API route, under /api/v1/."""

from django.urls import path

from kitbag.api.search import views
from kitbag.api.throttles import counted_before_cache
from kitbag.core.page_cache import cache_public_page

urlpatterns = [
    # The same answer for everyone without credentials: cached for them alone, counted first.
    path(
        "search",
        counted_before_cache(cache_public_page(views.SiteSearch.as_view())),
        name="api_search",
    ),
]
