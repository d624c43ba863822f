"""The polite link check against a real HTTP server on 127.0.0.1: working pages, 404, 410,
redirects, a server that refuses HEAD, a timeout; dead only after repeated failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from kitbag.accounts.tests.factories import UserFactory
from kitbag.resources import link_checks, services
from kitbag.resources.link_checks import HostPacer, LinkAnswer, ask, in_polite_order, judge
from kitbag.resources.models import LinkState, Resource
from kitbag.resources.tasks import check_links

SLOW_SECONDS = 2.0


class _Site(BaseHTTPRequestHandler):
    requests: list[tuple[str, str, str]] = []

    def _answer(self, body: bool) -> None:
        type(self).requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/ok":
            self._send(200, body)
        elif path == "/missing":
            self._send(404, body)
        elif path == "/gone":
            self._send(410, body)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200, body)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, body)
        else:
            self._send(500, body)

    def _send(self, status: int, body: bool) -> None:
        content = b"<html><title>page</title></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def do_HEAD(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _Site.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_answers_from_a_real_server(site: str) -> None:
    assert ask(f"{site}/ok") == LinkAnswer(status=200)
    assert ask(f"{site}/moved") == LinkAnswer(status=200)
    assert ask(f"{site}/missing").status == 404
    assert ask(f"{site}/gone").status == 410
    assert ask(f"{site}/no-head") == LinkAnswer(status=200)
    slow = ask(f"{site}/slow", timeout=0.3)
    assert slow.status is None and slow.problem == "timed out after 0.3 s"
    closed = ask("http://127.0.0.1:9/nothing", timeout=1)
    assert closed.status is None and closed.problem.startswith("no answer")


def test_head_first_then_get_only_when_head_is_refused(site: str) -> None:
    ask(f"{site}/ok")
    ask(f"{site}/no-head")
    methods = [(method, path) for method, path, _ in _Site.requests]
    assert methods == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]
    assert all(agent == link_checks.USER_AGENT for _, _, agent in _Site.requests)


def test_dead_after_repeated_failures_and_at_once_when_gone() -> None:
    missing = LinkAnswer(status=404, problem="HTTP 404 Not Found")
    assert judge(missing, failures_before=0).state == "failing"
    assert judge(missing, failures_before=link_checks.DEAD_AFTER - 2).state == "failing"
    assert judge(missing, failures_before=link_checks.DEAD_AFTER - 1).state == "dead"
    assert judge(LinkAnswer(status=410), failures_before=0).state == "dead"
    assert judge(LinkAnswer(status=200), failures_before=5) == link_checks.Judgement("working", 0)


def test_the_pacer_waits_between_two_requests_to_one_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = HostPacer(5.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait_for("https://a.example/1")
    pacer.wait_for("https://b.example/1")
    now[0] += 1.0
    pacer.wait_for("https://a.example/2")
    assert slept == [4.0]


def test_hosts_are_taken_in_turn() -> None:
    urls = [
        "https://a.example/1",
        "https://a.example/2",
        "https://a.example/3",
        "https://b.example/1",
    ]
    assert list(in_polite_order(urls, url_of=str)) == [
        "https://a.example/1",
        "https://b.example/1",
        "https://a.example/2",
        "https://a.example/3",
    ]


@pytest.mark.django_db
def test_the_scheduled_check_marks_links_and_a_dead_link_after_three_failures(site: str) -> None:
    person = UserFactory.create()
    for path in ("ok", "missing", "gone", "moved", "slow"):
        services.recommend(person=person, url=f"{site}/{path}", title=path)
    counts = check_links.apply(kwargs={"per_host_delay": 0, "timeout": 0.5}).get()
    assert counts == {"checked": 5, "working": 2, "failing": 2, "dead": 1}
    state = {r.url.rsplit("/", 1)[1]: r for r in Resource.objects.all()}
    assert state["ok"].link_state == LinkState.WORKING and state["ok"].last_status == 200
    assert state["moved"].link_state == LinkState.WORKING
    assert state["gone"].link_state == LinkState.DEAD and state["gone"].last_status == 410
    assert state["missing"].link_state == LinkState.FAILING
    assert state["missing"].failures_in_a_row == 1
    assert state["slow"].last_problem == "timed out after 0.5 s"
    assert state["ok"].checked_at is not None
    # Nothing is due again for a week.
    assert check_links.apply(kwargs={"per_host_delay": 0, "timeout": 0.5}).get()["checked"] == 0
    for _ in range(2):
        check_links.apply(kwargs={"per_host_delay": 0, "timeout": 0.5, "everything": True}).get()
    missing = Resource.objects.get(url=f"{site}/missing")
    assert missing.link_state == LinkState.DEAD and missing.failures_in_a_row == 3


@pytest.mark.django_db
def test_the_command_runs_the_check_through_the_background_interface(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    services.recommend(person=UserFactory.create(), url=f"{site}/ok", title="ok")
    call_command("check_links", delay=0, timeout=1)
    assert "Checked 1 links: 1 working, 0 failing, 0 dead." in capsys.readouterr().out


def test_the_check_is_scheduled() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["check-resource-links"]
    assert entry["task"] == "kitbag.resources.tasks.check_links"
