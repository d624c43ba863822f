"""Whole-response caching for public pages built from data that changes only on import.

A page is cached per URL, language and data version, for anonymous GET and HEAD requests only, and
only when the response is a plain 200 that sets no cookie and used no CSRF token, so nothing
personal can be served to someone else. A new data version (published by the importers) makes
every cached page stale at once; KITBAG_PAGE_CACHE_SECONDS bounds how long one is kept.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def cache_public_page(*, data_version: Callable[[], str | None]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = settings.KITBAG_PAGE_CACHE_SECONDS
            user = getattr(request, "user", None)
            if (
                seconds <= 0
                or request.method not in {"GET", "HEAD"}
                or (user is not None and user.is_authenticated)
                or "HTTP_AUTHORIZATION" in request.META  # API tokens: answers may be personal
            ):
                return view(request, *args, **kwargs)
            version = data_version()
            if version is None:  # the cache is unreachable: serve fresh pages
                return view(request, *args, **kwargs)
            key = _key(request, version)
            cached = _safe_get(key)
            if cached is not None:
                status, headers, content = cached
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if _cacheable(request, response):
                headers = [(n, v) for n, v in response.items() if n.lower() != "set-cookie"]
                _safe_set(key, (response.status_code, headers, response.content), seconds)
            return response

        return wrapper

    return decorator


def _key(request: HttpRequest, version: str) -> str:
    raw = f"{version}|{get_language()}|{request.get_host()}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # get_token() marks this: the page holds a CSRF token, which must not be shared.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A page that showed someone a message ("You have signed out") is theirs alone.
        and not getattr(getattr(request, "_messages", None), "used", False)
    )


def _safe_get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache unreachable on read", exc_info=True)
        return None


def _safe_set(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, timeout=seconds)
    except Exception:
        logger.warning("Page cache unreachable on write", exc_info=True)
