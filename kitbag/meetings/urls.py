from django.urls import path

from kitbag.meetings import views, views_openness

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_index, name="index"),
    # Openness (views_openness.py): before "<slug>/" so that "openness" is never read as a council.
    path("openness/", views_openness.national, name="openness_national"),
    path("openness/openness.csv", views_openness.national_csv, name="openness_csv"),
    path("openness/openness.json", views_openness.national_json, name="openness_json"),
    path("openness/law/", views_openness.law, name="openness_law"),
    path("openness/moderation/", views_openness.moderation_queue, name="openness_moderation"),
    path("openness/reports/mine/", views_openness.my_reports, name="openness_my_reports"),
    path("openness/reports/<int:pk>/", views_openness.report_detail, name="openness_report"),
    path(
        "openness/reports/<int:pk>/moderate",
        views_openness.report_moderate,
        name="openness_report_moderate",
    ),
    path(
        "openness/reports/<int:pk>/reply", views_openness.report_reply, name="openness_report_reply"
    ),
    path(
        "openness/reports/<int:pk>/information",
        views_openness.report_information,
        name="openness_report_information",
    ),
    path(
        "openness/reports/<int:pk>/evidence",
        views_openness.report_evidence,
        name="openness_report_evidence",
    ),
    path(
        "openness/policies/<int:pk>/evidence",
        views_openness.policy_evidence,
        name="openness_policy_evidence",
    ),
    path("<slug:slug>/openness/", views_openness.council_openness, name="openness_council"),
    path("<slug:slug>/openness/policy/", views_openness.policy_new, name="openness_policy_new"),
    path("<slug:slug>/openness/report/", views_openness.report_new, name="openness_report_new"),
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
