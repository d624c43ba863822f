"""Requests per second for the organisation list page and API list, against a trivial Django view.

Starts gunicorn on 127.0.0.1 with Kitbag's settings plus one trivial view (benchmarks/settings.py),
drives each URL with a local closed-loop load generator for a few seconds, and prints throughput,
latency and the ratio to the trivial view measured on the same server in the same run. It also prints
the number of database queries each URL makes. Needs an imported registry (`make import`).

    .venv/bin/python benchmarks/pages.py [--seconds 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import run_load  # noqa: E402

PATHS = [
    ("trivial Django view (baseline)", "/__benchmark__/trivial"),
    ("organisation list page", "/organisations/"),
    ("organisation list page, filtered", "/organisations/?kind=local-authority&nation=Wales"),
    ("API organisation list", "/api/v1/organisations"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def count_queries(path: str) -> int:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)  # warm the resolver index and the hex map first
    # Count what building the page costs, not a cache hit.
    with (
        override_settings(KITBAG_PAGE_CACHE_SECONDS=0),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def measure(args: argparse.Namespace, *, cache_seconds: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": str(ROOT),
        "KITBAG_PAGE_CACHE_SECONDS": cache_seconds,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "benchmarks.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"{'what':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} "
            f"{'queries':>8} {'ratio':>7}"
        )
        baseline = None
        for label, path in PATHS:
            run_load("127.0.0.1", port, path, seconds=1.0)  # warm up each worker
            result = run_load("127.0.0.1", port, path, seconds=args.seconds)
            queries = count_queries(path)
            if baseline is None:
                baseline = result.requests_per_second
            ratio = result.requests_per_second / baseline
            print(
                f"{label:40} {result.requests_per_second:8.1f} {result.p50_ms:8.1f} "
                f"{result.p95_ms:8.1f} {result.errors:7d} {queries:8d} {ratio:7.0%}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from kitbag.registry.models import Organisation

    if not Organisation.objects.exists():
        print("The registry is empty: run `make import` first.", file=sys.stderr)
        return 1
    organisations = Organisation.objects.count()

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database {django.db.connection.vendor}, {organisations} organisations"
    )
    print(
        f"Server: gunicorn, {args.workers} sync workers; load: 2 processes x 4 threads, "
        f"{args.seconds:.0f} s per URL"
    )
    # Registry pages are cached until an import changes the registry (kitbag/core/page_cache.py);
    # the uncached run shows what each first visit after an import costs.
    for label, cache_seconds in (("page cache on (default)", "300"), ("page cache off", "0")):
        print(f"\n{label}")
        measure(args, cache_seconds=cache_seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
