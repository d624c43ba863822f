from django.http import HttpRequest, HttpResponse
from django.urls import path

from kitbag.urls import urlpatterns as kitbag_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """The baseline: the same server, middleware and process model, but no database and no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__benchmark__/trivial", trivial), *kitbag_urlpatterns]
