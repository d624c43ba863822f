"""A polite HTTP client for councils' democracy systems.

Polite means: an honest User-Agent naming Kitbag and a contact address (settings, from the
environment); at most one request per interval to each host, shared by every process that shares
Django's cache (see `HostRateLimiter`); conditional requests with the ETag and Last-Modified a URL
last answered with; a timeout; a few retries with exponential backoff, only where a retry can help
(no answer, 429, 5xx), honouring Retry-After. Redirects are followed only within the same host, so
a council's server cannot send Kitbag to fetch somewhere else.

Every answer is classified into one `EndpointStatus`, which is what the calendar page shows.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from kitbag.meetings.models import EndpointStatus

logger = logging.getLogger(__name__)

# A ModernGov answer is rarely above a few megabytes; more than this is not a calendar.
MAX_BODY_BYTES = 20 * 1024 * 1024
# Longest a Retry-After header may make one retry wait.
MAX_RETRY_AFTER_SECONDS = 120.0


class HostRateLimiter:
    """At most one request per `interval` seconds to each host, across processes.

    Each request reserves the next free time slot for its host with an atomic cache `add` (Redis
    in production; on one machine the file cache, where `add` is close enough: its race window is
    a file write). It then sleeps until its slot begins. With interval 0 it never waits (tests and
    the benchmark).
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep

    def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        now = self.clock()
        slot = int(now // self.interval) + 1
        # Slots are reserved a short way ahead; beyond that the host is simply busy.
        for candidate in range(slot, slot + 600):
            key = f"meetings:rate:{host}:{candidate}"
            if cache.add(key, 1, timeout=int(self.interval * 600) + 60):
                delay = candidate * self.interval - self.clock()
                if delay > 0:
                    self.sleep(delay)
                return
        raise RuntimeError(f"More than 600 requests are queued for {host}.")


@dataclass(frozen=True)
class Validators:
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: str  # an EndpointStatus value
    http_status: int | None = None
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    detail: str = ""
    attempts: int = 1
    # False where trying again cannot help (a TLS handshake that fails fails the same way).
    retryable: bool = True

    @property
    def ok(self) -> bool:
        return self.status == EndpointStatus.OK

    @property
    def not_modified(self) -> bool:
        return self.http_status == 304


def classify_http_status(code: int) -> str:
    """What an HTTP status means for a sync: the five health states the calendar page shows."""
    if 200 <= code < 400:
        return EndpointStatus.OK
    if code in {401, 403, 407, 451}:
        return EndpointStatus.FORBIDDEN
    if code == 429 or code >= 500:
        return EndpointStatus.SERVER_ERROR
    # 404, 410 and other refusals of this address: the service is not where we asked.
    return EndpointStatus.NOT_FOUND


class RedirectRefused(urllib.error.URLError):
    """A server tried to send Kitbag to another host."""


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same host (http→https upgrades included)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        old_host = (urlsplit(req.full_url).hostname or "").lower()
        new = urlsplit(newurl)
        if (new.hostname or "").lower() != old_host or new.scheme not in {"http", "https"}:
            raise RedirectRefused(f"It redirects to another host ({new.hostname}); not followed.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER_SECONDS))


class PoliteClient:
    def __init__(
        self,
        *,
        user_agent: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        rate_limiter: HostRateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent or settings.KITBAG_SYNC_USER_AGENT
        self.timeout = settings.KITBAG_SYNC_TIMEOUT_SECONDS if timeout is None else timeout
        self.retries = settings.KITBAG_SYNC_RETRIES if retries is None else retries
        self.backoff = settings.KITBAG_SYNC_BACKOFF_SECONDS if backoff is None else backoff
        self.rate_limiter = rate_limiter or HostRateLimiter(
            settings.KITBAG_SYNC_MIN_INTERVAL_SECONDS
        )
        self.sleep = sleep
        self.requests_made = 0
        self._opener = urllib.request.build_opener(_SameHostRedirects())

    def get(self, url: str, *, validators: Validators | None = None) -> FetchResult:
        """GET `url`, retrying what may pass; never raises for what a server or network does."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return FetchResult(
                url=url, status=EndpointStatus.NOT_FOUND, detail="Not a web address."
            )
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "text/xml, application/xml;q=0.9, */*;q=0.1",
        }
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        attempt = 0
        while True:
            attempt += 1
            result, retry_after = self._attempt(url, parts.hostname.lower(), headers, attempt)
            retryable = result.retryable and result.status in {
                EndpointStatus.UNREACHABLE,
                EndpointStatus.SERVER_ERROR,
            }
            if not retryable or attempt > self.retries:
                return result
            delay = self.backoff * (2 ** (attempt - 1))
            if retry_after is not None:
                delay = max(delay, retry_after)
            logger.info("Retrying %s in %.1fs after: %s", url, delay, result.detail)
            self.sleep(delay)

    def _attempt(
        self, url: str, host: str, headers: dict[str, str], attempt: int
    ) -> tuple[FetchResult, float | None]:
        self.rate_limiter.wait(host)
        self.requests_made += 1
        request = urllib.request.Request(url, headers=headers, method="GET")  # noqa: S310 (scheme checked in get)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_BODY_BYTES + 1)
                if len(body) > MAX_BODY_BYTES:
                    return FetchResult(
                        url=url,
                        status=EndpointStatus.INVALID,
                        http_status=response.status,
                        detail="The answer was too large.",
                        attempts=attempt,
                    ), None
                return FetchResult(
                    url=url,
                    status=EndpointStatus.OK,
                    http_status=response.status,
                    body=body,
                    etag=response.headers.get("ETag", "") or "",
                    last_modified=response.headers.get("Last-Modified", "") or "",
                    attempts=attempt,
                ), None
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return FetchResult(
                    url=url,
                    status=EndpointStatus.OK,
                    http_status=304,
                    etag=error.headers.get("ETag", "") if error.headers else "",
                    last_modified=error.headers.get("Last-Modified", "") if error.headers else "",
                    detail="Not modified.",
                    attempts=attempt,
                ), None
            return FetchResult(
                url=url,
                status=classify_http_status(error.code),
                http_status=error.code,
                detail=f"HTTP {error.code}",
                attempts=attempt,
            ), _retry_after(error.headers)
        except RedirectRefused as error:
            return FetchResult(
                url=url, status=EndpointStatus.NOT_FOUND, detail=str(error.reason), attempts=attempt
            ), None
        except TimeoutError:
            detail = f"No answer within {self.timeout:g} seconds."
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                detail = f"No answer within {self.timeout:g} seconds."
            elif isinstance(reason, socket.gaierror):
                detail = "The host name does not resolve."
            elif isinstance(reason, ssl.SSLError):
                return FetchResult(
                    url=url,
                    status=EndpointStatus.UNREACHABLE,
                    detail=f"No secure connection: {reason}"[:500],
                    attempts=attempt,
                    retryable=False,
                ), None
            else:
                detail = f"Could not connect: {reason}"
        except (http.client.HTTPException, ConnectionError, OSError) as error:
            detail = f"The connection failed: {error.__class__.__name__}"
        return FetchResult(
            url=url, status=EndpointStatus.UNREACHABLE, detail=detail[:500], attempts=attempt
        ), None
