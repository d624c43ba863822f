"""Similar cases: precision on labelled pairs of real cases, beside a text-only baseline, and speed.

Creates a scratch database (SQLite in memory by default, a `test_` copy of the PostgreSQL database
when DATABASE_URL names one), imports the registry, the code lists and the real cases into it, then
asks `kitbag.cases.similar_cases.similar_cases` (the code path of the case page and the API) for the
similar cases of the first case of every pair in benchmarks/similarity/pairs.json, once as shipped
and once with every code weight off (text only, the same service otherwise).

For k = 1, 3, 5, 10 it prints, over the labelled pairs:
- similar found: of the pairs labelled "similar", how many partners are in the top k;
- wrongly shown: of the pairs labelled "not-similar" (only sharing words), how many are;
- P@k: of the labelled partners in the top k, the share labelled "similar".

Then the time per call over every public case (the corpus built once, then warm calls), the
queries per call, and, with --synthetic N, the same after adding N synthetic cases.

    .venv/bin/python benchmarks/similarity.py [--data-dir DIR] [--keep] [--synthetic N] [--misses]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAIRS = Path(__file__).resolve().parent / "similarity" / "pairs.json"
CUTOFFS = (1, 3, 5, 10)
DEPTH = max(CUTOFFS)
SAMPLE = 1000


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similar: bool
    why: str


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Pair(p["a"], p["b"], p["label"] == "similar", p.get("why", "")) for p in data["pairs"]]


@dataclass(frozen=True)
class AtK:
    k: int
    found: int
    similar: int
    wrong: int
    not_similar: int

    @property
    def precision(self) -> float:
        shown = self.found + self.wrong
        return self.found / shown if shown else 0.0


def at_k(pairs: Sequence[Pair], runs: dict[str, list[str]], k: int) -> AtK:
    def shown(pair: Pair) -> bool:
        return pair.b in runs.get(pair.a, [])[:k]

    similar = [p for p in pairs if p.similar]
    others = [p for p in pairs if not p.similar]
    return AtK(
        k=k,
        found=sum(shown(p) for p in similar),
        similar=len(similar),
        wrong=sum(shown(p) for p in others),
        not_similar=len(others),
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
            Path(__file__).resolve().parent.parent / "var" / "similarity.sqlite3"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=not keep, keepdb=keep)

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


def identifiers() -> tuple[dict[str, int], dict[int, str]]:
    from kitbag.cases.models import CaseIdentifier

    by_key: dict[str, int] = {}
    for case_id, scheme, value in CaseIdentifier.objects.values_list("case_id", "scheme", "value"):
        by_key.setdefault(f"{scheme}:{value}", case_id)
    return by_key, {pk: key for key, pk in by_key.items()}


def runs_for(
    queried: Sequence[str],
    by_key: dict[str, int],
    names: dict[int, str],
    weights: Any,
    *,
    by_meaning: bool = False,
) -> dict[str, list[str]]:
    from django.contrib.auth.models import AnonymousUser

    from kitbag.cases.models import Case
    from kitbag.cases.similar_cases import similar_cases

    cases = Case.objects.in_bulk([by_key[key] for key in queried])
    runs = {}
    for key in queried:
        found = similar_cases(
            case=cases[by_key[key]],
            viewer=AnonymousUser(),
            limit=DEPTH,
            weights=weights,
            by_meaning=by_meaning,
        )
        runs[key] = [names.get(item.case.pk, f"case:{item.case.pk}") for item in found]
    return runs


def report_precision(
    pairs: Sequence[Pair], kitbag: dict[str, list[str]], text: dict[str, list[str]]
) -> None:
    print(
        f"\n{len(pairs)} labelled pairs ({sum(p.similar for p in pairs)} similar), "
        f"{len(kitbag)} cases queried"
    )
    print(f"{'':6}{'similar found':>22}{'wrongly shown':>22}{'P@k':>14}")
    print(f"{'':6}{'Kitbag':>11}{'text':>11}{'Kitbag':>11}{'text':>11}{'Kitbag':>7}{'text':>7}")
    for k in CUTOFFS:
        ours, base = at_k(pairs, kitbag, k), at_k(pairs, text, k)
        print(
            f"@{k:<5}{ours.found:>6}/{ours.similar:<4}{base.found:>6}/{base.similar:<4}"
            f"{ours.wrong:>6}/{ours.not_similar:<4}{base.wrong:>6}/{base.not_similar:<4}"
            f"{ours.precision:>7.2f}{base.precision:>7.2f}"
        )


def vector_runs(
    queried: Sequence[str], by_key: dict[str, int], names: dict[int, str]
) -> dict[str, list[str]]:
    """The nearest public cases by the cases' vectors alone (finding by meaning, decision 0027)."""
    from kitbag.cases.search_documents import DOC_TYPE
    from kitbag.search.models import SearchDocument
    from kitbag.semantic import queries

    documents = SearchDocument.objects.filter(doc_type=DOC_TYPE)
    hidden = set(documents.filter(is_public=False).values_list("pk", flat=True))
    document_of = {int(o): pk for pk, o in documents.values_list("pk", "object_id")}
    case_of = {pk: int(o) for o, pk in document_of.items()}
    runs: dict[str, list[str]] = {}
    for key in queried:
        own = document_of[by_key[key]]
        vector = queries.vector_of(own, DOC_TYPE)
        if vector is None:
            runs[key] = []
            continue
        found = queries.nearest_to_vector(
            vector, doc_type=DOC_TYPE, k=DEPTH, outside=hidden | {own}
        )
        runs[key] = [names.get(case_of[pk], f"case:{case_of[pk]}") for pk, _ in found]
    return runs


def report_modes(pairs: Sequence[Pair], runs: dict[str, dict[str, list[str]]]) -> None:
    print(f"\n{'ranking':<26}" + "".join(f"{'@' + str(k):>20}" for k in CUTOFFS))
    print(f"{'':<26}" + f"{'found / wrong / P':>20}" * len(CUTOFFS))
    for name, run in runs.items():
        cells = []
        for k in CUTOFFS:
            a = at_k(pairs, run, k)
            cells.append(
                f"{a.found:>6}/{a.similar} {a.wrong:>3}/{a.not_similar} {a.precision:5.2f}"
            )
        print(f"{name:<26}" + "".join(f"{c:>20}" for c in cells))


def report_misses(pairs: Sequence[Pair], runs: dict[str, list[str]]) -> None:
    print("\nWhere Kitbag is wrong at 5:")
    for pair in pairs:
        rank = runs.get(pair.a, []).index(pair.b) + 1 if pair.b in runs.get(pair.a, []) else None
        if pair.similar and rank is None:
            print(f"  missed  {pair.a} ~ {pair.b}: {pair.why}")
        if not pair.similar and rank is not None:
            print(f"  shown   {pair.a} ~ {pair.b} at {rank}: {pair.why}")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report_speed(label: str) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kitbag.cases.models import Case
    from kitbag.cases.similar_cases import _library, forget_library, similar_cases

    cases = list(Case.objects.public().order_by("pk"))
    # At most SAMPLE calls, spread evenly over the library.
    sample = cases[:: max(1, len(cases) // SAMPLE)][:SAMPLE]
    forget_library()
    started = time.perf_counter()
    corpus = _library()
    build = time.perf_counter() - started
    anonymous = AnonymousUser()
    times = []
    queries = []
    for case in sample:
        # The query log is a bounded deque: emptied, so that counting by difference stays right.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            similar_cases(case=case, viewer=anonymous)
            times.append(time.perf_counter() - started)
        queries.append(len(captured))
    print(
        f"\n{label}: {len(cases)} public cases ({len(corpus)} in the corpus, {len(sample)} asked), "
        f"corpus built in {build:.2f} s"
    )
    print(
        f"  per call: median {statistics.median(times) * 1000:.1f} ms, "
        f"95th percentile {percentile(times, 0.95) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms; queries per call {min(queries)}-{max(queries)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="the shared data directory (default: KITBAG_DATA_DIR)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--synthetic", type=int, default=0, help="then add N synthetic cases")
    parser.add_argument("--misses", action="store_true", help="list the pairs Kitbag gets wrong")
    args = parser.parse_args()

    setup_django()
    from django.conf import settings

    from kitbag.cases.similarity import Weights

    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} (scratch copy)")
    drop = scratch_database(keep=args.keep)
    try:
        import_everything(args.data_dir)
        by_key, names = identifiers()
        pairs = load_pairs()
        missing = sorted({key for p in pairs for key in (p.a, p.b)} - set(by_key))
        if missing:
            print(f"Not imported: {', '.join(missing)}", file=sys.stderr)
            return 1
        queried = sorted({p.a for p in pairs})
        kitbag = runs_for(queried, by_key, names, None)
        text = runs_for(queried, by_key, names, Weights.text_only())
        report_precision(pairs, kitbag, text)
        from kitbag.semantic import encoding

        if encoding.is_on():
            report_modes(
                pairs,
                {
                    "fused (meaning + codes)": runs_for(
                        queried, by_key, names, None, by_meaning=True
                    ),
                    "words and codes": kitbag,
                    "text only": text,
                    "vector only": vector_runs(queried, by_key, names),
                },
            )
            kitbag = runs_for(queried, by_key, names, None, by_meaning=True)
        if args.misses:
            report_misses(pairs, kitbag)
        report_speed("Real cases")
        if args.synthetic:
            from django.core.management import call_command

            started = time.perf_counter()
            call_command("generate_cases", count=args.synthetic, verbosity=0)
            print(
                f"\n  generate-cases --count {args.synthetic}: {time.perf_counter() - started:.1f} s"
            )
            report_speed(f"With {args.synthetic} synthetic cases")
            if args.keep:
                from kitbag.cases.synthetic import remove_synthetic_cases

                remove_synthetic_cases()
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
