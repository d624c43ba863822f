from django.urls import path

from kitbag.search import views

app_name = "search"

urlpatterns = [
    path("", views.site_search, name="site_search"),
]
