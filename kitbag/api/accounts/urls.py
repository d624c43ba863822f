"""The API routes for people, under /api/v1/."""

from django.urls import path

from kitbag.api.accounts import views

urlpatterns = [
    path("me", views.Me.as_view(), name="api_me"),
    path("me/profile", views.MyProfile.as_view(), name="api_me_profile"),
    path("profiles", views.ProfileList.as_view(), name="api_profile_list"),
    path("profiles/<int:id>", views.ProfileDetail.as_view(), name="api_profile_detail"),
    path("moderation-log", views.ModerationLogList.as_view(), name="api_moderation_log"),
]
