"""Load: many concurrent connections at case search, the registry list, the API and a trivial view.

Starts gunicorn on a free 127.0.0.1 port with the serving configuration `make run` uses
(kitbag/core/gunicorn_conf.py, the application kitbag.wsgi), against the SQLite database under
var/ (after `make import`) or DATABASE_URL. The settings are benchmarks/settings.py: Kitbag's,
plus one trivial view (no database, no template) as the baseline. At each level of concurrent
connections (50, 200, 500) it drives each target alone for a fixed time: the trivial view, the
health check (`/healthz`), the registry list, the case search page and the cases API, the
searches walking through the officers' queries of benchmarks/relevance/judgments.json. Then it
drives all of them at once, the connections shared equally, to show whether the slow ones starve
the rest. For each it prints requests per second, median and 99th percentile latency, errors
split into 5xx, 429, time-outs and connection errors, the ratios to the trivial view alone at
the same level, and the server's CPU time an answer (read from /proc: it does not depend on what
else runs on the machine, so two cores divided by it is what the server could answer alone).
After each phase it waits until the server is idle again, and says so when that took a while.

Every client comes from 127.0.0.1, so the anonymous API rate limit would answer nearly everything
with 429: the server measured here runs with the "api-anonymous" limit raised out of reach
(KITBAG_RATE_LIMITS; --api-anon-rate sets another rate, to measure the limit's own cost). A last, short phase starts a second server with
the default rates and shows what a client over the limit gets: 429s, or whatever it gets instead.

Each connection is a client in a closed loop: it sends its next request when the last one is
answered, over one kept-alive connection (httpx on asyncio), spread over --client-processes
processes; it gives up on a request after --timeout seconds (30). The clients run on the same
machine as the server and compete with it for the cores, so read the ratios rather than the raw
figures. Figures only: nothing asserts a time.

    .venv/bin/python benchmarks/load.py [--seconds 15] [--levels 50,200,500] [--workers N]
        [--threads N] [--gunicorn "--worker-class sync --workers 3"] [--only search,api]

`run_load` just below is the smaller generator benchmarks/pages.py uses (a new connection per
request, from threads).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import logging
import multiprocessing
import os
import platform
import shlex
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import httpx

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LoadResult:
    path: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        if len(self.latencies_ms) < 20:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=20)[18]


def _worker(
    host: str, port: int, path: str, seconds: float, threads: int, queue: multiprocessing.Queue
) -> None:
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    totals = {"ok": 0, "errors": 0}
    latencies: list[float] = []

    def loop() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                conn.close()
                good = response.status == 200
            except OSError:
                good = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                totals["ok" if good else "errors"] += 1
                if good:
                    latencies.append(elapsed)

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((totals["ok"], totals["errors"], latencies))


def run_load(
    host: str, port: int, path: str, *, seconds: float = 5.0, processes: int = 2, threads: int = 4
) -> LoadResult:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    started = time.perf_counter()
    procs = [
        multiprocessing.Process(target=_worker, args=(host, port, path, seconds, threads, queue))
        for _ in range(processes)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    latencies = [ms for _, _, lat in results for ms in lat]
    return LoadResult(
        path=path,
        requests=sum(ok for ok, _, _ in results),
        errors=sum(err for _, err, _ in results),
        seconds=elapsed,
        latencies_ms=latencies,
    )


# The load benchmark (`make benchmark-load`).

LEVELS = (50, 200, 500)
TRIVIAL = "trivial view (baseline)"
# Every client shares 127.0.0.1: the anonymous API limit, raised out of reach for the measured server.
UNLIMITED = "100000000/m"


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    paths: tuple[str, ...]  # each connection walks through them in turn, from its own start


def load_targets() -> list[Target]:
    # What officers type into case search: the graded queries of benchmarks/relevance.py, from
    # common single words to long questions, so the search targets mix cheap and costly searches.
    judgments = json.loads((ROOT / "benchmarks/relevance/judgments.json").read_text())
    queries = [quote_plus(item["query"]) for item in judgments["queries"]]
    return [
        Target("trivial", TRIVIAL, ("/__benchmark__/trivial",)),
        Target("health", "health check /healthz", ("/healthz",)),
        Target("registry", "registry list /organisations/", ("/organisations/",)),
        Target("search", "case search page /cases/?q=…", tuple(f"/cases/?q={q}" for q in queries)),
        Target(
            "api", "cases API /api/v1/cases?q=…", tuple(f"/api/v1/cases?q={q}" for q in queries)
        ),
    ]


@dataclass
class Tally:
    """What one target's connections saw in one phase."""

    in_time: int = 0  # successful answers that came before the deadline: the throughput
    latencies_ms: list[float] = field(default_factory=list)  # of every successful answer
    server_errors: int = 0
    throttled: int = 0
    throttled_ms: list[float] = field(default_factory=list)
    timeouts: int = 0
    connection_errors: int = 0
    other_4xx: int = 0  # a wrong address in the benchmark, not load
    retried: int = 0  # asked again after the server closed a kept-alive connection
    error_kinds: Counter[str] = field(default_factory=Counter)  # time-outs and connection errors

    def add(self, other: Tally) -> None:
        self.in_time += other.in_time
        self.latencies_ms += other.latencies_ms
        self.server_errors += other.server_errors
        self.throttled += other.throttled
        self.throttled_ms += other.throttled_ms
        self.timeouts += other.timeouts
        self.connection_errors += other.connection_errors
        self.other_4xx += other.other_4xx
        self.retried += other.retried
        self.error_kinds += other.error_kinds


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# One share of a phase for one client process: (target label, paths, connections, first index).
Share = list[tuple[str, tuple[str, ...], int, int]]


async def _get(client: httpx.AsyncClient, path: str, tally: Tally) -> httpx.Response:
    try:
        return await client.get(path)
    except (httpx.RemoteProtocolError, httpx.ReadError):
        # The server closed a kept-alive connection as the request went out (its keep-alive
        # time passed while this client was slow to ask again): ask once more on a new one, as
        # browsers do for a GET (RFC 9112, 9.3.1). A second failure counts.
        tally.retried += 1
        return await client.get(path)


async def _keep_asking(
    client: httpx.AsyncClient,
    paths: tuple[str, ...],
    first: int,
    deadline: float,
    timeout: float,
    tally: Tally,
) -> None:
    number = first
    while time.monotonic() < deadline:
        path = paths[number % len(paths)]
        number += 1
        started = time.monotonic()
        try:
            async with asyncio.timeout(timeout):
                response = await _get(client, path, tally)
        except (TimeoutError, httpx.TimeoutException) as error:
            tally.timeouts += 1
            tally.error_kinds[type(error).__name__] += 1
            continue
        except httpx.TransportError as error:
            tally.connection_errors += 1
            tally.error_kinds[f"{type(error).__name__}: {error}"] += 1
            await asyncio.sleep(0.1)  # do not spin on a refused connection
            continue
        finished = time.monotonic()
        elapsed_ms = (finished - started) * 1000
        if response.status_code >= 500:
            tally.server_errors += 1
        elif response.status_code == 429:
            tally.throttled += 1
            tally.throttled_ms.append(elapsed_ms)
        elif response.status_code >= 400:
            tally.other_4xx += 1
        else:
            tally.latencies_ms.append(elapsed_ms)
            tally.in_time += finished <= deadline


async def _drive(
    base_url: str, share: Share, start_at: float, seconds: float, timeout: float
) -> dict[str, Tally]:
    tallies = {label: Tally() for label, _, _, _ in share}
    # One client per connection, so that each holds exactly one kept-alive connection. The TLS
    # context is never used (plain HTTP), but httpx would otherwise build one per client.
    context = ssl.create_default_context()
    clients = [
        (
            label,
            paths,
            first + n,
            httpx.AsyncClient(
                base_url=base_url,
                transport=httpx.AsyncHTTPTransport(
                    verify=context, limits=httpx.Limits(max_connections=1), retries=0
                ),
                timeout=timeout,
                trust_env=False,
            ),
        )
        for label, paths, connections, first in share
        for n in range(connections)
    ]
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    deadline = start_at + seconds
    try:
        await asyncio.gather(
            *(
                _keep_asking(client, paths, first, deadline, timeout, tallies[label])
                for label, paths, first, client in clients
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for _, _, _, client in clients))
    return tallies


def drive(
    base_url: str, share: Share, start_at: float, seconds: float, timeout: float
) -> dict[str, Tally]:
    """One client process's part of a phase: its connections, each in a closed loop."""
    return asyncio.run(_drive(base_url, share, start_at, seconds, timeout))


def run_phase(
    pool: ProcessPoolExecutor,
    base_url: str,
    plan: list[tuple[Target, int]],
    *,
    processes: int,
    seconds: float,
    timeout: float,
) -> dict[str, Tally]:
    """Drive each target of the plan with its number of connections, all at once, for `seconds`."""
    shares: list[Share] = [[] for _ in range(processes)]
    for target, connections in plan:
        for index, share in enumerate(shares):
            mine = connections // processes + (index < connections % processes)
            if mine:
                share.append((target.label, target.paths, mine, index * connections))
    # Time for every process to make its clients before the common start.
    start_at = time.monotonic() + 1.0 + sum(n for _, n in plan) / 500
    futures = [
        pool.submit(drive, base_url, share, start_at, seconds, timeout) for share in shares if share
    ]
    totals = {target.label: Tally() for target, _ in plan}
    for future in futures:
        for label, tally in future.result().items():
            totals[label].add(tally)
    return totals


def wait_until_idle(base_url: str, *, limit: float = 120.0) -> float:
    """Seconds until the trivial view answers at once again: work left over from a phase (most of
    it for clients that gave up) would otherwise be measured in the next one."""
    started = time.monotonic()
    with httpx.Client(base_url=base_url, timeout=limit, trust_env=False) as client:
        quick = 0
        while quick < 3 and time.monotonic() - started < limit:
            asked = time.monotonic()
            client.get("/__benchmark__/trivial")
            quick = quick + 1 if time.monotonic() - asked < 0.05 else 0
            time.sleep(0.1)
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time of the arbiter and its workers so far, those restarted included (from /proc):
        the cost of the answers, whoever else shares the cores."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone meanwhile
                continue
            utime, stime, reaped_utime, reaped_stime = (int(f) for f in fields[11:15])
            if int(stat.parent.name) == self.pid:
                ticks += utime + stime + reaped_utime + reaped_stime
            elif int(fields[1]) == self.pid:
                ticks += utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(*, env: dict[str, str], extra: list[str], log: Path) -> Iterator[Server]:
    """gunicorn with the project's serving configuration, on a free port, until the block ends."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "-c", "python:kitbag.core.gunicorn_conf"),
        *("kitbag.wsgi:application", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
        *extra,
    ]
    base_url = f"http://127.0.0.1:{port}"
    # Kitbag's own kitbag.wsgi (so startup objects are frozen as when served), with the settings
    # that add the trivial view.
    env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "PYTHONPATH": str(ROOT)}
    with log.open("a") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            for _ in range(600):
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped at start:\n{log.read_text()}")
                try:
                    if httpx.get(f"{base_url}/healthz", timeout=2, trust_env=False).is_success:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            yield Server(base_url, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)


def print_table(
    title: str,
    tallies: dict[str, Tally],
    seconds: float,
    baseline: tuple[float, float],
    cpu_ms: dict[str, float],
    notes: list[str],
) -> None:
    print(f"\n{title}\n")
    print(
        "| target | req/s | p50 ms | p99 ms | 5xx | 429 | time-outs | connection errors "
        "| req/s vs trivial | p50 vs trivial | server CPU ms an answer |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    base_rate, base_p50 = baseline
    errors: Counter[str] = Counter()
    for label, tally in tallies.items():
        rate = tally.in_time / seconds
        p50, p99 = percentile(tally.latencies_ms, 0.50), percentile(tally.latencies_ms, 0.99)
        cpu = f"{cpu_ms[label]:.1f}" if label in cpu_ms else "-"
        print(
            f"| {label} | {rate:,.0f} | {p50:,.0f} | {p99:,.0f} | {tally.server_errors} | "
            f"{tally.throttled} | {tally.timeouts} | {tally.connection_errors} | "
            f"{rate / base_rate:.0%} | ×{p50 / base_p50:,.1f} | {cpu} |"
        )
        errors += tally.error_kinds
    if errors:
        print("\nErrors: " + "; ".join(f"{kind} ({n})" for kind, n in errors.most_common()))
    retried = {label: tally.retried for label, tally in tallies.items() if tally.retried}
    if retried:
        print(
            "\nAsked again after the server closed a kept-alive connection: "
            + "; ".join(f"{label} {n}" for label, n in retried.items())
        )
    if "all" in cpu_ms:
        print(f"\nServer CPU: {cpu_ms['all']:.1f} ms an answer, over all the targets.")
    for note in notes:
        print(f"\n{note}")


def measured_phase(
    pool: ProcessPoolExecutor,
    server: Server,
    plan: list[tuple[Target, int]],
    args: argparse.Namespace,
    notes: list[str],
) -> tuple[dict[str, Tally], float]:
    """A phase, then the wait until the server is idle; with the server's CPU ms an answer."""
    cpu = server.cpu_seconds()
    tallies = run_phase(
        pool,
        server.url,
        plan,
        processes=args.client_processes,
        seconds=args.seconds,
        timeout=args.timeout,
    )
    busy = wait_until_idle(server.url)
    if busy > 1:
        what = plan[0][0].label if len(plan) == 1 else "all the targets"
        notes.append(f"The server was still busy {busy:.0f} s after the phase of {what}.")
    answers = sum(
        len(t.latencies_ms) + t.server_errors + t.throttled + t.other_4xx for t in tallies.values()
    )
    return tallies, (server.cpu_seconds() - cpu) * 1000 / max(answers, 1)


def measure_levels(
    pool: ProcessPoolExecutor, server: Server, targets: list[Target], args: argparse.Namespace
) -> None:
    # Warm every worker (lazy indexes, template caches) before anything is measured.
    run_phase(
        pool,
        server.url,
        [(t, 8) for t in targets],
        processes=args.client_processes,
        seconds=3,
        timeout=args.timeout,
    )
    wait_until_idle(server.url)
    for level in args.levels:
        alone: dict[str, Tally] = {}
        cpu_ms: dict[str, float] = {}
        notes: list[str] = []
        for t in targets:
            tallies, cpu_ms[t.label] = measured_phase(pool, server, [(t, level)], args, notes)
            alone[t.label] = tallies[t.label]
        trivial = alone[TRIVIAL]
        baseline = (trivial.in_time / args.seconds, percentile(trivial.latencies_ms, 0.5))
        print_table(
            f"### {level} connections, each target alone for {args.seconds:.0f} s",
            alone,
            args.seconds,
            baseline,
            cpu_ms,
            notes,
        )
        if len(targets) > 1 and not args.alone_only:
            each = level // len(targets)
            notes = []
            plan = [(t, each) for t in targets]
            together, cpu = measured_phase(pool, server, plan, args, notes)
            print_table(
                f"{level} connections at all the targets at once, {each} each, for "
                f"{args.seconds:.0f} s; ratios against the trivial view alone above",
                together,
                args.seconds,
                baseline,
                {"all": cpu},
                notes,
            )


def measure_throttle(
    pool: ProcessPoolExecutor, server: Server, api: Target, *, seconds: float, timeout: float
) -> None:
    tally = run_phase(pool, server.url, [(api, 10)], processes=1, seconds=seconds, timeout=timeout)
    seen = tally[api.label]
    print(
        f"\n### Over the limit: 10 connections at the cases API for {seconds:.0f} s, default rates\n"
    )
    print("| answered 2xx | 429 | 429 p50 ms | 429 p99 ms | 5xx | time-outs | connection errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {len(seen.latencies_ms)} | {seen.throttled} | {percentile(seen.throttled_ms, 0.5):,.0f} "
        f"| {percentile(seen.throttled_ms, 0.99):,.0f} | {seen.server_errors} | {seen.timeouts} "
        f"| {seen.connection_errors} |"
    )
    if seen.throttled:
        return
    from rest_framework.settings import api_settings

    rate = str(api_settings.DEFAULT_THROTTLE_RATES["anon"])  # "120/minute"
    sent = len(seen.latencies_ms) + seen.server_errors + seen.timeouts + seen.connection_errors
    if rate[:1].isdigit() and sent <= int(rate.split("/")[0]):
        print(f"\nNo 429, but only {sent} requests, within the rate of {rate}: run it for longer.")
    else:
        print(f"\nNo 429 in {sent} requests (anonymous rate {rate}): this build does not limit")
        print("anonymous requests to the cases API.")


def server_log_summary(log: Path) -> str:
    text = log.read_text()
    counts = {
        "'database is locked'": text.count("database is locked"),
        "tracebacks": text.count("Traceback"),
        "worker time-outs": text.count("WORKER TIMEOUT"),
    }
    return ", ".join(f"{what}: {n}" for what, n in counts.items())


def describe(server: str) -> str:
    import django
    from django.db import connections

    from kitbag.cases.models import Case
    from kitbag.registry.models import Organisation

    organisations, cases = Organisation.objects.count(), Case.objects.count()
    connections.close_all()  # before the client processes fork
    if not organisations or not cases:
        raise SystemExit("The database has no registry or no cases: run `make import` first.")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start\n"
        f"Database: {connections['default'].vendor}, {organisations:,} organisations, "
        f"{cases:,} cases; Django {django.get_version()}\n"
        f"Server: {server}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="per target and level")
    parser.add_argument(
        "--levels",
        type=lambda text: [int(n) for n in text.split(",")],
        default=list(LEVELS),
        help="concurrent connections, comma-separated (default 50,200,500)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="client time-out, seconds")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: the config's)")
    parser.add_argument(
        "--gunicorn",
        type=shlex.split,
        default=[],
        help='more gunicorn options, to compare, e.g. "--worker-class sync --workers 3"',
    )
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--api-anon-rate",
        default=UNLIMITED,
        help=f"the measured server's anonymous API rate (default {UNLIMITED}: out of reach)",
    )
    parser.add_argument(
        "--throttle-seconds", type=float, default=20.0, help="the over-the-limit phase; 0 skips it"
    )
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        help="some targets only, comma-separated: health, registry, search, api "
        "(the trivial view is always measured)",
    )
    parser.add_argument(
        "--alone-only", action="store_true", help="skip driving all the targets at once"
    )
    parser.add_argument("--database-url", help="default: DATABASE_URL, or SQLite under var/")
    args = parser.parse_args()

    # Stopped with SIGTERM, stop the server too (the `finally` in `serving`).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "kitbag.settings"
    os.environ.pop("KITBAG_RATE_LIMITS", None)
    for name, value in (
        ("DATABASE_URL", args.database_url),
        ("WORKERS", args.workers),
        ("THREADS", args.threads),
    ):
        if value is not None:
            os.environ[name] = str(value)
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Django's logging prints every request
    from kitbag.core import gunicorn_conf as conf

    print(
        describe(
            f"gunicorn {conf.worker_class}, {conf.workers} workers × {conf.threads} threads, "
            f"at most {conf.worker_connections} connections a worker, keep-alive "
            f"{conf.keepalive} s, preload {conf.preload_app}"
            + (f"; then {shlex.join(args.gunicorn)}" if args.gunicorn else "")
        )
    )
    print(
        f"Load: {args.client_processes} client processes (httpx, asyncio), one kept-alive "
        f"connection per client in a closed loop, {args.timeout:.0f} s time-out, "
        f"anonymous API rate {args.api_anon_rate}"
    )

    targets = [
        t for t in load_targets() if t.key == "trivial" or not args.only or t.key in args.only
    ]
    with (
        tempfile.TemporaryDirectory() as scratch,
        ProcessPoolExecutor(args.client_processes) as pool,
    ):
        log = Path(scratch) / "gunicorn.log"
        measured = {**os.environ, "KITBAG_RATE_LIMITS": f"api-anonymous={args.api_anon_rate}"}
        with serving(env=measured, extra=args.gunicorn, log=log) as server:
            measure_levels(pool, server, targets, args)
        print(f"\nServer log: {server_log_summary(log)}")
        if args.throttle_seconds > 0:
            with serving(env=dict(os.environ), extra=args.gunicorn, log=log) as server:
                api = next(t for t in load_targets() if t.key == "api")
                measure_throttle(
                    pool, server, api, seconds=args.throttle_seconds, timeout=args.timeout
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
