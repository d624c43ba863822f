"""The API routes of meetings and meeting openness, under /api/v1/."""

from django.urls import path

from kitbag.api.meetings import views

urlpatterns = [
    path("meetings", views.MeetingList.as_view(), name="api_meeting_list"),
    path("openness/rules", views.LegalRuleList.as_view(), name="api_openness_rules"),
    path("openness/councils", views.CouncilOpennessList.as_view(), name="api_openness_councils"),
    path(
        "openness/councils/<str:code>",
        views.CouncilPolicies.as_view(),
        name="api_openness_council",
    ),
    path("openness/reports", views.OpennessReportList.as_view(), name="api_openness_reports"),
]
