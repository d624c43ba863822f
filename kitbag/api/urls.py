from django.urls import path

from kitbag.api import views

urlpatterns = [
    path("docs", views.api_docs, name="api_docs"),
]
