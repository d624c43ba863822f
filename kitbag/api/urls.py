"""API routes: no trailing slashes, so /api/v1/organisations is the address to give to people.

"resolve" comes before <slug> so that it is never read as an organisation's slug, and anything
else under v1/ gets a JSON 404 rather than the site's HTML one.
"""

from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from kitbag.api import accounts_views, cases_views, meetings_views, openness_views, views
from kitbag.api.throttles import counted_before_cache
from kitbag.core.page_cache import cache_public_page

urlpatterns = [
    path("docs", views.api_docs, name="api_docs"),
    path(
        "v1/openapi.json",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="api_schema",
    ),
    path(
        "v1/organisations",
        counted_before_cache(cache_public_page(views.OrganisationList.as_view())),
        name="api_organisation_list",
    ),
    path("v1/organisations/resolve", views.ResolveName.as_view(), name="api_organisation_resolve"),
    path(
        "v1/organisations/<slug:slug>",
        counted_before_cache(cache_public_page(views.OrganisationDetail.as_view())),
        name="api_organisation_detail",
    ),
    path("v1/me", accounts_views.Me.as_view(), name="api_me"),
    path("v1/me/profile", accounts_views.MyProfile.as_view(), name="api_me_profile"),
    path("v1/profiles", accounts_views.ProfileList.as_view(), name="api_profile_list"),
    path("v1/profiles/<int:id>", accounts_views.ProfileDetail.as_view(), name="api_profile_detail"),
    path(
        "v1/moderation-log",
        accounts_views.ModerationLogList.as_view(),
        name="api_moderation_log",
    ),
    # The innovation library (cases_views.py): a case by its uuid; spread records by number.
    path("v1/cases", cases_views.CaseList.as_view(), name="api_case_list"),
    path("v1/cases/<uuid:id>", cases_views.CaseDetail.as_view(), name="api_case_detail"),
    path("v1/cases/<uuid:id>/similar", cases_views.CaseSimilar.as_view(), name="api_case_similar"),
    path(
        "v1/cases/<uuid:id>/adoptions",
        cases_views.CaseAdoptions.as_view(),
        name="api_case_adoptions",
    ),
    path(
        "v1/cases/<uuid:id>/relations",
        cases_views.CaseRelations.as_view(),
        name="api_case_relations",
    ),
    path("v1/adoptions/<int:id>", cases_views.AdoptionDetail.as_view(), name="api_adoption_detail"),
    path("v1/relations/<int:id>", cases_views.RelationDetail.as_view(), name="api_relation_detail"),
    path("v1/meetings", meetings_views.MeetingList.as_view(), name="api_meeting_list"),
    # Meeting openness (openness_views.py): the law, councils' positions, accepted reports.
    path("v1/openness/rules", openness_views.LegalRuleList.as_view(), name="api_openness_rules"),
    path(
        "v1/openness/councils",
        openness_views.CouncilOpennessList.as_view(),
        name="api_openness_councils",
    ),
    path(
        "v1/openness/councils/<str:code>",
        openness_views.CouncilPolicies.as_view(),
        name="api_openness_council",
    ),
    path(
        "v1/openness/reports",
        openness_views.OpennessReportList.as_view(),
        name="api_openness_reports",
    ),
    re_path(r"^v1/(?P<path>[\s\S]*)$", views.not_found, name="api_not_found"),
]
