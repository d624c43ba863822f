"""The events' API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.events import views

urlpatterns = [
    path("events", views.EventList.as_view(), name="api_event_list"),
    path("events/<slug:slug>", views.EventDetail.as_view(), name="api_event_detail"),
]
