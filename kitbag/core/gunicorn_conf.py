"""How gunicorn serves Kitbag: `gunicorn -c python:kitbag.core.gunicorn_conf kitbag.wsgi`.

`make run` and `benchmarks/load.py` both read it, so what is measured is what is served. Why each
number is what it is: docs/decisions/0022-serving-under-load.md. `WORKERS` and `THREADS` in the
environment override the process and thread counts; an empty value means the default.
"""

import os
import resource
import socket
import ssl
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment


def _count_from_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    count = int(value)
    if count < 1:
        raise ValueError(f"{name} must be at least 1, not {count}")
    return count


def default_workers(cpu_count: int | None) -> int:
    """One process per core: the GIL lets a process use one core, and threads cover the waits."""
    return max(2, cpu_count or 1)


def connections_per_worker(open_files: int) -> int:
    """At most 1000, and under the process's limit on open files (each connection is one, as are
    the database files, the logs and the listening socket): past it, accepting would fail and
    stop the worker. The limit is often 1024, and 256 on macOS."""
    if open_files == resource.RLIM_INFINITY:
        return 1000
    return max(16, min(1000, open_files - 64))


def client_has_gone(connection: object) -> bool:
    """Whether the client closed its side after sending its request: one that gave up waiting.

    Its answer would be thrown away, and under overload such requests pile up: working through
    them made the clients still waiting time out in turn (docs/performance.md, 2026-12-06).
    nginx treats a client's close the same way (its 499)."""
    if not isinstance(connection, socket.socket) or isinstance(connection, ssl.SSLSocket):
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False  # nothing more sent, still open: the client is waiting
    except OSError:
        return True  # reset


def answer_only_waiting_clients(application: WSGIApplication) -> WSGIApplication:
    def answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if client_has_gone(environ.get("gunicorn.socket")):
            start_response("499 Client Closed Request", [("Content-Length", "0")])
            return [b""]
        return application(environ, start_response)

    return answer


def post_worker_init(worker: Any) -> None:  # gunicorn's hook, once a worker has the application
    worker.wsgi = answer_only_waiting_clients(worker.wsgi)


# Threads in a few processes, not many single-threaded processes: a slow search holds one thread,
# not a whole process, and kept-alive connections wait in each worker's poller, not in a thread.
worker_class = "gthread"
workers = _count_from_env("WORKERS", default_workers(os.cpu_count()))
threads = _count_from_env("THREADS", 4)
# Open connections per process, idle kept-alive ones included; beyond it new ones wait in the
# listen backlog (which the kernel may cap lower: net.core.somaxconn).
worker_connections = connections_per_worker(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
backlog = 2048

# Load Django once in the arbiter and fork: kitbag.wsgi freezes the startup objects there
# (settle_after_start), every worker shares those pages, and a worker restarted by max_requests
# is up at once instead of importing Django again on a busy machine. Loading opens no database
# connection and starts no thread, which is what makes forking afterwards safe.
preload_app = True

# A gthread worker's main loop reports in while its threads work, so `timeout` restarts a worker
# that is truly stuck, not one with a slow request.
timeout = 30
# Time to finish requests in hand on a restart or Ctrl-C, before they are cut off.
graceful_timeout = 20
# Seconds an idle kept-alive connection stays open: longer than a browser's gap between a page
# and its assets, short enough that idle clients do not fill worker_connections.
keepalive = 5
# Restart each worker after this many requests (jittered so that they do not restart together),
# to bound slow memory growth.
max_requests = 10000
max_requests_jitter = 1000

# No control socket (gunicornc): it is one path per user, $HOME/.gunicorn/gunicorn.ctl, so a
# second server (another checkout, the load benchmark) takes it over and removes it on stopping.
# Signals do its work: HUP restarts the workers, TTIN and TTOU add and remove one, TERM stops.
control_socket_disable = True

# Request limits, written out so that they are chosen rather than inherited: a request line of
# 4 KiB is plenty for a search with every facet, and nothing Kitbag serves takes many headers.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
