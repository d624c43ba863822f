"""Meetings calendar: sync throughput against the local fake ModernGov install, and page render time.

Builds a throwaway SQLite database (or uses DATABASE_URL if you give one), starts the fake ModernGov
server from the tests on 127.0.0.1 with a year of meetings, and measures:

- a first sync (every meeting new) and a second sync of the same data (every answer a 304), as
  meetings stored per second, with the per-host rate limit off (it would cap this at one request a
  second, i.e. well under one meeting a second: each meeting has its own GetMeeting request);
- the council's calendar page, its iCalendar feed and the API list, with a year of meetings, in
  milliseconds per render (median of several) and database queries, beside the council's registry
  page rendered the same way as the baseline.

    .venv/bin/python benchmarks/meetings_sync.py [--committees 20] [--per-committee 50] [--renders 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=20)
    parser.add_argument("--per-committee", type=int, default=50)
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="kitbag-meetings-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["KITBAG_VAR_DIR"] = workdir
    os.environ["KITBAG_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kitbag.meetings.calendar import sync
    from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient
    from kitbag.meetings.models import Meeting
    from kitbag.meetings.tests.fake_moderngov import FakeModernGov, running, year_of_meetings
    from kitbag.registry.models import Organisation

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    # Pages are rendered without `collectstatic`: static names fall back to themselves.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)

    today = dt.date.today()
    start = today - dt.timedelta(days=182)
    fake = year_of_meetings(
        FakeModernGov(), committees=args.committees, per_committee=args.per_committee, start=start
    )
    total = len(fake.meetings)
    print(f"Kitbag meetings benchmark on {platform.node()} ({platform.processor() or 'cpu'})")
    print(
        f"database: {connection.vendor}; {args.committees} committees, {total} meetings in a year"
    )

    with running(fake):
        council, _ = Organisation.objects.update_or_create(
            slug="bench-council",
            defaults={
                "kind": "local-authority",
                "name": "Benchmark District Council",
                "short_name": "Benchmark",
                "code": "BEN",
                "democracy_cms": "ModernGov",
                "democracy_url": fake.base_url,
            },
        )
        system = sync.system_for(council=council)
        client = PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01, timeout=10)
        window = (start - dt.timedelta(days=1), start + dt.timedelta(days=366))
        for label in ("first sync (all new)", "second sync (unchanged, 304s)"):
            requests_before = len(fake.requests)
            began = time.perf_counter()
            run = sync.sync_system(
                system=system, date_from=window[0], date_to=window[1], client=client
            )
            seconds = time.perf_counter() - began
            handled = run.meetings_created + run.meetings_updated + run.meetings_unchanged
            print(
                f"{label:34s} {seconds:7.2f} s  {handled / seconds:8.1f} meetings/s  "
                f"{(len(fake.requests) - requests_before) / seconds:8.1f} requests/s  "
                f"({run.outcome}; {run.meetings_created} new, {run.not_modified} not modified)"
            )
    assert Meeting.objects.count() == total

    browser = Client()
    paths = [
        ("registry page of the council (baseline)", council.get_absolute_url()),
        ("council calendar page", f"/meetings/{council.slug}/"),
        ("council calendar page, past page 5", f"/meetings/{council.slug}/?page=5"),
        ("committee calendar page", None),
        ("council iCalendar feed (a year)", f"/meetings/{council.slug}/calendar.ics"),
        ("API meetings, one page of 50", f"/api/v1/meetings?organisation={council.code}"),
    ]
    committee = system.committees.order_by("pk").first()
    assert committee is not None
    for label, path in paths:
        path = path or f"/meetings/{council.slug}/committees/{committee.pk}/"
        browser.get(path)  # warm up
        timings = []
        for _ in range(args.renders):
            began = time.perf_counter()
            response = browser.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            browser.get(path)
        print(
            f"{label:42s} median {statistics.median(timings):7.1f} ms  "
            f"p90 {sorted(timings)[int(len(timings) * 0.9) - 1]:7.1f} ms  "
            f"{len(queries.captured_queries):3d} queries  {len(response.content) / 1024:7.1f} KiB"
        )


if __name__ == "__main__":
    main()
