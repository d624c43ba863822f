import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kitbag.core.parts import parts_with_figures
from kitbag.core.sources import data_sources_with_last_import


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"parts": parts_with_figures()})


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html", {"sources": data_sources_with_last_import()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except DatabaseError as error:
        database = {"status": "error", "vendor": connection.vendor, "error": type(error).__name__}
    healthy = database["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database},
        status=200 if healthy else 503,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt: how to report a vulnerability (docs/security.md)."""
    contact = settings.KITBAG_SECURITY_CONTACT
    # RFC 9116 asks for an expiry under a year ahead; the file is generated, so it is always fresh
    # while the service runs, and the contact comes from the running configuration.
    expires = (timezone.now() + dt.timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(dt.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, cy",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
