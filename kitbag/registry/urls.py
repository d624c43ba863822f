from django.urls import path

from kitbag.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("download.csv", views.organisation_download_csv, name="organisation_download_csv"),
    path("download.json", views.organisation_download_json, name="organisation_download_json"),
    path("councils/map/", views.council_map, name="council_map"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
