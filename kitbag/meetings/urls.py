from django.urls import path

from kitbag.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_index, name="index"),
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
