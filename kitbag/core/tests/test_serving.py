from __future__ import annotations

import gc
import importlib
import os
import resource
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from wsgiref.types import StartResponse, WSGIEnvironment

import pytest
from gunicorn.app.base import Application

from kitbag.core import gunicorn_conf
from kitbag.core.gunicorn_conf import answer_only_waiting_clients

CONFIG = "python:kitbag.core.gunicorn_conf"


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("module", ["kitbag.wsgi", "kitbag.asgi"])
def test_a_serving_process_puts_what_it_made_while_starting_out_of_the_collectors_reach(
    module: str, unfrozen: None
) -> None:
    assert gc.get_freeze_count() == 0
    importlib.reload(importlib.import_module(module))
    assert gc.get_freeze_count() > 0


def test_loading_the_application_starts_no_thread_and_touches_no_database(unfrozen: None) -> None:
    # What makes preload_app safe: gunicorn loads kitbag.wsgi once and forks the workers from it,
    # so nothing shared (a thread, a database connection) may exist by then. Without a django_db
    # mark, pytest-django refuses any database access, so the reload fails if loading queries.
    threads = threading.active_count()
    importlib.reload(importlib.import_module("kitbag.wsgi"))
    assert threading.active_count() == threads


class ConfigOnly(Application):
    """gunicorn's own reading (and checking) of the serving configuration, with no command line
    and no server."""

    def load_config(self) -> None:
        self.load_config_from_module_name_or_filename(CONFIG)

    def load(self) -> None:
        raise AssertionError("not started in tests")


@pytest.fixture
def reloaded_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The module as read with WORKERS and THREADS unset; set them on the returned monkeypatch and
    reload the module to read them."""
    monkeypatch.delenv("WORKERS", raising=False)
    monkeypatch.delenv("THREADS", raising=False)
    importlib.reload(gunicorn_conf)
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)


def test_gunicorn_serves_with_threads_time_outs_and_limits(
    reloaded_config: pytest.MonkeyPatch,
) -> None:
    config = ConfigOnly().cfg

    assert config.worker_class_str == "gthread"
    assert config.workers == max(2, os.cpu_count() or 1)
    assert config.threads >= 2
    assert config.preload_app
    assert 0 < config.keepalive < config.graceful_timeout <= config.timeout
    assert 0 < config.max_requests_jitter < config.max_requests
    assert config.worker_connections > config.threads
    assert config.backlog >= config.worker_connections
    assert config.control_socket_disable
    assert config.post_worker_init is gunicorn_conf.post_worker_init


def test_every_name_in_the_config_module_is_a_setting_gunicorn_knows() -> None:
    # gunicorn silently ignores a name it does not know, such as `keep_alive`.
    known = set(ConfigOnly().cfg.settings)
    names = {
        name
        for name, value in vars(gunicorn_conf).items()
        if not name.startswith("_") and not callable(value) and not isinstance(value, ModuleType)
    }
    assert names <= known, names - known


@pytest.mark.parametrize(
    ("workers", "threads", "expected"),
    [
        ("5", "8", (5, 8)),
        ("", "", (max(2, os.cpu_count() or 1), 4)),
        (" 1 ", "2", (1, 2)),
    ],
)
def test_workers_and_threads_come_from_the_environment_when_set(
    reloaded_config: pytest.MonkeyPatch, workers: str, threads: str, expected: tuple[int, int]
) -> None:
    reloaded_config.setenv("WORKERS", workers)
    reloaded_config.setenv("THREADS", threads)
    importlib.reload(gunicorn_conf)
    assert (gunicorn_conf.workers, gunicorn_conf.threads) == expected


@pytest.mark.parametrize("workers", ["0", "-2", "three"])
def test_a_worker_count_that_is_not_a_positive_number_stops_the_start(
    reloaded_config: pytest.MonkeyPatch, workers: str
) -> None:
    reloaded_config.setenv("WORKERS", workers)
    with pytest.raises(ValueError):
        importlib.reload(gunicorn_conf)


def test_the_default_worker_count_follows_the_cores_with_at_least_two() -> None:
    assert [gunicorn_conf.default_workers(cores) for cores in (None, 1, 2, 8)] == [2, 2, 2, 8]


@pytest.mark.parametrize(
    ("open_files", "connections"),
    [(256, 192), (1024, 960), (65536, 1000), (resource.RLIM_INFINITY, 1000)],
)
def test_a_worker_holds_no_more_connections_than_it_may_open_files(
    open_files: int, connections: int
) -> None:
    assert gunicorn_conf.connections_per_worker(open_files) == connections


@pytest.fixture
def connection() -> Iterator[tuple[socket.socket, socket.socket]]:
    """The server's end of a connection, and the client's."""
    server, client = socket.socketpair()
    yield server, client
    server.close()
    client.close()


class StartResponseRecorder:
    def __init__(self) -> None:
        self.statuses: list[str] = []

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: object = None, /
    ) -> Callable[[bytes], object]:
        self.statuses.append(status)
        return lambda data: None


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [])
    return [b"hello"]


def test_a_client_still_waiting_is_answered(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server, _ = connection
    started = StartResponseRecorder()
    answered = answer_only_waiting_clients(hello)({"gunicorn.socket": server}, started)
    assert (list(answered), started.statuses) == ([b"hello"], ["200 OK"])


def test_a_client_that_sent_more_is_still_waiting(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server, client = connection
    client.sendall(b"GET /next HTTP/1.1\r\n")
    assert not gunicorn_conf.client_has_gone(server)


def test_a_client_that_closed_its_connection_gets_no_work_done(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server, client = connection
    client.close()
    started = StartResponseRecorder()
    answered = answer_only_waiting_clients(hello)({"gunicorn.socket": server}, started)
    assert (list(answered), started.statuses) == ([b""], ["499 Client Closed Request"])


def test_a_request_from_outside_gunicorn_is_answered() -> None:
    started = StartResponseRecorder()
    assert list(answer_only_waiting_clients(hello)({}, started)) == [b"hello"]
