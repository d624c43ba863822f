from django.urls import path

from kitbag.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("duplicates/", views.duplicate_queue, name="duplicate_queue"),
    path("duplicates/<int:pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("oversight/<slug:slug>/", views.oversight, name="oversight"),
    path("oversight/<slug:slug>/councillors/", views.councillors, name="councillors"),
    path(
        "oversight/<slug:slug>/councillors/<int:pk>/remove/",
        views.councillor_remove,
        name="councillor_remove",
    ),
    path("<slug:slug>/", views.project_detail, name="project_detail"),
    path("<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("<slug:slug>/rating/", views.rating_override, name="rating_override"),
    path("<slug:slug>/milestones/", views.milestone_add, name="milestone_add"),
    path("<slug:slug>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("<slug:slug>/questions/", views.question_ask, name="question_ask"),
    path("<slug:slug>/questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
]
