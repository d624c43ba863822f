from django.urls import path

from kitbag.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.conversation_create, name="create"),
    path("<slug:slug>/", views.conversation_detail, name="detail"),
    path("<slug:slug>/report/", views.conversation_report, name="report"),
    path("<slug:slug>/vote", views.vote, name="vote"),
    path("<slug:slug>/statements", views.add_statement, name="add_statement"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/manage/", views.conversation_manage, name="manage"),
    path("<slug:slug>/manage/settings", views.conversation_edit, name="edit"),
    path("<slug:slug>/manage/seeds", views.add_seed_statements, name="add_seeds"),
    path("<slug:slug>/manage/meta", views.mark_meta, name="mark_meta"),
    path("<slug:slug>/manage/close", views.close_or_reopen, name="close"),
]
