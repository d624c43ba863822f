"""The event pages, under /events/."""

from django.urls import path

from kitbag.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events.ics", views.all_events_calendar, name="all_events_calendar"),
    path("new", views.event_create, name="event_create"),
    path(
        "organisations/<slug:slug>.ics",
        views.organisation_calendar,
        name="organisation_calendar",
    ),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/event.ics", views.event_calendar, name="event_calendar"),
    path("<slug:slug>/edit", views.event_edit, name="event_edit"),
    path("<slug:slug>/publish", views.event_publish, name="event_publish"),
    path("<slug:slug>/cancel-event", views.event_cancel, name="event_cancel"),
    path("<slug:slug>/sign-up", views.event_sign_up, name="event_sign_up"),
    path("<slug:slug>/cancel", views.event_cancel_sign_up, name="event_cancel_sign_up"),
    path("<slug:slug>/links/new", views.link_add, name="link_add"),
    path("<slug:slug>/grid/", views.grid, name="grid"),
    path("<slug:slug>/grid/sessions.ics", views.grid_calendar, name="grid_calendar"),
    path("<slug:slug>/grid/setup", views.grid_setup, name="grid_setup"),
    path("<slug:slug>/sessions/new", views.session_pitch, name="session_pitch"),
    path("<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path(
        "<slug:slug>/sessions/<int:session_id>/session.ics",
        views.session_calendar,
        name="session_calendar",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/interest",
        views.session_interest,
        name="session_interest",
    ),
    path("<slug:slug>/sessions/<int:session_id>/place", views.session_place, name="session_place"),
    path("<slug:slug>/sessions/<int:session_id>/notes", views.session_notes, name="session_notes"),
]
