from django.urls import path

from kitbag.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about-the-data/", views.about_data, name="about_data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
