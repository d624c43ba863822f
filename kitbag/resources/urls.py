from django.urls import path

from kitbag.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("add/", views.recommend, name="recommend"),
    path("import/", views.upload_bookmarks, name="upload"),
    path("tags/<str:tag>/", views.tag_detail, name="tag"),
    path("tags/<str:tag>/feed.atom", views.tag_feed, name="tag_feed"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/used-by/", views.say_used, name="say_used"),
    path("<int:pk>/used-by/<int:use_id>/remove/", views.remove_use, name="remove_use"),
]
