"""Pages of the innovation library: thin views that parse, call queries or services, and render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kitbag.cases.permissions import visible_cases


def case_list(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user).filter(status="published")[:50]
    return render(request, "cases/case_list.html", {"cases": cases})


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), slug=slug)
    if case is None:
        raise Http404
    return render(request, "cases/case_detail.html", {"case": case})
