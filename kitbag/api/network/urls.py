"""The network's API routes, under /api/v1/."""

from django.urls import path

from kitbag.api.network import views
from kitbag.network.urls import RowId  # noqa: F401  (registers the row_id converter)

urlpatterns = [
    path("people", views.PersonList.as_view(), name="api_person_list"),
    path("people/<row_id:id>", views.PersonDetail.as_view(), name="api_person_detail"),
]
