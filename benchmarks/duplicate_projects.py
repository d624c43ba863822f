"""Duplicate and overlapping projects: precision and recall on labelled pairs of invented
projects (benchmarks/duplicate_projects/projects.json), the shipped score beside text alone.

No database: it encodes each project's text once with the shared similarity service's encoder
(all-MiniLM-L6-v2 when its package is installed, otherwise the hashing stand-in, said in the
output) and scores pairs with kitbag.projects.overlap, the module the nightly task uses.

For each project that is the first of a labelled pair, every other project is ranked (by the
overlap score, and by the text's cosine alone). For k = 1, 3, 5: recall@k, of the "overlap" pairs
how many partners are in the top k; precision@k, of the labelled partners in the top k, the share
labelled "overlap". Then what a coordinator would be sent: the pairs at or above the threshold
(SUGGEST_AT), precision and recall over the labelled pairs, beside text alone at its best
threshold (chosen on these same pairs, which flatters text alone).

    .venv/bin/python benchmarks/duplicate_projects.py [--hashing]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kitbag.projects.overlap import SUGGEST_AT, ProjectFacts, overlap  # noqa: E402
from kitbag.semantic.encoders import HashingEncoder, MiniLMEncoder, minilm_model_dir  # noqa: E402

DATA = Path(__file__).resolve().parent / "duplicate_projects" / "projects.json"
CUTOFFS = (1, 3, 5)


def load() -> tuple[dict[str, ProjectFacts], list[tuple[str, str, bool]]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    facts = {
        p["id"]: ProjectFacts(
            key=n,
            text=f"{p['title']}. {p['description']}",
            outcomes=frozenset(p["outcomes"]),
            indicators=frozenset(p["indicators"]),
            services=frozenset(p["services"]),
            areas=frozenset(p["areas"]),
            start_on=dt.date.fromisoformat(p["start_on"]),
            end_on=dt.date.fromisoformat(p["end_on"]),
        )
        for n, p in enumerate(data["projects"])
    }
    pairs = [(p["a"], p["b"], p["label"] == "overlap") for p in data["pairs"]]
    return facts, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashing", action="store_true", help="Use the hashing stand-in.")
    args = parser.parse_args()
    facts, pairs = load()
    model_dir = None if args.hashing else minilm_model_dir()
    encoder = MiniLMEncoder(model_dir) if model_dir else HashingEncoder()
    ids = sorted(facts)
    started = time.perf_counter()
    matrix = np.asarray(encoder.encode([facts[i].text for i in ids]), dtype=np.float32)
    encoding = time.perf_counter() - started
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    row = {pid: n for n, pid in enumerate(ids)}

    def cosine(a: str, b: str) -> float:
        return float(matrix[row[a]] @ matrix[row[b]])

    started = time.perf_counter()
    combined = {
        (a, b): overlap(facts[a], facts[b], text_similarity=cosine(a, b)).score
        for a in ids
        for b in ids
        if a != b
    }
    scoring = time.perf_counter() - started
    text = {(a, b): cosine(a, b) for a in ids for b in ids if a != b}
    # What the site does with finding by meaning off: the words of the texts compared instead.
    words = {
        (a, b): overlap(facts[a], facts[b], text_similarity=None).score
        for a in ids
        for b in ids
        if a != b
    }

    print(f"Encoder: {getattr(encoder, 'name', type(encoder).__name__)}")
    print(
        f"{len(facts)} projects, {len(pairs)} labelled pairs "
        f"({sum(1 for *_, y in pairs if y)} overlap, {sum(1 for *_, y in pairs if not y)} not)"
    )
    print(
        f"Encoding {len(ids)} texts: {encoding:.2f} s; scoring {len(combined)} ordered pairs: "
        f"{scoring * 1000:.1f} ms ({scoring / len(combined) * 1e6:.1f} µs a pair)"
    )
    print()
    print(f"{'':28}" + "".join(f"{'P@' + str(k):>8}{'R@' + str(k):>8}" for k in CUTOFFS))
    for name, scores in (
        ("overlap score", combined),
        ("text similarity alone", text),
        ("overlap, words not meaning", words),
    ):
        cells = []
        for k in CUTOFFS:
            found = wrong = 0
            for a, b, label in pairs:
                ranked = sorted((x for x in ids if x != a), key=lambda x: -scores[(a, x)])[:k]
                if b in ranked:
                    found += label
                    wrong += not label
            positives = sum(1 for *_, y in pairs if y)
            precision = found / (found + wrong) if found + wrong else 0.0
            cells.append(f"{precision:8.2f}{found / positives:8.2f}")
        print(f"{name:28}" + "".join(cells))
    print()
    suggested = [(combined[(a, b)] >= SUGGEST_AT, y) for a, b, y in pairs]
    print("Sent to the coordinator (labelled pairs):")
    print(f"  overlap score >= {SUGGEST_AT}: " + _pr(suggested))
    best = max(
        (
            (_f1([(text[(a, b)] >= t, y) for a, b, y in pairs]), t)
            for t in sorted({round(text[(a, b)], 3) for a, b, _ in pairs})
        ),
    )
    text_suggested = [(text[(a, b)] >= best[1], y) for a, b, y in pairs]
    print(f"  text alone >= {best[1]:.3f} (its best): " + _pr(text_suggested))
    print(
        f"  overlap with words >= {SUGGEST_AT}: "
        + _pr([(words[(a, b)] >= SUGGEST_AT, y) for a, b, y in pairs])
    )
    misses = [
        (a, b, round(combined[(a, b)], 3))
        for a, b, y in pairs
        if (combined[(a, b)] >= SUGGEST_AT) != y
    ]
    print(f"  overlap score's mistakes: {misses or 'none'}")


def _counts(decisions: list[tuple[bool, bool]]) -> tuple[int, int, int]:
    tp = sum(1 for s, y in decisions if s and y)
    fp = sum(1 for s, y in decisions if s and not y)
    fn = sum(1 for s, y in decisions if not s and y)
    return tp, fp, fn


def _f1(decisions: list[tuple[bool, bool]]) -> float:
    tp, fp, fn = _counts(decisions)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _pr(decisions: list[tuple[bool, bool]]) -> str:
    tp, fp, fn = _counts(decisions)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"precision {precision:.2f} ({tp}/{tp + fp}), recall {recall:.2f} ({tp}/{tp + fn})"


if __name__ == "__main__":
    main()
