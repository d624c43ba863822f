"""Bookmark import at 10,000 links: the time of a first import, and that a second one changes
nothing (every link counted unchanged, no row written), then a third person's import of the same
file merging into the library, through the same service as the command and the upload form.

The file is generated: 10,000 links over 200 hosts, three tags each from a list of 60, nested
folders, a tenth private, a tenth with descriptions, 50 duplicate addresses and 20 unsafe links.
Runs on a throwaway SQLite database (or DATABASE_URL if set: use an empty one), never the
development database.

    .venv/bin/python benchmarks/bookmark_import.py [--links 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TAGS = [f"topic-{n}" for n in range(60)]


def bookmark_file(links: int, rng: random.Random) -> bytes:
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
        "<DL><p>",
    ]
    per_folder = 500
    for n in range(links):
        if n % per_folder == 0:
            if n:
                lines.append("</DL><p></DL><p>")
            lines.append(f"<DT><H3>Folder {n // per_folder}</H3><DL><p>")
            lines.append("<DT><H3>Inner</H3><DL><p>")
        host = f"site{n % 200}.example.org"
        # The last 50 repeat earlier addresses: duplicates within the file.
        path = f"page-{n if n < links - 50 else n - 1000}"
        tags = ",".join(rng.sample(TAGS, 3))
        private = ' PRIVATE="1"' if n % 10 == 0 else ""
        lines.append(
            f'<DT><A HREF="https://{host}/{path}" ADD_DATE="{1_600_000_000 + n}"{private} '
            f'TAGS="{tags}">{escape(f"Page {n} on {host}")}</A>'
        )
        if n % 10 == 5:
            lines.append(f"<DD>Why page {n} is worth reading, in a sentence or two.")
        if n % 500 == 7:
            lines.append(f'<DT><A HREF="javascript:alert({n})">unsafe {n}</A>')
    lines.append("</DL><p></DL><p>")
    lines.append("</DL><p>")
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=10_000)
    args = parser.parse_args()

    temporary = tempfile.mkdtemp(prefix="kitbag-bookmark-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{temporary}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kitbag.settings"
    os.environ["KITBAG_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("KITBAG_SEMANTIC", "off")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from kitbag.accounts.models import User
    from kitbag.resources.models import Recommendation, Resource
    from kitbag.resources.services import import_bookmark_file
    from kitbag.search.models import SearchDocument

    data = bookmark_file(args.links, random.Random(21))
    owner = User.objects.create(email="owner@example.org")
    other = User.objects.create(email="other@example.org")
    print(f"{connection.vendor}, a generated file of {len(data) / 1e6:.1f} MB, {args.links} links")

    def state() -> tuple[object, ...]:
        return (
            list(
                Resource.objects.order_by("pk").values_list(
                    "pk", "title", "is_public", "updated_at"
                )
            ),
            list(
                Recommendation.objects.order_by("pk").values_list(
                    "pk", "why", "is_private", "updated_at"
                )
            ),
            Recommendation.tags.through.objects.count(),
            list(SearchDocument.objects.order_by("pk").values_list("pk", "updated_at")),
        )

    def run(label: str, person: User) -> None:
        count = [0]

        def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            report = import_bookmark_file(data=data, owner=person, location="generated")
            seconds = time.perf_counter() - started
        print(
            f"{label}: {seconds:.1f} s, {count[0]} queries; "
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.rejected} rejected, {report.merged} merged, {len(report.skipped)} duplicates"
        )

    run("first import", owner)
    before = state()
    run("second import, same file", owner)
    print(f"second import changed nothing: {state() == before}")
    run("another person, same file", other)
    print(
        f"library: {Resource.objects.count()} resources, {Resource.objects.public().count()} public, "
        f"{Recommendation.objects.count()} recommendations, "
        f"{SearchDocument.objects.filter(doc_type='resource').count()} search documents"
    )


if __name__ == "__main__":
    main()
