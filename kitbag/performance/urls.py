from django.urls import path

from kitbag.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
]
