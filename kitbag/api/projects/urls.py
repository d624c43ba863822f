"""The projects' API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.projects import views

urlpatterns = [
    path("projects", views.ProjectList.as_view(), name="api_project_list"),
    path("projects/<slug:slug>", views.ProjectDetail.as_view(), name="api_project_detail"),
]
