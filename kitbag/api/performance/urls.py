"""The API routes of published performance figures, under /api/v1/."""

from django.urls import path

from kitbag.api.performance import views

urlpatterns = [
    path("indicators", views.IndicatorList.as_view(), name="api_indicator_list"),
    path(
        "indicators/<slug:slug>/observations",
        views.IndicatorObservations.as_view(),
        name="api_indicator_observations",
    ),
    path("partnerships", views.PartnershipList.as_view(), name="api_partnership_list"),
    path(
        "partnerships/<slug:slug>",
        views.PartnershipDetail.as_view(),
        name="api_partnership_detail",
    ),
    path(
        "partnerships/<slug:slug>/observations",
        views.PartnershipObservations.as_view(),
        name="api_partnership_observations",
    ),
    path(
        "partnerships/<slug:slug>/targets",
        views.PartnershipTargets.as_view(),
        name="api_partnership_targets",
    ),
    path(
        "comparison-groups", views.ComparisonGroupList.as_view(), name="api_comparison_group_list"
    ),
    path(
        "comparison-groups/<slug:slug>",
        views.ComparisonGroupDetail.as_view(),
        name="api_comparison_group_detail",
    ),
]
