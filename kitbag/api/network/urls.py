"""The network's API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.network import views

urlpatterns = [
    path("people", views.PersonList.as_view(), name="api_person_list"),
    path("people/<int:id>", views.PersonDetail.as_view(), name="api_person_detail"),
]
