"""URLs of the innovation library. Fixed words come before `<slug>/`; services.RESERVED_SLUGS
keeps a case from taking one of them."""

from django.urls import path

from kitbag.cases import views, views_editing, views_spread

app_name = "cases"

urlpatterns = [
    # Finding (views.py)
    path("", views.case_list, name="case_list"),
    path("download.csv", views.case_list_csv, name="case_list_csv"),
    path("download.json", views.case_list_json, name="case_list_json"),
    path("feed.atom", views.case_feed, name="case_feed"),
    # Writing and the workflow (views_editing.py)
    path("new/", views_editing.case_create, name="case_create"),
    path("yours/", views_editing.my_cases, name="my_cases"),
    path("review/", views_editing.review_list, name="review_list"),
    path("others-working-on-this/", views_editing.similar_prompt, name="similar_prompt"),
    path("service-suggestions/", views_editing.service_suggestions, name="service_suggestions"),
    path("<slug:slug>/edit/", views_editing.case_edit, name="case_edit"),
    path("<slug:slug>/edit/check/", views_editing.case_check, name="case_check"),
    path(
        "<slug:slug>/edit/<slug:section>/",
        views_editing.case_edit_section,
        name="case_edit_section",
    ),
    path("<slug:slug>/workflow/<str:action>/", views_editing.case_move, name="case_move"),
    path("<slug:slug>/confirm/", views_editing.case_confirm, name="case_confirm"),
    path("<slug:slug>/history/", views_editing.case_history, name="case_history"),
    path("<slug:slug>/history/<int:number>/", views_editing.case_revision, name="case_revision"),
    path("<slug:slug>/owner/", views_editing.case_transfer, name="case_transfer"),
    # Spread (views_spread.py)
    path("<slug:slug>/adopt/", views_spread.adoption_create, name="adoption_create"),
    path(
        "<slug:slug>/adoptions/<int:pk>/delete/",
        views_spread.adoption_delete,
        name="adoption_delete",
    ),
    path("<slug:slug>/relate/", views_spread.relation_create, name="relation_create"),
    path(
        "<slug:slug>/relations/<int:pk>/delete/",
        views_spread.relation_delete,
        name="relation_delete",
    ),
    # The case itself (views.py)
    path("<slug:slug>/", views.case_detail, name="case_detail"),
]
