"""Conversations: agreement with Polis's published groups, planted groups, speed and memory.

1. On the openData conversations with Polis's published groups (participants-votes.csv `group-id`),
   the adjusted Rand index (ARI) between those groups and Kitbag's, over the participants both
   grouped: Kitbag's Polis-faithful mode on the final votes, the same replayed over the
   conversation's history (a run every N votes, warm starts and k-smoother carried forward, as Polis
   ran ticks), the improved mode, and red-dwarf 0.4.0's defaults when it is installed in a separate
   virtual environment (--red-dwarf PYTHON; it is never a Kitbag dependency).
2. Planted groups: synthetic conversations with known groups (below), ARI at 1,000 / 10,000 / 50,000
   participants.
3. Speed and peak memory of one analysis at 10,000 participants × 300 statements (~750,000 votes),
   each in a fresh process.

    .venv/bin/python benchmarks/polis_agreement.py [--data-dir DIR] [--red-dwarf /tmp/rd-venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kitbag.conversations import opinion as op  # noqa: E402
from kitbag.conversations.meta_statements import guess_meta  # noqa: E402
from kitbag.conversations.polis_files import read_polis_dir  # noqa: E402

# Statements that describe the participant rather than ask an opinion. openData exports do not say
# which statements were "meta"; these are the demographic questions of london.youth.policing
# (ids 0-14: age, gender, language, ethnicity, police contact).
META = {"london.youth.policing": list(range(15)), "brexit-consensus": []}
CONVERSATIONS = ("brexit-consensus", "london.youth.policing")


ari = op.adjusted_rand_index
agreement = op.group_agreement


def load(directory: Path) -> tuple[Any, op.Matrix, list[int]]:
    export = read_polis_dir(directory)
    matrix = op.vote_matrix(
        participants=export.voter_ids,
        statements=export.comment_ids,
        votes=export.votes,
        statement_ids=[c.id for c in export.comments],
    )
    mod_out = [c.id for c in export.comments if c.moderated == -1]
    return export, matrix, mod_out


def replay(export: Any, mod_out: list[int], meta: list[int], every: int) -> dict[str, Any]:
    """Runs after every `every` votes, carrying state forward; the last run's result."""
    ids = [c.id for c in export.comments]
    state: dict[str, Any] | None = None
    n = len(export.votes)
    result: dict[str, Any] = {}
    for end in [*range(every, n, every), n]:
        m = op.vote_matrix(
            participants=export.voter_ids[:end],
            statements=export.comment_ids[:end],
            votes=export.votes[:end],
            statement_ids=ids,
        )
        a = op.analyse(m, moderated_out=mod_out, meta=meta, state=state)
        state, result = a.state, a.result
    return result


RED_DWARF_SCRIPT = r"""
import json, sys, pandas as pd
from reddwarf.implementations.polis import run_pipeline
d = json.load(sys.stdin)
kwargs = {}
if d.get("force_k"):
    kwargs["force_group_count"] = d["force_k"]
if d.get("keep"):
    kwargs["keep_participant_ids"] = d["keep"]
res = run_pipeline(
    votes=d["votes"], mod_out_statement_ids=d["mod_out"], meta_statement_ids=d["meta"], **kwargs
)
labels = {}
for pid, v in res.participants_df["cluster_id"].items():
    if pd.notna(v):
        labels[int(pid)] = int(v)
components = {
    "statements": [int(c) for c in res.filtered_vote_matrix.columns],
    "components": res.reducer.components_.tolist(),
}
print(json.dumps({"labels": labels, "pca": components}))
"""


def red_dwarf_groups(
    python: str,
    export: Any,
    mod_out: list[int],
    meta: list[int],
    *,
    force_k: int | None = None,
    keep: list[int] | None = None,
    with_pca: bool = False,
) -> Any:
    latest: dict[tuple[int, int], dict[str, int]] = {}
    for t, c, p, v in zip(
        export.timestamps, export.comment_ids, export.voter_ids, export.votes, strict=True
    ):
        latest[(p, c)] = {"participant_id": p, "statement_id": c, "vote": v, "modified": t}
    votes = list(latest.values())
    proc = subprocess.run(  # noqa: S603 - a local interpreter chosen by the person running this
        [python, "-c", RED_DWARF_SCRIPT],
        input=json.dumps(
            {"votes": votes, "mod_out": mod_out, "meta": meta, "force_k": force_k, "keep": keep}
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        return "failed: " + proc.stderr.strip().splitlines()[-1][:200]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    labels = {int(k): v for k, v in out["labels"].items()}
    return (labels, out["pca"]) if with_pca else labels


def layers(
    python: str,
    export: Any,
    m: op.Matrix,
    mod_out: list[int],
    meta: list[int],
    pub: dict[int, int],
) -> None:
    """The reference's layered checks: PCA up to sign, then labels with participants and k fixed."""
    k_pub = len(set(pub.values()))
    held = {"smoother": {"last_k": k_pub, "last_k_count": 1, "smoothed_k": k_pub}}
    ours = op.analyse(m, moderated_out=mod_out + meta, state=held).result
    out = red_dwarf_groups(
        python, export, mod_out + meta, [], force_k=k_pub, keep=sorted(pub), with_pca=True
    )
    if isinstance(out, str):
        print(f"  layers: red-dwarf {out}")
        return
    labels, pca = out
    where = {t: j for j, t in enumerate(ours["statements"])}
    cosines = []
    for k in range(2):
        theirs = np.zeros(len(where))
        for t, v in zip(pca["statements"], pca["components"][k], strict=True):
            theirs[where[t]] = v
        mine = np.asarray(ours["pca"]["components"][k])
        cosines.append(abs(float(mine @ theirs)) / (np.linalg.norm(mine) * np.linalg.norm(theirs)))
    print(
        f"  layer 1, PCA |cosine| with red-dwarf's components: {cosines[0]:.4f}, {cosines[1]:.4f}"
    )
    score, n = agreement(op.participant_groups(ours), labels)
    rd_pub, _ = agreement(labels, pub)
    print(
        f"  layer 2, Polis's grouped participants and k={k_pub} fixed: Kitbag vs red-dwarf ARI "
        f"{score:.3f} over {n}; red-dwarf vs Polis {rd_pub:.3f}"
    )
    layer_three(python, m, mod_out + meta, ours)


RED_DWARF_STATS = r"""
import json, sys
import numpy as np, pandas as pd
from reddwarf.utils.stats import calculate_comment_statistics_dataframes
d = json.load(sys.stdin)
out = {}
for name in ("rating", "raw"):
    df = pd.DataFrame(np.array(d[name], dtype=float), index=d["pids"], columns=d["tids"])
    stats, gac = calculate_comment_statistics_dataframes(vote_matrix=df, cluster_labels=d["labels"])
    out[name] = {
        "stats": {k: stats[k].to_numpy().reshape(-1, len(d["tids"])).tolist()
                  for k in ("na", "nd", "ns", "pa", "pd", "pat", "pdt", "ra", "rd", "rat", "rdt")},
        "gac": gac["group-aware-consensus"].tolist(),
    }
print(json.dumps(out))
"""


def layer_three(python: str, m: op.Matrix, mod_out: list[int], result: dict[str, Any]) -> None:
    """Exact equality of the statement statistics and group-informed consensus, same labels."""
    groups = op.participant_groups(result)
    rows = [i for i, p in enumerate(m.participant_ids) if p in groups]
    labels = np.array([groups[m.participant_ids[i]] for i in rows])
    mask = np.array([t in set(mod_out) for t in m.statement_ids])
    raw = m.values[rows]
    rating = op.rating_matrix(raw, mask)
    k = int(labels.max()) + 1

    def jsonable(a: np.ndarray) -> list[list[float | None]]:
        return [[None if np.isnan(x) else float(x) for x in row] for row in a]

    proc = subprocess.run(  # noqa: S603
        [python, "-c", RED_DWARF_STATS],
        input=json.dumps(
            {
                "rating": jsonable(rating),
                "raw": jsonable(raw),
                "pids": [m.participant_ids[i] for i in rows],
                "tids": list(m.statement_ids),
                "labels": labels.tolist(),
            }
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        print(f"  layer 3: red-dwarf failed: {proc.stderr.strip().splitlines()[-1][:200]}")
        return
    theirs = json.loads(proc.stdout.strip().splitlines()[-1])
    ours = op.repness_stats(*op.group_counts(rating, labels, k))
    worst = {
        key: float(np.nanmax(np.abs(np.asarray(theirs["rating"]["stats"][key]) - ours[key])))
        for key in ("pa", "pd", "pat", "pdt", "ra", "rd", "rat", "rdt")
    }
    gac = op.group_informed_consensus(*[c for c in op.group_counts(raw, labels, k)][0::2])
    gac_diff = float(np.max(np.abs(np.asarray(theirs["raw"]["gac"]) - gac)))
    print(
        "  layer 3, same labels: largest difference from red-dwarf "
        + ", ".join(f"{key} {v:.1e}" for key, v in worst.items())
        + f"; group-informed consensus {gac_diff:.1e}"
    )


def planted(
    n_participants: int, n_statements: int, votes_each: int, k: int, seed: int
) -> tuple[op.Matrix, dict[int, int]]:
    """k groups of equal expected size; each group agrees with a statement with its own
    probability (0.15 or 0.85, drawn per group and statement), passes 10% of the time; each
    participant votes on `votes_each` random statements."""
    rng = np.random.default_rng(seed)
    p_agree = np.where(rng.random((k, n_statements)) < 0.5, 0.15, 0.85)
    truth = rng.integers(0, k, n_participants)
    rows = np.repeat(np.arange(n_participants), votes_each)
    cols = np.concatenate(
        [rng.choice(n_statements, votes_each, replace=False) for _ in range(n_participants)]
    )
    u = rng.random(len(rows))
    agree = u < p_agree[truth[rows], cols]
    votes = np.where(agree, 1.0, -1.0)
    votes[rng.random(len(rows)) < 0.1] = 0.0
    order = rng.permutation(len(rows))
    m = op.vote_matrix(participants=rows[order], statements=cols[order], votes=votes[order])
    return m, {int(p): int(truth[p]) for p in range(n_participants)}


def speed_child(mode: str, votes_file: str) -> None:
    """One whole analysis from a file of votes, as a separate process would run it."""
    data = np.load(votes_file)
    m = op.vote_matrix(participants=data["p"], statements=data["s"], votes=data["v"])
    a = op.analyse(m, parameters=op.Parameters(mode=mode))  # type: ignore[arg-type]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"k": a.result["k"], "peak_mb": round(peak)}))


RED_DWARF_SPEED = r"""
import json, resource, sys
import numpy as np
from reddwarf.implementations.polis import run_pipeline
d = np.load(sys.argv[1])
votes = [
    {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": i}
    for i, (p, s, v) in enumerate(zip(d["p"], d["s"], d["v"]))
]
res = run_pipeline(votes=votes, random_state=0)
k = int(res.participants_df["cluster_id"].dropna().nunique())
print(json.dumps({"k": k, "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def speed(red_dwarf: str) -> None:
    """Kitbag's analysis and red-dwarf's pipeline, each a whole process on the same votes."""
    import tempfile

    m, _ = planted(10_000, 300, 75, 3, seed=7)
    rows, cols = np.nonzero(~np.isnan(m.values))
    order = np.random.default_rng(0).permutation(len(rows))
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "votes.npz")
        np.savez(
            path,
            p=np.asarray(m.participant_ids)[rows[order]],
            s=np.asarray(m.statement_ids)[cols[order]],
            v=m.values[rows[order], cols[order]],
        )
        print(f"  {len(rows):,} votes, 10,000 participants x 300 statements")
        commands = [
            ("kitbag polis", [sys.executable, __file__, "--speed-child", "polis", path]),
            ("kitbag improved", [sys.executable, __file__, "--speed-child", "improved", path]),
        ]
        if Path(red_dwarf).exists():
            commands.append(("red-dwarf 0.4.0", [red_dwarf, "-c", RED_DWARF_SPEED, path]))
        for label, command in commands:
            t = time.perf_counter()
            out = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
            seconds = time.perf_counter() - t
            if out.returncode:
                print(f"  {label:16} failed: {out.stderr.strip().splitlines()[-1][:200]}")
                continue
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"  {label:16} {seconds:6.1f} s whole process, peak {figures['peak_mb']} MB, "
                f"k={figures['k']}"
            )


def fill_database() -> None:
    """Child: a conversation of 10,000 x 300 planted votes in the database DATABASE_URL names."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    django.setup()
    from django.utils import timezone

    from kitbag.conversations.models import Conversation, Participant, Statement, Vote

    m, _ = planted(10_000, 300, 75, 3, seed=7)
    Conversation.objects.filter(slug="bench").delete()
    c = Conversation.objects.create(slug="bench", title="Benchmark")
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(conversation=c, number=n, text=f"S{n}", state="approved", created_at=now)
        for n in m.statement_ids
    )
    Participant.objects.bulk_create(
        (Participant(conversation=c, number=n) for n in m.participant_ids), batch_size=5000
    )
    statements = dict(c.statements.values_list("number", "pk"))
    participants = dict(c.participants.values_list("number", "pk"))
    rows, cols = np.nonzero(~np.isnan(m.values))
    Vote.objects.bulk_create(
        (
            Vote(
                conversation=c,
                participant_id=participants[m.participant_ids[r]],
                statement_id=statements[m.statement_ids[k]],
                value=int(m.values[r, k]),
                cast_at=now,
            )
            for r, k in zip(rows.tolist(), cols.tolist(), strict=True)
        ),
        batch_size=10_000,
    )
    print(f"{len(rows):,} votes stored")


def database_speed() -> None:
    """`kitbag analyse-conversation` as a whole process, reading 750,000 votes from SQLite."""
    import tempfile

    kitbag = str(Path(sys.executable).with_name("kitbag"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
        subprocess.run([kitbag, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, __file__, "--fill-database"], env=env, check=True)  # noqa: S603
        for _ in range(2):
            t = time.perf_counter()
            out = subprocess.run(  # noqa: S603
                ["/usr/bin/time", "-f", "%M", kitbag, "analyse-conversation", "bench"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            seconds = time.perf_counter() - t
            peak = int(out.stderr.strip().splitlines()[-1]) // 1024
            print(f"  {seconds:.1f} s whole process, peak {peak} MB: {out.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("KITBAG_DATA_DIR", "/work/shared/data")
    )
    # A scratch virtual environment holding red-dwarf, kept apart from Kitbag's own.
    parser.add_argument("--red-dwarf", default="/tmp/rd-venv/bin/python")  # noqa: S108
    parser.add_argument("--every", type=int, nargs="*", default=[50, 100, 200, 500])
    parser.add_argument("--speed-child", nargs=2, metavar=("MODE", "VOTES_FILE"))
    parser.add_argument("--only", choices=["agreement", "planted", "speed", "database"])
    parser.add_argument("--fill-database", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-planted", action="store_true")
    args = parser.parse_args()
    if args.speed_child:
        speed_child(*args.speed_child)
        return
    if args.fill_database:
        fill_database()
        return
    if args.only == "speed":
        speed(args.red_dwarf)
        return
    if args.only == "database":
        database_speed()
        return

    if args.only != "planted":
        agreement_section(args)
    if args.only == "agreement":
        return
    if not args.skip_planted:
        planted_section()
    if args.only == "planted":
        return
    print("\n## Speed at 10,000 x 300 (fresh process each)")
    speed(args.red_dwarf)


def agreement_section(args: argparse.Namespace) -> None:
    print("## Agreement with Polis's published groups (ARI)")
    for name in CONVERSATIONS:
        export, m, mod_out = load(Path(args.data_dir) / "polis_opendata_consultations" / name)
        meta = META[name]
        pub = export.published_groups
        print(
            f"\n{name}: {m.shape[0]} participants, {m.shape[1]} statements, "
            f"{len(export.votes)} votes; Polis published k={len(set(pub.values()))}"
        )
        for label, params, with_meta in (
            ("kitbag polis, final votes, no meta", op.Parameters(), False),
            ("kitbag polis, final votes", op.Parameters(), True),
            ("kitbag improved, final votes", op.Parameters(mode="improved"), True),
        ):
            r = op.analyse(
                m, moderated_out=mod_out, meta=meta if with_meta else [], parameters=params
            ).result
            score, n = agreement(op.participant_groups(r), pub)
            print(f"  {label:40} k={r['k']}  ARI {score:.3f} over {n}")
        # Layer 2 of the reference's checks: the same participants, k held at Polis's published k
        # (through the smoother state, as if that k had been published before).
        k_pub = len(set(pub.values()))
        held = {"smoother": {"last_k": k_pub, "last_k_count": 1, "smoothed_k": k_pub}}
        r = op.analyse(m, moderated_out=mod_out, meta=meta, state=held).result
        score, n = agreement(op.participant_groups(r), pub)
        print(f"  {'kitbag polis, k held at published k':40} k={r['k']}  ARI {score:.3f} over {n}")
        # What `kitbag import-polis` does: the votes' history replayed, a run after each pause.
        history = op.VoteHistory(
            export.voter_ids, export.comment_ids, export.votes, export.timestamps
        )
        guessed = sorted(guess_meta(export.comments))
        for label, replay_meta in (
            ("kitbag polis, history replayed", meta),
            ("kitbag import (replayed, meta guessed)", guessed),
            ("the same, no meta", []),
        ):
            t = time.perf_counter()
            replayed = op.replay(
                history,
                statement_ids=[c.id for c in export.comments],
                moderated_out=mod_out,
                meta=replay_meta,
            )
            r = op.analyse(m, moderated_out=mod_out, meta=replay_meta, state=replayed.state).result
            score, n = agreement(op.participant_groups(r), pub)
            print(
                f"  {label:40} k={r['k']}  ARI {score:.3f} over {n}  ({replayed.runs} runs "
                f"{replayed.interval_ms / 1000:g} s apart, {time.perf_counter() - t:.1f} s)"
            )
        for every in args.every:
            t = time.perf_counter()
            r = replay(export, mod_out, meta, every)
            score, n = agreement(op.participant_groups(r), pub)
            print(
                f"  {'kitbag polis, replayed every ' + str(every) + ' votes':40} k={r['k']}  "
                f"ARI {score:.3f} over {n}  ({time.perf_counter() - t:.1f} s)"
            )
        if Path(args.red_dwarf).exists():
            # red-dwarf 0.4.0 accepts meta_statement_ids but does not zero them; passing the same
            # statements as moderated out as well is the fair comparison.
            for label, rd_meta in (
                ("red-dwarf 0.4.0 defaults", []),
                ("red-dwarf 0.4.0, meta as mod-out", meta),
            ):
                if rd_meta == [] and label.endswith("mod-out"):
                    continue
                # red-dwarf's k-means is unseeded by default: five runs show its spread.
                scores = []
                for _ in range(5):
                    rd = red_dwarf_groups(args.red_dwarf, export, mod_out + rd_meta, rd_meta)
                    if isinstance(rd, str):
                        print(f"  {label}: {rd}")
                        break
                    score, n = agreement(rd, pub)
                    scores.append(f"{score:.3f} (k={len(set(rd.values()))})")
                if scores:
                    print(f"  {label:40} ARI over {n}: {', '.join(scores)}")
            layers(args.red_dwarf, export, m, mod_out, meta, pub)
        else:
            print(f"  red-dwarf: not installed at {args.red_dwarf}")


def planted_section() -> None:
    print("\n## Planted groups (3 groups, 100 statements, 30 votes each)")
    for n in (1_000, 10_000, 50_000):
        m, truth = planted(n, 100, 30, 3, seed=n)
        for mode in ("polis", "improved"):
            t = time.perf_counter()
            r = op.analyse(m, parameters=op.Parameters(mode=mode)).result
            score, common = agreement(op.participant_groups(r), truth)
            print(
                f"  {n:>6} participants, {mode:8}: k={r['k']} ARI {score:.3f} over {common} "
                f"({time.perf_counter() - t:.1f} s)"
            )


if __name__ == "__main__":
    main()
