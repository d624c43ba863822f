"""A small closed-loop HTTP load generator: N processes, each with T threads, for D seconds."""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import threading
import time
from dataclasses import dataclass


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
