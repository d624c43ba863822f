"""Pages of the innovation library for finding and reading: list and search, downloads, feed,
the case page. Thin: parse, call queries, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kitbag.cases.permissions import visible_cases


def case_list(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user).filter(status="published")[:50]
    return render(request, "cases/case_list.html", {"cases": cases})


def case_list_csv(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def case_list_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def case_feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), slug=slug)
    return render(request, "cases/case_detail.html", {"case": case})
