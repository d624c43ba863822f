"""The consultation pages, under /consultations/."""

from django.urls import path

from kitbag.consultations import views, views_editing

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("new", views_editing.consultation_create, name="consultation_create"),
    path("moderation", views_editing.moderation_queue, name="moderation_queue"),
    path("moderation-policy", views.moderation_policy, name="moderation_policy"),
    path("webmention", views.webmention, name="webmention"),
    path("<slug:slug>/", views.consultation_detail, name="consultation_detail"),
    path("<slug:slug>/edit", views_editing.consultation_edit, name="consultation_edit"),
    path("<slug:slug>/publish", views_editing.consultation_publish, name="consultation_publish"),
    path("<slug:slug>/close", views_editing.consultation_close, name="consultation_close"),
    path("<slug:slug>/revise", views_editing.consultation_revise, name="consultation_revise"),
    path("<slug:slug>/response", views_editing.consultation_respond, name="consultation_respond"),
    path("<slug:slug>/unanswered", views_editing.unanswered_queue, name="unanswered_queue"),
    path("<slug:slug>/elsewhere", views.elsewhere_page, name="elsewhere"),
    path("<slug:slug>/comments.csv", views.comments_csv, name="comments_csv"),
    path("<slug:slug>/comments.atom", views.comments_feed, name="comments_feed"),
    path(
        "<slug:slug>/paragraphs/<str:paragraph>/comment",
        views.comment_form,
        name="comment_form",
    ),
    path("<slug:slug>/comments/<str:key>/reply", views.reply_form, name="reply_form"),
    path("<slug:slug>/comments/<str:key>/flag", views.flag_form, name="flag_form"),
]
