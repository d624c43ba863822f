"""The innovation library's API routes, under /api/v1/: a case by its uuid; spread records by
number."""

from django.urls import path

from kitbag.api.cases import views
from kitbag.api.throttles import counted_before_cache
from kitbag.core.page_cache import cache_public_page

urlpatterns = [
    # Public answers are cached for readers without credentials, counted before the cache.
    path(
        "cases",
        counted_before_cache(cache_public_page(views.CaseList.as_view())),
        name="api_case_list",
    ),
    path("cases/<uuid:id>", views.CaseDetail.as_view(), name="api_case_detail"),
    path("cases/<uuid:id>/similar", views.CaseSimilar.as_view(), name="api_case_similar"),
    path("cases/<uuid:id>/adoptions", views.CaseAdoptions.as_view(), name="api_case_adoptions"),
    path("cases/<uuid:id>/relations", views.CaseRelations.as_view(), name="api_case_relations"),
    path("adoptions/<int:id>", views.AdoptionDetail.as_view(), name="api_adoption_detail"),
    path("relations/<int:id>", views.RelationDetail.as_view(), name="api_relation_detail"),
]
