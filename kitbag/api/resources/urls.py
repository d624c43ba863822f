"""The resource library's API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.resources import views

urlpatterns = [
    path("resources", views.ResourceList.as_view(), name="api_resource_list"),
    path("resources/<int:pk>", views.ResourceDetail.as_view(), name="api_resource_detail"),
]
