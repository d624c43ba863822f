from django.contrib import admin
from django.urls import include, path

from kitbag.accounts.views.sign_in import sign_in

urlpatterns = [
    path("", include("kitbag.core.urls")),
    path("organisations/", include("kitbag.registry.urls")),
    path("cases/", include("kitbag.cases.urls")),
    path("meetings/", include("kitbag.meetings.urls")),
    path("consultations/", include("kitbag.consultations.urls")),
    path("performance/", include("kitbag.performance.urls")),
    path("projects/", include("kitbag.projects.urls")),
    path("conversations/", include("kitbag.conversations.urls")),
    path("events/", include("kitbag.events.urls")),
    path("resources/", include("kitbag.resources.urls")),
    path("following/", include("kitbag.follows.urls")),
    path("search/", include("kitbag.search.urls")),
    path("people/", include("kitbag.network.urls")),
    # Before allauth's own route of the same address: a lockout is a 429 (views/sign_in.py).
    path("account/login/", sign_in, name="account_login"),
    path("account/", include("allauth.urls")),
    path("account/", include("kitbag.accounts.urls")),
    path("api/", include("kitbag.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "kitbag.core.views.page_not_found"
handler500 = "kitbag.core.views.server_error"
