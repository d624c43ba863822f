"""Whole-response caching for public pages, fresh the moment what they show changes.

A page is cached per URL, language and public content version, for anonymous GET and HEAD
requests only, and only when the response is a plain 200 that sets no cookie and used no CSRF
token, so nothing personal can be served to someone else. KITBAG_PAGE_CACHE_SECONDS bounds how long
one is kept.

The public content version changes whenever a write that the public could see commits: an import
(its ImportRun), or a change to any model an app has named with `refresh_public_pages_on_change` in
its AppConfig.ready() (a case withdrawn, an adoption recorded, a policy changed...). Every cached
page is then stale at once, in the same request that made the change, whichever process serves
the next one: the version lives in the shared cache. Watching models rather than calling a
function from each service means that a new write cannot forget to do it (decision 0024).

Tests run inside a transaction that never commits; a test that changes data and then expects a
cached page to show it makes the change inside `django_capture_on_commit_callbacks(execute=True)`.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


CONTENT_VERSION_KEY = "page-cache:public-content-version"


def cache_public_page(view: View) -> View:
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
        version = public_content_version()
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


def public_content_version() -> str | None:
    """The token in every cached page's key; None when the cache cannot be reached."""
    try:
        version = cache.get(CONTENT_VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            # add(): when two processes start at once, both use the first one's token.
            if not cache.add(CONTENT_VERSION_KEY, version, timeout=None):
                version = cache.get(CONTENT_VERSION_KEY)
    except Exception:
        logger.warning("Page cache unreachable reading the content version", exc_info=True)
        return None
    return str(version) if version is not None else None


def public_content_changed() -> None:
    """Make every cached page stale once the current transaction commits (at once outside one).

    Only after the commit: until then other requests still read the old rows, and a page drawn
    from them under a new token would stay stale. One new token per transaction, however many
    rows it changes (an import changes thousands): the changes of a transaction share a batch,
    and the first of its callbacks to run publishes for all of them. Each change still asks for
    its own callback, because a rolled-back savepoint takes its callbacks with it.
    """
    connection = transaction.get_connection()
    batch: _Batch | None = getattr(connection, "_kitbag_page_cache_batch", None)
    if batch is None or batch.done:
        batch = _Batch()
        connection._kitbag_page_cache_batch = batch
    # robust: the rows are committed by then, so a cache error is logged, not raised.
    transaction.on_commit(batch.publish, robust=True)


class _Batch:
    def __init__(self) -> None:
        self.done = False

    def publish(self) -> None:
        if not self.done:
            self.done = True
            _publish_new_content_version()


def _publish_new_content_version() -> None:
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def refresh_public_pages_on_change(*models: type[Model]) -> None:
    """Call from AppConfig.ready(): any saved, deleted or re-linked row of these models makes
    every cached page stale (public_content_changed). Bulk writes that bypass signals
    (QuerySet.update, bulk_create) call public_content_changed() themselves, or happen inside an
    import, whose ImportRun is watched."""
    for model in models:
        uid = f"kitbag-page-cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_changed, sender=through, dispatch_uid=uid + f":{field.name}")


def _changed(**kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures: nothing is being shown yet
        return
    public_content_changed()


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
