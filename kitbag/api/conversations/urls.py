"""The API routes of conversations, under /api/v1/."""

from django.urls import path

from kitbag.api.conversations import views

urlpatterns = [
    path("conversations", views.ConversationList.as_view(), name="api_conversation_list"),
    path("conversations/<slug:slug>", views.ConversationDetail.as_view(), name="api_conversation"),
    path(
        "conversations/<slug:slug>/statements",
        views.StatementList.as_view(),
        name="api_conversation_statements",
    ),
    path(
        "conversations/<slug:slug>/votes", views.VoteCreate.as_view(), name="api_conversation_votes"
    ),
    path(
        "conversations/<slug:slug>/analysis",
        views.LatestAnalysis.as_view(),
        name="api_conversation_analysis",
    ),
]
