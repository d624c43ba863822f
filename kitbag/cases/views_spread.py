"""Pages for recording spread: "we adopted this" and relations between cases."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def adoption_create(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)


def adoption_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse(status=501)


def relation_create(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)


def relation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse(status=501)
