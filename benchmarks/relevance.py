"""Search relevance: Kitbag's case search against a plain BM25 baseline, on hand-graded queries.

Creates a scratch database (SQLite in memory by default, a `test_` copy of the PostgreSQL database
when DATABASE_URL names one), imports the registry, the code lists and the real cases into it, then
runs every query of benchmarks/relevance/judgments.json through the code path the case list page
uses (kitbag.cases.queries.search_cases) and, as a baseline over the same texts (each indexed
document's title, body and extra joined), through `bm25s` (Okapi BM25, English stop words, Snowball
stemmer). Prints nDCG@10, recall@10 and MRR for both, per query kind and overall, and the ratio.

    .venv/bin/python benchmarks/relevance.py [--data-dir DIR] [--keep] [--per-query]
        [--judgments benchmarks/relevance/held_out.json]

Grades are 0-3; nDCG uses the gain 2^grade - 1 and counts every graded case in the ideal ranking.
Recall@10 and MRR count a case as relevant from grade 2. Unlisted cases are grade 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

JUDGMENTS = Path(__file__).resolve().parent / "relevance" / "judgments.json"
CUTOFF = 10
RELEVANT_FROM = 2


@dataclass(frozen=True)
class Judged:
    id: str
    query: str
    kind: str
    grades: dict[str, int]


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Judged(q["id"], q["query"], q["kind"], {k: int(v) for k, v in q["judgments"].items()})
        for q in data["queries"]
    ]


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    def dcg(gains: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    relevant = {key for key, g in grades.items() if g >= RELEVANT_FROM}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], grades: dict[str, int]) -> float:
    for i, key in enumerate(ranked):
        if grades.get(key, 0) >= RELEVANT_FROM:
            return 1 / (i + 1)
    return 0.0


@dataclass
class Scores:
    ndcg: list[float]
    recall: list[float]
    mrr: list[float]

    @classmethod
    def of(cls, runs: dict[str, list[str]], judged: Sequence[Judged]) -> Scores:
        return cls(
            ndcg=[ndcg(runs[j.id], j.grades) for j in judged],
            recall=[recall(runs[j.id], j.grades) for j in judged],
            mrr=[reciprocal_rank(runs[j.id], j.grades) for j in judged],
        )

    def means(self) -> tuple[float, float, float]:
        return (
            statistics.fmean(self.ndcg),
            statistics.fmean(self.recall),
            statistics.fmean(self.mrr),
        )


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()


def scratch_database(*, keep: bool) -> Callable[[], None]:
    """Point the default connection at a fresh test database; returns how to drop it again."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and keep:
        # A file, so --keep can reuse the imported data on the next run.
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(__file__).resolve().parent.parent / "var" / "relevance.sqlite3"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)

    def drop() -> None:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    return drop


def import_everything(data_dir: str | None) -> None:
    from django.core.management import call_command

    from kitbag.cases.models import Case

    options = {"data_dir": data_dir} if data_dir else {}
    if Case.objects.exists():
        return
    for command in ("import_registry", "import_vocabularies", "import_cases"):
        started = time.perf_counter()
        call_command(command, verbosity=0, **options)
        print(f"  {command.replace('_', '-')}: {time.perf_counter() - started:.1f} s")


def case_keys() -> dict[str, str]:
    """The search document object_id of each imported case -> its 'scheme:value' source identifier."""
    from kitbag.cases.models import CaseIdentifier

    keys: dict[str, str] = {}
    for case_id, scheme, value in CaseIdentifier.objects.values_list("case_id", "scheme", "value"):
        keys.setdefault(str(case_id), f"{scheme}:{value}")
    return keys


# Queries whose page offered "Did you mean ...?" (decision 0036), with what the officer who
# follows the link gets: filled by kitbag_runs.
SUGGESTED: dict[str, tuple[str, list[str]]] = {}


def kitbag_runs(
    judged: Sequence[Judged], keys: dict[str, str]
) -> tuple[dict[str, list[str]], float]:
    from django.contrib.auth.models import AnonymousUser

    from kitbag.cases.queries import CaseSearch, search_cases

    def ranked(query: str) -> tuple[list[str], str]:
        results = search_cases(
            search_for=CaseSearch(query=query, page_size=CUTOFF), viewer=AnonymousUser()
        )
        found = [keys.get(str(hit.case.pk), f"case:{hit.case.pk}") for hit in results.hits]
        return found, getattr(results, "suggestion", "")

    runs: dict[str, list[str]] = {}
    started = time.perf_counter()
    for j in judged:
        runs[j.id], suggestion = ranked(j.query)
        if suggestion and suggestion != j.query:
            SUGGESTED[j.id] = (suggestion, ranked(suggestion)[0])
    return runs, time.perf_counter() - started


def text_only_runs(
    judged: Sequence[Judged], keys: dict[str, str]
) -> tuple[dict[str, list[str]], float]:
    """Kitbag's own ranking with finding by meaning off: its words alone."""
    from django.test import override_settings

    with override_settings(KITBAG_SEMANTIC="off"):
        return kitbag_runs(judged, keys)


def vector_runs(judged: Sequence[Judged], keys: dict[str, str]) -> dict[str, list[str]]:
    """The nearest public cases by meaning alone (kitbag.semantic.queries)."""
    from kitbag.cases.search_documents import DOC_TYPE
    from kitbag.search.models import SearchDocument
    from kitbag.semantic import queries

    hidden = set(
        SearchDocument.objects.filter(doc_type=DOC_TYPE, is_public=False).values_list(
            "pk", flat=True
        )
    )
    object_ids = dict(
        SearchDocument.objects.filter(doc_type=DOC_TYPE).values_list("pk", "object_id")
    )
    runs: dict[str, list[str]] = {}
    for j in judged:
        found = queries.nearest(text=j.query, doc_type=DOC_TYPE, k=CUTOFF, outside=hidden)
        runs[j.id] = [keys.get(str(object_ids[pk]), f"case:{object_ids[pk]}") for pk, _ in found]
    return runs


def report_modes(judged: Sequence[Judged], runs: dict[str, dict[str, list[str]]]) -> None:
    """nDCG, recall and MRR of every ranking side by side, and each one's ratio to BM25."""
    means = {name: Scores.of(run, judged).means() for name, run in runs.items()}
    bm25 = means.get("BM25")
    print(f"\n{'ranking':<12}{'nDCG@10':>9}{'recall@10':>11}{'MRR':>8}{'nDCG/BM25':>11}")
    for name, (n, r, m) in means.items():
        ratio = n / bm25[0] if bm25 and bm25[0] else float("nan")
        print(f"{name:<12}{n:9.3f}{r:11.3f}{m:8.3f}{ratio:11.2f}")


def bm25_runs(judged: Sequence[Judged], keys: dict[str, str]) -> dict[str, list[str]]:
    import bm25s
    import Stemmer

    from kitbag.cases.search_documents import DOC_TYPE
    from kitbag.search.models import SearchDocument

    rows = list(
        SearchDocument.objects.filter(doc_type=DOC_TYPE, is_public=True)
        .order_by("object_id")
        .values_list("object_id", "title", "body", "extra")
    )
    ids = [keys.get(str(object_id), f"case:{object_id}") for object_id, *_ in rows]
    texts = [f"{title}\n{body}\n{extra}" for _, title, body, extra in rows]
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )
    runs: dict[str, list[str]] = {}
    for j in judged:
        tokens = bm25s.tokenize([j.query], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            runs[j.id] = []
            continue
        found, scores = retriever.retrieve(tokens, k=min(CUTOFF, len(texts)), show_progress=False)
        runs[j.id] = [ids[int(i)] for i, s in zip(found[0], scores[0], strict=True) if s > 0]
    return runs


def report(
    judged: Sequence[Judged],
    kitbag: dict[str, list[str]],
    bm25: dict[str, list[str]],
    *,
    per_query: bool,
) -> None:
    ours, theirs = Scores.of(kitbag, judged), Scores.of(bm25, judged)
    if per_query:
        print(f"\n{'query':<48} {'Kitbag':>7} {'BM25':>7}")
        for j, a, b in zip(judged, ours.ndcg, theirs.ndcg, strict=True):
            print(f"{j.query[:48]:<48} {a:7.3f} {b:7.3f}")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, j in enumerate(judged):
        by_kind[j.kind].append(i)
    print(f"\nnDCG@{CUTOFF} by kind of query        Kitbag    BM25")
    for kind, indexes in sorted(by_kind.items()):
        a = statistics.fmean(ours.ndcg[i] for i in indexes)
        b = statistics.fmean(theirs.ndcg[i] for i in indexes)
        print(f"  {kind:<12} ({len(indexes):>2} queries)      {a:6.3f}  {b:6.3f}")
    (n1, r1, m1), (n2, r2, m2) = ours.means(), theirs.means()
    if SUGGESTED:
        # What an officer gets who follows the page's "Did you mean ...?" where it offers one.
        followed = [SUGGESTED[j.id][1] if j.id in SUGGESTED else kitbag[j.id] for j in judged]
        gain = statistics.fmean(
            ndcg(run, j.grades) for run, j in zip(followed, judged, strict=True)
        )
        print(f'\n"Did you mean" offered for {len(SUGGESTED)} of {len(judged)} queries:')
        for j in judged:
            if j.id in SUGGESTED:
                print(f"  {j.query!r} -> {SUGGESTED[j.id][0]!r}")
        print(f"nDCG@{CUTOFF} with each suggestion followed: {gain:.3f}")
    print(f"\n{'':<14}{'Kitbag':>8}{'BM25':>8}{'ratio':>8}")
    for label, a, b in ((f"nDCG@{CUTOFF}", n1, n2), (f"recall@{CUTOFF}", r1, r2), ("MRR", m1, m2)):
        print(f"{label:<14}{a:8.3f}{b:8.3f}{(a / b if b else float('nan')):8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="Open data directory (default: KITBAG_DATA_DIR).")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database to reuse.")
    parser.add_argument("--per-query", action="store_true", help="Print nDCG for every query.")
    parser.add_argument(
        "--judgments",
        type=Path,
        default=JUDGMENTS,
        help="Graded queries (default: relevance/judgments.json; relevance/held_out.json holds "
        "queries written after tuning, never tuned on; relevance/paraphrase.json, queries in "
        "other words than the cases', never tuned on).",
    )
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    judged = load_judgments(args.judgments)
    drop = scratch_database(keep=args.keep)
    try:
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        import_everything(args.data_dir)
        keys = case_keys()
        if not keys:
            print("No cases with source identifiers were imported.", file=sys.stderr)
            return 1
        print(f"Cases: {len(keys):,}; queries: {len(judged)}")
        kitbag, seconds = kitbag_runs(judged, keys)
        bm25 = bm25_runs(judged, keys)
        report(judged, kitbag, bm25, per_query=args.per_query)
        print(f"\nKitbag: {seconds / len(judged) * 1000:.1f} ms a query through search_cases")
        # Finding by meaning (decision 0027): the fused ranking beside its two halves.
        from kitbag.semantic import encoding

        if encoding.is_on():
            text, text_seconds = text_only_runs(judged, keys)
            report_modes(
                judged,
                {
                    "fused": kitbag,
                    "text-only": text,
                    "vector-only": vector_runs(judged, keys),
                    "BM25": bm25,
                },
            )
            print(f"Text-only: {text_seconds / len(judged) * 1000:.1f} ms a query")
        else:
            print("Finding by meaning is off: the fused and vector-only rankings are not measured.")
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
