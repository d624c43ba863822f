from django.urls import path

from kitbag.meetings.calendar import views
from kitbag.meetings.openness import views as openness_views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_index, name="index"),
    # Openness (openness_views.py): before "<slug>/" so that "openness" is never read as a council.
    path("openness/", openness_views.national, name="openness_national"),
    path("openness/openness.csv", openness_views.national_csv, name="openness_csv"),
    path("openness/openness.json", openness_views.national_json, name="openness_json"),
    path("openness/law/", openness_views.law, name="openness_law"),
    path("openness/moderation/", openness_views.moderation_queue, name="openness_moderation"),
    path("openness/reports/mine/", openness_views.my_reports, name="openness_my_reports"),
    path("openness/reports/<int:pk>/", openness_views.report_detail, name="openness_report"),
    path(
        "openness/reports/<int:pk>/moderate",
        openness_views.report_moderate,
        name="openness_report_moderate",
    ),
    path(
        "openness/reports/<int:pk>/reply", openness_views.report_reply, name="openness_report_reply"
    ),
    path(
        "openness/reports/<int:pk>/information",
        openness_views.report_information,
        name="openness_report_information",
    ),
    path(
        "openness/reports/<int:pk>/evidence",
        openness_views.report_evidence,
        name="openness_report_evidence",
    ),
    path(
        "openness/policies/<int:pk>/evidence",
        openness_views.policy_evidence,
        name="openness_policy_evidence",
    ),
    path("<slug:slug>/openness/", openness_views.council_openness, name="openness_council"),
    path("<slug:slug>/openness/policy/", openness_views.policy_new, name="openness_policy_new"),
    path("<slug:slug>/openness/report/", openness_views.report_new, name="openness_report_new"),
    path("<slug:slug>/", views.council_calendar, name="council_calendar"),
    path("<slug:slug>/calendar.ics", views.council_feed, name="council_feed"),
    path("<slug:slug>/committees/<int:pk>/", views.committee_calendar, name="committee_calendar"),
    path(
        "<slug:slug>/committees/<int:pk>/calendar.ics",
        views.committee_feed,
        name="committee_feed",
    ),
    path("<slug:slug>/meetings/<uuid:uid>/", views.meeting_detail, name="meeting_detail"),
]
