"""The site-wide search at scale, beside the case search alone in the same run.

Sets up a scratch database (a SQLite file under var/bench/, or, when DATABASE_URL points at
PostgreSQL, a database of its own, created and dropped here), imports the registry (which indexes
every organisation, as `kitbag import-registry` does) and the code lists, generates --count
synthetic cases (kitbag/cases/synthetic/, as `make benchmark-scale` does), then adds --others
synthetic "resource" and --others "person" documents through the search services' bulk writer
(`index_new_documents`): the kinds the network's parts will index, registered here as those parts
will register them (kitbag/search/kinds.py). Their words come from the same public-service
vocabulary as the cases, so a query matches some of each.

For each query (those of `benchmarks/search_scale.py` without filters, and a few names) it times:

- `site_search`: the site-wide page's read (every kind's count and its first three hits);
- `site_search_list`: the API's read (every kind's count, the first page of 20 across kinds);
- the case search alone (`kitbag.cases.queries.search_index`, what the case list page searches
  with), in the same run;
- the registry's own name search (`registry.queries.matching_name`: a count and the first three),
  the other way organisations could have been searched (decision 0047);
- the site-wide page end to end through Django's test client, once per query.

It prints the median and 95th percentile of each, per query and overall. Figures only.

    .venv/bin/python benchmarks/site_search_scale.py [--count 100000] [--others 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/site_search_scale.py

--keep leaves the scratch database in place and --reuse measures it again without regenerating.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import search_scale  # noqa: E402
from benchmarks.search_scale import QUERIES, limit_statements, percentile, timed  # noqa: E402

BENCH_DATABASE = "kitbag_bench_site_search"

# The case benchmark's queries without filters or sorts (the site-wide search has neither), and
# names of bodies, which organisations answer.
SITE_QUERIES: tuple[tuple[str, str], ...] = (
    *(
        (bench.label, bench.params["q"][0])
        for bench in QUERIES
        if set(bench.params) == {"q"} and bench.params["q"]
    ),
    ("body name: camden", "camden"),
    ("body name: cyngor caerdydd", "cyngor caerdydd"),
)


# -- setting up ------------------------------------------------------------------------------


def scratch_database(args: argparse.Namespace) -> tuple[str, Callable[[], None]]:
    """The scratch DATABASE_URL, and how to drop it afterwards."""
    return search_scale.scratch_database(
        args, database=BENCH_DATABASE, sqlite_name="site_search_scale"
    )


def register_later_kinds() -> None:
    """People and resources, as their parts will register them."""
    from kitbag.search.kinds import SearchKind, register_kind

    register_kind(SearchKind(doc_type="person", label="person", plural="people", order=65))
    register_kind(SearchKind(doc_type="resource", label="resource", plural="resources", order=75))


@dataclass(frozen=True)
class SyntheticDocument:
    title: str
    body: str
    extra: str
    url: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: Any = None
    is_public: bool = True


FIRST_NAMES = (
    "Alex", "Sam", "Priya", "Owen", "Aisha", "Rhys", "Morag", "Tom", "Chloe", "Nia", "Ibrahim",
    "Ruth", "Gareth", "Fatima", "Callum", "Siobhan", "Kwame", "Eilidh", "Hannah", "Dev",
)  # fmt: skip
LAST_NAMES = (
    "Evans", "Khan", "Campbell", "Patel", "Jones", "O'Neill", "Smith", "Hughes", "Begum", "Fraser",
    "Williams", "Okafor", "MacLeod", "Taylor", "Murphy", "Davies", "Ahmed", "Stewart",
)  # fmt: skip
RESOURCE_KINDS = ("Guide to", "Toolkit for", "Case notes on", "Slides: lessons from", "Report on")
OFFERS = ("talk it through", "mentor", "share code or documents", "visit", "joint procurement")


def synthetic_others(*, count: int, seed: int) -> tuple[list[Any], list[Any]]:
    """`count` resources and `count` people whose words come from the cases' vocabulary; one in
    ten of each not public (a private bookmark, a profile not shared), which no search shows."""
    from kitbag.cases.synthetic.vocabulary import NOUNS, RARE_WORDS, THEMES

    rng = random.Random(seed)
    # Popular themes more often, as with the cases.
    weights = [1 / (rank + 1) for rank in range(len(THEMES))]
    resources, people = [], []
    for n in range(count):
        theme = rng.choices(THEMES, weights)[0]
        terms = rng.sample(theme.terms, k=min(3, len(theme.terms)))
        rare = rng.choice(RARE_WORDS) if rng.random() < 0.1 else ""
        resources.append(
            (
                f"r{n}",
                SyntheticDocument(
                    title=f"{rng.choice(RESOURCE_KINDS)} {rng.choice(theme.phrases)}",
                    body=f"How {terms[0]} and {terms[-1]} were handled: {rng.choice(NOUNS)}, "
                    f"{rng.choice(NOUNS)} and {rare or rng.choice(NOUNS)}.",
                    extra=" ".join([theme.subject, *terms]),
                    url=f"/network/resources/r{n}/",
                    is_public=rng.random() >= 0.1,
                ),
            )
        )
        theme = rng.choices(THEMES, weights)[0]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append(
            (
                f"p{n}",
                SyntheticDocument(
                    title=name,
                    body=f"Can help with {theme.subject}: {', '.join(theme.terms[:3])}. "
                    f"Offers to {rng.choice(OFFERS)}.",
                    extra=" ".join(theme.terms[3:6]),
                    url=f"/network/people/p{n}/",
                    is_public=rng.random() >= 0.1,
                ),
            )
        )
    return resources, people


def set_up(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from kitbag.cases import synthetic
    from kitbag.search.models import SearchDocument

    if args.reuse and synthetic.synthetic_cases().exists():
        print(f"reusing {synthetic.synthetic_cases().count()} synthetic cases")
        if not SearchDocument.objects.filter(doc_type="resource").exists():
            # A kept database whose run stopped while generating cases.
            add_others(args)
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_registry", verbosity=0)
    call_command("import_vocabularies", verbosity=0)
    organisations = SearchDocument.objects.filter(doc_type="organisation").count()
    print(
        f"migrated, imported the registry ({organisations} organisations indexed) and code lists"
        f" in {time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    pools = synthetic.Pools.load()
    written = synthetic.write_cases(
        synthetic.generate_specs(pools=pools, count=args.count, seed=args.seed),
        progress=lambda done: print(f"  {done} cases", end="\r", flush=True),
    )
    elapsed = time.perf_counter() - started
    print(f"generated and indexed {written} cases in {elapsed:.0f} s ({written / elapsed:.0f}/s)")

    add_others(args)


def add_others(args: argparse.Namespace) -> None:
    """The resources and people, then the text index merged and statistics fresh."""
    from django.db import connection

    from kitbag.search.services import index_new_documents

    started = time.perf_counter()
    resources, people = synthetic_others(count=args.others, seed=args.seed)
    for doc_type, documents in (("resource", resources), ("person", people)):
        for start in range(0, len(documents), 1000):
            index_new_documents(doc_type=doc_type, documents=documents[start : start + 1000])
    print(
        f"indexed {len(resources)} resources and {len(people)} people in "
        f"{time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM FULL ANALYZE")
    print(f"optimised and analysed in {time.perf_counter() - started:.0f} s")


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    counts: dict[str, int]
    site: list[float]
    listed: list[float]
    cases: list[float]
    names: list[float]
    page_ms: float
    page_status: int


def measure(args: argparse.Namespace) -> list[Row]:
    from django.test import Client

    from kitbag.cases.queries import CaseSearch, search_index
    from kitbag.registry.queries import listed_organisations, matching_name
    from kitbag.search.queries import site_search, site_search_list

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    limit_statements(args.statement_timeout)
    rows = []
    for label, query in SITE_QUERIES:
        results = site_search(query=query)
        counts = {count.kind.doc_type: count.count for count in results.counts}
        case_search = CaseSearch(query=query, sort="relevance")

        def by_name(query: str = query) -> int:
            found = matching_name(listed_organisations(), query)
            return found.count() + len(list(found[:3]))

        row = Row(
            label=label,
            counts=counts,
            site=timed(partial(site_search, query=query), repeat=args.repeat, budget=args.budget),
            listed=timed(
                partial(site_search_list, query=query), repeat=args.repeat, budget=args.budget
            ),
            cases=timed(
                partial(search_index, search_for=case_search),
                repeat=args.repeat,
                budget=args.budget,
            ),
            names=timed(by_name, repeat=args.repeat, budget=args.budget),
            page_ms=0.0,
            page_status=0,
        )
        started = time.perf_counter()
        response = client.get("/search/?" + urlencode({"q": query}))
        row.page_ms = (time.perf_counter() - started) * 1000
        row.page_status = response.status_code
        rows.append(row)
        print(f"  measured {label}", end="\r", flush=True)
    return rows


def report(rows: list[Row]) -> None:
    kinds = ("organisation", "case", "person", "resource")
    header = (
        f"{'query':36} {'orgs':>5} {'cases':>6} {'people':>6} {'res.':>5} {'n':>3}"
        f" {'site p50':>8} {'p95':>6} {'list p50':>8} {'p95':>6}"
        f" {'cases p50':>9} {'p95':>6} {'ratio p50':>9} {'names p50':>9} {'page ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        s50, s95 = percentile(row.site, 0.5), percentile(row.site, 0.95)
        l50, l95 = percentile(row.listed, 0.5), percentile(row.listed, 0.95)
        c50, c95 = percentile(row.cases, 0.5), percentile(row.cases, 0.95)
        n50 = percentile(row.names, 0.5)
        counts = " ".join(
            f"{row.counts.get(kind, 0):>{width}d}"
            for kind, width in zip(kinds, (5, 6, 6, 5), strict=True)
        )
        page = f"{row.page_ms:8.0f}" if row.page_status == 200 else f"{row.page_status:>8}"
        print(
            f"{row.label:36} {counts} {len(row.site):3d} {s50:8.1f} {s95:6.0f} {l50:8.1f}"
            f" {l95:6.0f} {c50:9.1f} {c95:6.0f} {s50 / c50:8.1f}x {n50:9.1f} {page}"
        )

    def overall(samples: Callable[[Row], list[float]]) -> tuple[float, float]:
        values = [ms for row in rows for ms in samples(row)]
        weights = [1 / len(samples(row)) for row in rows for _ in samples(row)]
        return percentile(values, 0.5, weights), percentile(values, 0.95, weights)

    s50, s95 = overall(lambda row: row.site)
    l50, l95 = overall(lambda row: row.listed)
    c50, c95 = overall(lambda row: row.cases)
    n50, n95 = overall(lambda row: row.names)
    print("-" * len(header))
    print(
        f"{'overall (each query weighted equally)':36} {'':5} {'':6} {'':6} {'':5} {'':3}"
        f" {s50:8.1f} {s95:6.0f} {l50:8.1f} {l95:6.0f} {c50:9.1f} {c95:6.0f}"
        f" {s50 / c50:8.1f}x {n50:9.1f}"
    )
    print(
        f"site-wide page read p50 {s50:.0f} ms, p95 {s95:.0f} ms; API read p50 {l50:.0f} ms,"
        f" p95 {l95:.0f} ms; case search alone p50 {c50:.0f} ms, p95 {c95:.0f} ms;"
        f" registry name search p50 {n50:.1f} ms, p95 {n95:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="synthetic cases (100000)")
    parser.add_argument(
        "--others", type=int, default=10_000, help="synthetic resources, and as many people"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query (20)")
    parser.add_argument(
        "--budget", type=float, default=8.0, help="seconds per query and path before stopping"
    )
    parser.add_argument(
        "--statement-timeout", type=float, default=60.0, help="seconds one SQL statement may take"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()

    url, drop = scratch_database(args)
    os.environ["DATABASE_URL"] = url
    # Words alone on every path, as in benchmarks/search_scale.py's figures; embedding 120,000
    # documents would take hours here (finding by meaning: benchmarks/semantic_scale.py).
    os.environ.setdefault("KITBAG_SEMANTIC", "off")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from kitbag.core.serving import settle_after_start

    register_later_kinds()
    settle_after_start()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{database}, DEBUG={settings.DEBUG}, finding by meaning {settings.KITBAG_SEMANTIC}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    try:
        set_up(args)
        rows = measure(args)
        print()
        report(rows)
    finally:
        if not args.keep:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
