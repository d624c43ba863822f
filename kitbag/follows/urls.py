from django.urls import path

from kitbag.follows import views

app_name = "follows"

urlpatterns = [
    path("", views.following, name="following"),
    path("follow/", views.follow_toggle, name="follow"),
    path("emails/", views.digest_settings, name="digest_settings"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("feed/reset/", views.reset_feed, name="reset_feed"),
    path("feed/<str:token>.atom", views.feed, name="feed"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
