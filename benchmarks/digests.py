"""A digest run at scale: 10,000 people following 50 things each, beside one digest alone.

Builds a throwaway SQLite database (or DATABASE_URL if set: use an empty one): organisations,
published and draft cases, people each following a random 50 of them (organisations and cases),
every person on daily digests, and a day's happenings (cases published, some of them drafts again
by the time the digest is built, and new published figures naming many organisations). Then runs
`kitbag.follows.services.send_digests` exactly as the scheduled task does, with an email backend
that builds every message (headers, text and HTML parts) and throws it away, and prints the total
time, the queries and time per person, and, in the same run, one person's digest built alone
(the happenings query and the email), with the ratio of the two.

    .venv/bin/python benchmarks/digests.py [--people 10000] [--follows 50] [--happenings 600]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000


class BuildingEmailBackend:
    """Builds each message as SMTP would send it, and keeps only a count of its bytes."""

    sent = 0
    size = 0

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            BuildingEmailBackend.size += len(message.message().as_bytes())
            BuildingEmailBackend.sent += 1
        return len(messages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--follows", type=int, default=50)
    parser.add_argument("--organisations", type=int, default=400)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--happenings", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    temporary = tempfile.mkdtemp(prefix="kitbag-digest-bench-")
    if os.environ.get("KEEP_DB"):
        temporary = os.environ["KEEP_DB"]
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{temporary}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kitbag.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    settings.EMAIL_BACKEND = "benchmarks.digests.BuildingEmailBackend"
    call_command("migrate", verbosity=0)

    from kitbag.accounts.models import User
    from kitbag.cases.models import Case, RecordStatus
    from kitbag.follows import digests, queries, services
    from kitbag.follows.models import (
        Follow,
        FollowSettings,
        HappeningConcern,
        StoredHappening,
    )
    from kitbag.follows.periods import period_end
    from kitbag.registry.models import Organisation

    rng = random.Random(21)
    now = timezone.now()
    began = time.perf_counter()
    with transaction.atomic():
        Organisation.objects.bulk_create(
            Organisation(slug=f"council-{n}", kind="local-authority", name=f"Council {n}")
            for n in range(args.organisations)
        )
        organisations = list(Organisation.objects.values_list("pk", flat=True))
        Case.objects.bulk_create(
            (
                Case(
                    slug=f"case-{n}",
                    title=f"Case {n}: text reminders for bin collections",
                    summary="Residents get a text the night before collection.",
                    lead_organisation_id=rng.choice(organisations),
                    status=RecordStatus.PUBLISHED,
                )
                for n in range(args.cases)
            ),
            batch_size=BATCH,
        )
        cases = list(Case.objects.values_list("pk", "lead_organisation_id"))
        User.objects.bulk_create(
            # "!" is Django's unusable password: nobody signs in as these people.
            (User(email=f"person{n}@example.org", password="!") for n in range(args.people)),  # noqa: S106
            batch_size=BATCH,
        )
        people = list(User.objects.values_list("pk", flat=True))
        FollowSettings.objects.bulk_create(
            (
                FollowSettings(
                    user_id=pk,
                    digest_frequency="daily",
                    digest_sent_up_to=now - dt.timedelta(days=1),
                    feed_token=f"token-{pk}",
                )
                for pk in people
            ),
            batch_size=BATCH,
        )
        keys = [f"organisation:{pk}" for pk in organisations] + [f"case:{pk}" for pk, _ in cases]
        follows = (
            Follow(user_id=person, key=key)
            for person in people
            for key in rng.sample(keys, args.follows)
        )
        while chunk := [follow for _, follow in zip(range(BATCH), follows, strict=False)]:
            Follow.objects.bulk_create(chunk)
        # A day's happenings: four in five a case published, the rest new figures for many bodies.
        published = rng.sample(cases, int(args.happenings * 0.8))
        stored = [
            StoredHappening(
                kind="case-published",
                title=f"Council published a case: Case {pk}",
                url=f"/cases/case-{pk}/",
                happened_at=now,
                recorded_at=now,
                visible_through_kind="case",
                visible_through_id=pk,
            )
            for pk, _lead in published
        ] + [
            StoredHappening(
                kind="figures-published",
                title=f"New published figures: indicator {n}",
                url="/performance/",
                happened_at=now,
                recorded_at=now,
            )
            for n in range(args.happenings - len(published))
        ]
        StoredHappening.objects.bulk_create(stored, batch_size=BATCH)
        happenings = list(StoredHappening.objects.order_by("pk"))
        concerns: list[HappeningConcern] = []
        for happening in happenings:
            if happening.kind == "case-published":
                pk = happening.visible_through_id
                assert pk is not None
                lead = dict(published)[pk]
                concerns += [
                    HappeningConcern(happening=happening, key=f"case:{pk}"),
                    HappeningConcern(happening=happening, key=f"organisation:{lead}"),
                ]
            else:
                concerns += [
                    HappeningConcern(happening=happening, key=f"organisation:{pk}")
                    for pk in rng.sample(organisations, rng.randint(20, len(organisations)))
                ]
        HappeningConcern.objects.bulk_create(concerns, batch_size=BATCH)
        # A tenth of the published cases went back to draft before the digest is built.
        Case.objects.filter(pk__in=[pk for pk, _ in published[: len(published) // 10]]).update(
            status=RecordStatus.DRAFT
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_seconds = time.perf_counter() - began
    print(
        f"database: {connection.vendor}; {args.people} people following {args.follows} things "
        f"each ({Follow.objects.count()} follows), {len(happenings)} happenings "
        f"({len(concerns)} keys); set up in {setup_seconds:.0f} s"
    )

    # One digest alone: the happenings query and the email, built as the run builds them.
    tomorrow_morning = now + dt.timedelta(days=1)
    up_to = period_end(frequency="daily", now=tomorrow_morning)
    someone = User.objects.get(pk=people[len(people) // 2])
    after = now - dt.timedelta(days=1)
    executed = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    alone: list[float] = []
    alone_cpu: list[float] = []
    for _ in range(args.repeats):
        executed = 0
        started = time.perf_counter()
        cpu_started = time.process_time()
        with connection.execute_wrapper(counted):
            found = list(
                queries.happenings_between(someone, after=after, up_to=up_to).order_by(
                    "-recorded_at", "-pk"
                )[: services.DIGEST_LIMIT + 1]
            )
            digests.digest_email(user=someone, frequency="daily", happenings=found).message()
        alone.append(time.perf_counter() - started)
        alone_cpu.append(time.process_time() - cpu_started)
    alone_queries = executed

    executed = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    with connection.execute_wrapper(counted):
        run = services.send_digests(frequency="daily", now=tomorrow_morning)
    run_seconds = time.perf_counter() - started
    run_cpu = time.process_time() - cpu_started
    per_person = run_seconds / max(run.people, 1)
    # The backend Django loaded is this file imported as a module, not __main__.
    from benchmarks.digests import BuildingEmailBackend as used

    print(
        f"digest run: {run.people} people, {run.sent} sent, {run.nothing_new} with nothing new, "
        f"{run.failed} failed; {used.size / max(run.sent, 1) / 1024:.1f} KB an email"
    )
    print(
        f"  total {run_seconds:.1f} s; {executed} queries, {executed / max(run.people, 1):.2f} "
        f"a person; {per_person * 1000:.2f} ms a person "
        f"({run_cpu / max(run.people, 1) * 1000:.2f} ms of this process's CPU)"
    )
    print(
        f"one digest alone: median {statistics.median(alone) * 1000:.2f} ms "
        f"({statistics.median(alone_cpu) * 1000:.2f} ms CPU) over {args.repeats}, "
        f"{alone_queries} queries"
    )
    print(
        f"ratio (a person in the run / one digest alone): {per_person / statistics.median(alone):.2f}"
    )
    again = services.send_digests(frequency="daily", now=tomorrow_morning)
    print(f"a second run in the same period: {again.people} people, {again.sent} sent")


if __name__ == "__main__":
    main()
