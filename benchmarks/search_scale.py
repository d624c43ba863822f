"""Search latency at scale: the page's search path against the raw full-text query, same database.

Sets up a scratch database (a SQLite file under var/bench/, or, when DATABASE_URL points at
PostgreSQL, a database of its own, kitbag_bench, created and dropped here), imports the registry
and code lists from KITBAG_DATA_DIR, generates --count synthetic cases (kitbag/cases/synthetic/),
then times a fixed set of realistic queries:

- through `kitbag.cases.queries.search_case_cards`, the code path the case list page uses (it
  calls `kitbag.search.queries.search`, then fetches the cases for their cards; the API and the
  feed share all but the fetch);
- the raw full-text query alone on the same database: FTS5 MATCH ordered by bm25() with LIMIT 20
  on SQLite, `@@ to_tsquery` ordered by ts_rank_cd with LIMIT 20 on PostgreSQL, the filters'
  facet words included since 2026-12-02's migration search.0006 (for the empty query, the newest
  20 public documents);
- the case list page end to end through Django's test client, once per query.

It prints the median and 95th percentile of each, per query and overall, with the ratio, then a
profile of where the search path spends its time. Figures only: nothing asserts a time.

    .venv/bin/python benchmarks/search_scale.py [--count 100000] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/search_scale.py

--keep leaves the scratch database in place and --reuse measures it again without regenerating,
so a change to the search code can be re-measured in a minute.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import platform
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "kitbag_bench"
PAGE_SIZE = 20


@dataclass(frozen=True)
class BenchQuery:
    label: str
    params: dict[str, list[str]]


# What officers type: common and rare single words, two and three words, prefixes (the last word
# typed is always a prefix, as on the page), with and without filters, the empty query (the
# newest cases) and a sort by newest.
QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("common word: care", {"q": ["care"]}),
    BenchQuery("common word: residents", {"q": ["residents"]}),
    BenchQuery("mid word: chatbot", {"q": ["chatbot"]}),
    BenchQuery("less common word: hoarding", {"q": ["hoarding"]}),
    BenchQuery("rare word: knotweed", {"q": ["knotweed"]}),
    BenchQuery("very rare word: pilotage", {"q": ["pilotage"]}),
    BenchQuery("place name: ceredigion", {"q": ["ceredigion"]}),
    BenchQuery("two words: council tax", {"q": ["council tax"]}),
    BenchQuery("two words: potholes sensors", {"q": ["potholes sensors"]}),
    BenchQuery("three words: damp mould repairs", {"q": ["damp mould repairs"]}),
    BenchQuery("three words: missed bin collections", {"q": ["missed bin collections"]}),
    BenchQuery("prefix: recyc", {"q": ["recyc"]}),
    BenchQuery("prefix: temporary accom", {"q": ["temporary accom"]}),
    BenchQuery('phrase: "home care"', {"q": ['"home care"']}),
    BenchQuery("filter: chatbot, Wales", {"q": ["chatbot"], "nation": ["Wales"]}),
    BenchQuery(
        "filter: care, implemented, level 3",
        {"q": ["care"], "status": ["implemented"], "evidence": ["3"]},
    ),
    BenchQuery("filter: council tax, service 58", {"q": ["council tax"], "service": ["58"]}),
    BenchQuery("sort newest: council tax", {"q": ["council tax"], "sort": ["newest"]}),
    BenchQuery("empty query (newest)", {}),
    BenchQuery("empty query, filter: waste function", {"function": ["38"]}),
)


# -- setting up ------------------------------------------------------------------------------


def scratch_database(
    args: argparse.Namespace, *, database: str = BENCH_DATABASE, sqlite_name: str = "search_scale"
) -> tuple[str, Callable[[], None]]:
    """The scratch DATABASE_URL (`database` on PostgreSQL, var/bench/`sqlite_name`.sqlite3 on
    SQLite), and how to drop it afterwards."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(given)
        server = urlunsplit(parts._replace(path="/postgres"))
        url = urlunsplit(parts._replace(path=f"/{database}"))
        if not args.reuse:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {database}")

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

        return url, drop
    path = ROOT / "var" / "bench" / f"{sqlite_name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def set_up(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from kitbag.cases import synthetic

    if args.reuse and synthetic.synthetic_cases().exists():
        print(f"reusing {synthetic.synthetic_cases().count()} synthetic cases")
        return
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_registry", verbosity=0)
    call_command("import_vocabularies", verbosity=0)
    print(f"migrated and imported registry and code lists in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    pools = synthetic.Pools.load()
    written = synthetic.write_cases(
        synthetic.generate_specs(pools=pools, count=args.count, seed=args.seed),
        progress=lambda done: print(f"  {done} cases", end="\r", flush=True),
    )
    elapsed = time.perf_counter() - started
    print(f"generated and indexed {written} cases in {elapsed:.0f} s ({written / elapsed:.0f}/s)")

    # Fresh planner statistics and a merged full-text index, as a database that has been running
    # for a while would have; both the page's path and the raw query benefit alike.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            # FULL: a bulk load writes each row twice (the row, then its vector), and a plain
            # VACUUM leaves the dead copies' space in the table, which a search's matches are
            # then read across (docs/performance.md); an operator compacts after a bulk import.
            cursor.execute("VACUUM FULL ANALYZE")
    print(f"optimised and analysed in {time.perf_counter() - started:.0f} s")


# -- measuring -------------------------------------------------------------------------------


def percentile(samples: list[float], fraction: float, weights: list[float] | None = None) -> float:
    """The value below which `fraction` of the (weighted) samples lie; nearest rank."""
    if not samples:
        return math.nan
    pairs = sorted(zip(samples, weights or [1.0] * len(samples), strict=True))
    total = sum(weight for _, weight in pairs)
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running >= fraction * total - 1e-9:
            return value
    return pairs[-1][0]


def timed(run: Callable[[], Any], *, repeat: int, budget: float) -> list[float]:
    """Milliseconds of `repeat` runs after one warm-up, stopping early when over budget."""
    run()
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < repeat and (len(samples) < 3 or time.perf_counter() < deadline):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_query(params: dict[str, list[str]]) -> Callable[[], int]:
    """The full-text query alone, ranked by the database, first page only.

    It matches with the expression the page's search gives the database (synonyms and prefixes
    included), taken from the backend, so both sides look for the same words.
    """
    from django.db import connection
    from django.http import QueryDict

    from kitbag.cases.queries import CaseSearch
    from kitbag.search.backends import backend_for
    from kitbag.search.text import facet_filter, parse_query

    parsed = parse_query((params.get("q") or [""])[0])
    if parsed.is_empty:
        # A comparison, not a bare column: SQLite then reads the (doc_type, is_public, date)
        # index rather than sorting every row.
        sql = (
            "SELECT id FROM search_searchdocument WHERE doc_type = 'case' AND is_public = %s"
            " ORDER BY sort_date DESC LIMIT %s"
        )
        args: list[Any] = [True, PAGE_SIZE]
    else:
        # Every word (or one of its synonyms) required, and the filters' facet words, which the
        # text index holds: the strictest and cheapest match the page may ask for, so the ratio
        # errs against the page's path, never for it.
        query = QueryDict(mutable=True)
        for name, values in params.items():
            query.setlist(name, values)
        required = facet_filter(CaseSearch.from_params(query).filters)
        expression = (
            backend_for().matching_ids(parsed, every_concept=True, required=required).params[0]
        )
        if connection.vendor == "sqlite":
            sql = (
                "SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s"
                " ORDER BY bm25(search_fts) LIMIT %s"
            )
        else:
            sql = (
                "SELECT id, ts_rank_cd(search_vector, query) AS rank"
                " FROM search_searchdocument, to_tsquery('english', %s) query"
                " WHERE search_vector @@ query ORDER BY rank DESC LIMIT %s"
            )
        args = [expression, PAGE_SIZE]

    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return len(cursor.fetchall())

    return run


def page_search(params: dict[str, list[str]]) -> Callable[[], Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from kitbag.cases.queries import CaseSearch, search_case_cards

    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    search_for = CaseSearch.from_params(query)

    def run() -> Any:
        return search_case_cards(search_for=search_for, viewer=AnonymousUser())

    return run


def index_search(params: dict[str, list[str]]) -> Callable[[], Any]:
    """The search alone (kitbag.cases.queries.search_index), as search_case_cards runs it: without
    fetching the 20 cases for their cards."""
    from django.http import QueryDict

    from kitbag.cases.queries import CaseSearch, search_index

    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    search_for = CaseSearch.from_params(query)

    def run() -> Any:
        return search_index(search_for=search_for)

    return run


def page_url(params: dict[str, list[str]]) -> str:
    from urllib.parse import urlencode

    return "/cases/?" + urlencode([(k, v) for k, vs in params.items() for v in vs])


@dataclass
class Row:
    label: str
    total: int
    search: list[float]
    raw: list[float]
    index: list[float]
    page_ms: float
    page_status: int


def limit_statements(seconds: float) -> None:
    """Stop any one SQL statement after `seconds`, so one pathological query cannot stall the run.

    Applied to every new connection too: the test client's requests close the connection at the
    end of each request, as a real one does.
    """
    from django.db import connection
    from django.db.backends.signals import connection_created

    started = {"at": time.perf_counter()}

    def interrupt() -> int:
        # SQLite calls this every few thousand steps; a non-zero answer aborts the statement.
        return int(time.perf_counter() - started["at"] > seconds)

    def restart_clock(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started["at"] = time.perf_counter()
        return execute(sql, params, many, context)

    def apply(sender: Any = None, connection: Any = connection, **kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        else:
            connection.connection.set_progress_handler(interrupt, 10_000)

    connection_created.connect(apply, weak=False)
    connection.execute_wrappers.append(restart_clock)
    connection.ensure_connection()
    apply(connection=connection)


def measure(args: argparse.Namespace) -> list[Row]:
    from django.db import DatabaseError
    from django.test import Client

    # A page that fails (a statement over the limit) shows as its status code, not a crash.
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    limit_statements(args.statement_timeout)
    rows: list[Row] = []
    for bench in QUERIES:
        search = page_search(bench.params)
        try:
            total = search().total
            search_ms = timed(search, repeat=args.repeat, budget=args.budget)
            index_ms = timed(index_search(bench.params), repeat=args.repeat, budget=args.budget)
            raw_ms = timed(raw_query(bench.params), repeat=args.repeat, budget=args.budget)
        except DatabaseError:
            print(f"  {bench.label}: a statement ran over {args.statement_timeout:g} s")
            rows.append(Row(bench.label, -1, [], [], [], math.nan, 0))
            continue
        started = time.perf_counter()
        response = client.get(page_url(bench.params))
        page_ms = (time.perf_counter() - started) * 1000
        rows.append(
            Row(bench.label, total, search_ms, raw_ms, index_ms, page_ms, response.status_code)
        )
        print(f"  measured {bench.label}", end="\r", flush=True)
    return rows


def report(rows: list[Row]) -> None:
    """Per query and overall: the page's search path, search() alone, the raw query, ratios."""
    header = (
        f"{'query':38} {'matches':>8} {'n':>3} {'search p50':>10} {'p95':>8} "
        f"{'search() p50':>12} {'p95':>7} "
        f"{'raw p50':>8} {'p95':>7} {'ratio p50':>9} {'p95':>6} {'page ms':>8}"
    )
    print(header)
    print("-" * len(header))
    timed_out = [row for row in rows if not row.search]
    rows = [row for row in rows if row.search]
    for row in rows:
        s50, s95 = percentile(row.search, 0.5), percentile(row.search, 0.95)
        i50, i95 = percentile(row.index, 0.5), percentile(row.index, 0.95)
        r50, r95 = percentile(row.raw, 0.5), percentile(row.raw, 0.95)
        page = f"{row.page_ms:8.1f}" if row.page_status == 200 else f"{row.page_status:>8}"
        print(
            f"{row.label:38} {row.total:8d} {len(row.search):3d} {s50:10.1f} {s95:8.1f} "
            f"{i50:12.1f} {i95:7.1f} "
            f"{r50:8.2f} {r95:7.2f} {s50 / r50:8.0f}x {s95 / r95:5.0f}x {page}"
        )

    # Overall: every query counts the same, however many runs fitted in its time budget.
    def overall(samples: Callable[[Row], list[float]]) -> tuple[float, float]:
        values = [ms for row in rows for ms in samples(row)]
        weights = [1 / len(samples(row)) for row in rows for _ in samples(row)]
        return percentile(values, 0.5, weights), percentile(values, 0.95, weights)

    s50, s95 = overall(lambda row: row.search)
    i50, i95 = overall(lambda row: row.index)
    r50, r95 = overall(lambda row: row.raw)
    print("-" * len(header))
    print(
        f"{'overall (each query weighted equally)':38} {'':8} {'':3} {s50:10.1f} {s95:8.1f} "
        f"{i50:12.1f} {i95:7.1f} "
        f"{r50:8.2f} {r95:7.2f} {s50 / r50:8.0f}x {s95 / r95:5.0f}x "
        f"{statistics.median(row.page_ms for row in rows):8.1f}"
    )
    print(f"search() alone against the raw query: {i50 / r50:.1f}x at p50, {i95 / r95:.1f}x at p95")
    for row in timed_out:
        print(f"{row.label:38} not measured: a statement ran over the --statement-timeout")


# -- where the time goes ---------------------------------------------------------------------

GROUPS = (
    ("database driver (execute and fetch)", ("sqlite3", "psycopg")),
    ("kitbag/search/text.py (scoring, snippets, highlights)", ("kitbag/search/text.py",)),
    ("kitbag/search/queries.py itself", ("kitbag/search/queries.py",)),
    ("kitbag/search/backends", ("kitbag/search/backends",)),
    ("kitbag/cases (fetching cases for display)", ("kitbag/cases",)),
    ("Django ORM (building SQL, making rows)", ("django/db",)),
)


def _group(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    for name, needles in GROUPS:
        if any(needle in where for needle in needles):
            return name
    return "other Python"


def _short(filename: str) -> str:
    parts = Path(filename).parts
    return "/".join(parts[-2:]) if len(parts) > 1 else filename


def profile(queries: tuple[BenchQuery, ...], *, passes: int) -> None:
    """cProfile over a few passes of the given queries: time by module and the top functions.

    A built-in's own time (str.join, regex, unicodedata) counts for the module that called it, so
    "text.py" means text.py and the built-ins it calls.
    """
    runs = [page_search(bench.params) for bench in queries]
    for run in runs:
        run()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(passes):
        for run in runs:
            run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_group: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, tt, _, callers) in raw.items():
        builtin = filename == "~" and not any(n in function for n in ("sqlite3", "psycopg"))
        caller_time = sum(c[2] for c in callers.values()) if builtin and callers else 0.0
        if not caller_time:
            by_group[_group(filename, function)] += tt
            continue
        for (c_file, _, c_function), c_stats in callers.items():
            by_group[_group(c_file, c_function)] += tt * c_stats[2] / caller_time
    print(f"  own time by part ({total * 1000 / passes:.0f} ms a pass, under the profiler):")
    for name, seconds in sorted(by_group.items(), key=lambda pair: -pair[1]):
        print(f"    {seconds / total:6.1%}  {name}")
    print("  cumulative time of kitbag functions (share of the pass):")
    mine = [
        (ct, f"{_short(filename)}:{line} {function}", nc)
        for (filename, line, function), (_, nc, _, ct, _) in raw.items()
        if "kitbag/search" in filename or "kitbag/cases/queries" in filename
    ]
    for ct, name, calls in sorted(mine, reverse=True)[:16]:
        print(f"    {ct / total:6.1%}  {name} ({calls // passes} calls a pass)")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="synthetic cases (100000)")
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
    parser.add_argument("--no-profile", action="store_true", help="skip the profile")
    args = parser.parse_args()

    url, drop = scratch_database(args)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connection

    from kitbag.core.serving import settle_after_start

    # As the site's own processes do once started (kitbag/wsgi.py).
    settle_after_start()

    # Pages name static files without a collectstatic manifest, as the tests do: the page's
    # time is the view and template, not asset hashing.
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
        f"{database}, DEBUG={settings.DEBUG}, data from {settings.KITBAG_DATA_DIR or '(download)'}"
    )
    import kitbag

    print(f"kitbag from {Path(kitbag.__file__).parent}")
    try:
        set_up(args)
        rows = measure(args)
        print()
        report(rows)
        if not args.no_profile:
            print()
            print("Profile of the search path (search_case_cards) over a common word, a rare word,")
            print("a filtered query and the empty query, one pass:")
            profiled = (
                "common word: care",
                "rare word: knotweed",
                "filter: council tax, service 58",
            )
            try:
                profile(tuple(q for q in QUERIES if q.label in profiled or not q.params), passes=1)
                print("Profile of the empty query (newest) alone, three passes:")
                profile(tuple(q for q in QUERIES if not q.params), passes=3)
            except DatabaseError as error:
                print(f"  not profiled: {error}")
    finally:
        if not args.keep:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
