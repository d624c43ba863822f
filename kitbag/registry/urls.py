from django.urls import path

from kitbag.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("councils/map/", views.council_map, name="council_map"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
