from django.urls import path

from kitbag.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<slug:slug>/", views.conversation_detail, name="detail"),
    path("<slug:slug>/report/", views.conversation_report, name="report"),
    path("<slug:slug>/vote", views.vote, name="vote"),
    path("<slug:slug>/statements", views.add_statement, name="add_statement"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
]
