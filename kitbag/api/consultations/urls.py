"""The consultations' API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.consultations import views

urlpatterns = [
    path("consultations", views.ConsultationList.as_view(), name="api_consultation_list"),
    path(
        "consultations/<slug:slug>",
        views.ConsultationDetail.as_view(),
        name="api_consultation_detail",
    ),
    path(
        "consultations/<slug:slug>/comments",
        views.ConsultationComments.as_view(),
        name="api_consultation_comments",
    ),
    path(
        "consultations/<slug:slug>/export.json",
        views.ConsultationExport.as_view(),
        name="api_consultation_export",
    ),
]
