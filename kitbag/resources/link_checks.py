"""The polite link check: does each resource's address still answer?

Polite to the sites it asks: a User-Agent that says who is asking and where to read why, one
request at a time, at least `per_host_delay` seconds between two requests to one host (hosts are
taken in turn, so the wait is rarely idle), a timeout on each request, and HEAD first (no body is
sent) with GET only when a server refuses HEAD or fails on it. A redirect is followed (urllib,
http and https only) and the page it leads to is the answer.

What an answer means (`judge`): 2xx working; 410 Gone dead at once (the site says so); anything
else (404, 5xx, a timeout, a refused connection) one failure more, and dead after
`DEAD_AFTER` failures in a row: a site down for an afternoon is not a dead link. The writes are
in services.record_link_answer; this module only asks.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Final, TypeVar

from kitbag.resources.addresses import host_of

USER_AGENT: Final = "Kitbag link checker (+https://github.com/kitbag; checks links in its library)"
TIMEOUT_SECONDS: Final = 10.0
PER_HOST_DELAY_SECONDS: Final = 5.0
DEAD_AFTER: Final = 3
# Servers that do not do HEAD answer one of these (or fail): then GET is asked.
_RETRY_WITH_GET: Final = frozenset({400, 403, 404, 405, 429, 500, 501, 502, 503})
_BODY_BYTES_READ: Final = 1024
T = TypeVar("T")


@dataclass(frozen=True)
class LinkAnswer:
    status: int | None  # the HTTP status, or None when no answer came
    problem: str = ""  # in words, when there is one: "timed out after 10 s"

    @property
    def works(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def ask(url: str, *, timeout: float = TIMEOUT_SECONDS) -> LinkAnswer:
    """One address: HEAD, then GET when HEAD does not give a good answer."""
    answer = _request(url, method="HEAD", timeout=timeout)
    if answer.works or (answer.status is not None and answer.status not in _RETRY_WITH_GET):
        return answer
    if answer.status is None and "timed out" in answer.problem:
        return answer  # a server that times out on HEAD is not asked again straight away
    return _request(url, method="GET", timeout=timeout)


def _request(url: str, *, method: str, timeout: float) -> LinkAnswer:
    if not url.startswith(("http://", "https://")):
        return LinkAnswer(status=None, problem="not an http or https address")
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            if method == "GET":
                response.read(_BODY_BYTES_READ)
            return LinkAnswer(status=int(response.status))
    except urllib.error.HTTPError as error:
        return LinkAnswer(status=error.code, problem=f"HTTP {error.code} {error.reason}"[:200])
    except TimeoutError:
        return LinkAnswer(status=None, problem=f"timed out after {timeout:g} s")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            return LinkAnswer(status=None, problem=f"timed out after {timeout:g} s")
        return LinkAnswer(status=None, problem=f"no answer: {error.reason}"[:200])
    except (OSError, ValueError) as error:
        return LinkAnswer(status=None, problem=f"no answer: {error}"[:200])


@dataclass(frozen=True)
class Judgement:
    state: str  # a models.LinkState value
    failures_in_a_row: int


def judge(answer: LinkAnswer, *, failures_before: int) -> Judgement:
    if answer.works:
        return Judgement(state="working", failures_in_a_row=0)
    failures = failures_before + 1
    if answer.status == 410 or failures >= DEAD_AFTER:
        return Judgement(state="dead", failures_in_a_row=failures)
    return Judgement(state="failing", failures_in_a_row=failures)


def in_polite_order(items: Iterable[T], *, url_of: Callable[[T], str]) -> Iterator[T]:
    """Items taken a host at a time in turn (a, b, c, a, b, a...), so one host is not asked
    twice in a row while another waits."""
    by_host: dict[str, deque[T]] = {}
    for item in items:
        by_host.setdefault(host_of(url_of(item)), deque()).append(item)
    queues = deque(by_host.values())
    while queues:
        queue = queues.popleft()
        yield queue.popleft()
        if queue:
            queues.append(queue)


class HostPacer:
    """Waits so that two requests to one host are at least `delay` seconds apart."""

    def __init__(
        self,
        delay: float = PER_HOST_DELAY_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.last: dict[str, float] = {}

    def wait_for(self, url: str) -> None:
        host = host_of(url)
        previous = self.last.get(host)
        if previous is not None:
            wait = previous + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last[host] = self.clock()
