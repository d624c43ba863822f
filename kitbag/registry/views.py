from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kitbag.registry.models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/organisation_list.html",
        {"organisations": Organisation.objects.all()[:50]},
    )


def council_map(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/council_map.html")


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(request, "registry/organisation_detail.html", {"organisation": organisation})
