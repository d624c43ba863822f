"""The API's routes, for tests that check something of every endpoint."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def api_url_patterns() -> list[URLPattern]:
    """Every route under /api/, through each domain's include()."""
    api = next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "api/"
    )
    found: list[URLPattern] = []
    waiting: list[URLPattern | URLResolver] = list(api.url_patterns)
    while waiting:
        pattern = waiting.pop(0)
        if isinstance(pattern, URLResolver):
            waiting.extend(pattern.url_patterns)
        else:
            found.append(pattern)
    return found


def view_class_of(pattern: URLPattern) -> type | None:
    """The class behind a route's view, through decorators such as the page cache."""
    view = pattern.callback
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return getattr(view, "cls", None) or getattr(view, "view_class", None)
