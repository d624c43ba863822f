"""A consultation at scale through the database: publishing a revision of a 500-paragraph document
with 10,000 comments (carrying every anchor and storing it), then the document page's queries and
time beside the organisation page's, in the same run.

Runs on a throwaway SQLite database (or DATABASE_URL if set: use an empty one), never the
development database.

    .venv/bin/python benchmarks/consultation_page.py [--paragraphs 500] [--comments 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "library",
    "hours",
    "council",
    "service",
    "residents",
    "parking",
    "charge",
    "review",
    "budget",
    "community",
    "access",
    "evening",
    "morning",
    "weekend",
    "staff",
    "volunteer",
    "building",
    "repair",
    "waste",
    "collection",
    "schools",
    "transport",
    "housing",
    "planning",
    "consultation",
    "proposal",
    "change",
    "cost",
    "saving",
    "public",
    "safety",
    "health",
    "care",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    temporary = tempfile.mkdtemp(prefix="kitbag-consultation-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{temporary}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kitbag.settings"
    os.environ["KITBAG_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from kitbag.accounts.models import User
    from kitbag.consultations import services
    from kitbag.consultations.models import Comment, Participant
    from kitbag.registry.models import Organisation

    rng = random.Random(18)
    council = Organisation.objects.create(
        slug="bench-council", kind="local-authority", name="Bench Council", code="BEN"
    )
    blocks = [sentence(rng, rng.randint(25, 60)) for _ in range(args.paragraphs)]
    consultation = services.create_consultation(
        organisation=council,
        details=services.Details(title="Benchmark consultation"),
        document="\n\n".join(blocks),
        by=None,
        check_permission=False,
    )
    services.publish_consultation(consultation=consultation, by=None, check_permission=False)
    version = consultation.versions.get()
    keys = list(version.paragraphs.order_by("position").values_list("key", flat=True))
    people = User.objects.bulk_create(User(email=f"p{n}@example.org") for n in range(200))
    Participant.objects.bulk_create(
        Participant(user=p, display_name=f"Person {n}", consented_at=timezone.now())
        for n, p in enumerate(people)
    )
    now = timezone.now()
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            version=version,
            paragraph_key=rng.choice(keys),
            author=rng.choice(people),
            display_name="Person",
            text=sentence(rng, rng.randint(8, 40)),
            created_at=now,
            anchor_version=1,
            anchor_paragraph="",
            anchor_status="unchanged",
        )
        for _ in range(args.comments)
    )
    # A revision: a tenth of the paragraphs edited, a twentieth removed, a few inserted.
    revised = []
    for text in blocks:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.15:
            words = text.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = " ".join(words)
        revised.append(text)
        if roll > 0.98:
            revised.append(sentence(rng, 30))
    started = time.perf_counter()
    services.publish_revision(
        consultation=consultation, document="\n\n".join(revised), by=None, check_permission=False
    )
    revision_seconds = time.perf_counter() - started

    client = Client(HTTP_HOST="127.0.0.1")

    def measure(path: str) -> tuple[int, float]:
        client.get(path)  # warm
        executed = 0

        def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal executed
            executed += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.repeats):
            began = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - began)
        return executed, statistics.median(times)

    document_queries, document_time = measure(consultation.get_absolute_url())
    organisation_queries, organisation_time = measure(council.get_absolute_url())
    print(f"database: {connection.vendor}; {args.paragraphs} paragraphs, {args.comments} comments")
    print(f"publishing a revision (revise, carry_forward, store anchors): {revision_seconds:.2f} s")
    print(
        f"document page: {document_queries} queries, median {document_time * 1000:.0f} ms "
        f"over {args.repeats}"
    )
    print(
        f"organisation page (same run): {organisation_queries} queries, "
        f"median {organisation_time * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
