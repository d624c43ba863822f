from django.urls import path

from kitbag.performance import group_views, partnership_views, views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<slug:slug>/targets/new/", partnership_views.target_set, name="target_set"),
    path(
        "indicators/<slug:slug>/observations.csv",
        partnership_views.observations_csv,
        name="observations_csv",
    ),
    path(
        "indicators/<slug:slug>/observations.csv-metadata.json",
        partnership_views.observations_csvw,
        name="observations_csvw",
    ),
    path("groups/", group_views.group_list, name="group_list"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path("groups/<slug:slug>/", group_views.group_detail, name="group_detail"),
    path("groups/<slug:slug>/edit/", group_views.group_edit, name="group_edit"),
    path("groups/<slug:slug>/delete/", group_views.group_delete, name="group_delete"),
    path("partnerships/", partnership_views.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnership_views.partnership_create, name="partnership_create"),
    path(
        "partnerships/<slug:slug>/",
        partnership_views.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "partnerships/<slug:slug>/edit/",
        partnership_views.partnership_edit,
        name="partnership_edit",
    ),
    path("partnerships/<slug:slug>/members/", partnership_views.member_list, name="member_list"),
    path(
        "partnerships/<slug:slug>/members/<int:member_id>/remove/",
        partnership_views.member_remove,
        name="member_remove",
    ),
    path(
        "partnerships/<slug:slug>/outcomes/new/", partnership_views.outcome_add, name="outcome_add"
    ),
    path(
        "partnerships/<slug:slug>/indicators/new/",
        partnership_views.indicator_add,
        name="indicator_add",
    ),
    path("partnerships/<slug:slug>/figures/new/", partnership_views.figure_add, name="figure_add"),
    path(
        "partnerships/<slug:slug>/figures/upload/",
        partnership_views.figure_upload,
        name="figure_upload",
    ),
    path(
        "partnerships/<slug:slug>/figures/template.csv",
        partnership_views.figure_template,
        name="figure_template",
    ),
    path(
        "partnerships/<slug:slug>/figures.csv",
        partnership_views.figures_csv,
        name="figures_csv",
    ),
    path(
        "partnerships/<slug:slug>/figures/<int:figure_id>/sign-off/",
        partnership_views.figure_sign_off,
        name="figure_sign_off",
    ),
]
