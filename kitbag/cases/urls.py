from django.urls import path

from kitbag.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<slug:slug>/", views.case_detail, name="case_detail"),
]
