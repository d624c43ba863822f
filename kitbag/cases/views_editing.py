"""Pages for writing a case and moving it through the workflow: thin views over services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def case_create(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def my_cases(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def similar_prompt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)


def case_move(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    return HttpResponse(status=501)


def case_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)


def case_history(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)


def case_revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return HttpResponse(status=501)


def case_transfer(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(status=501)
