"""Reading and writing Polis export folders (openData layout). No Django: shared by the importer,
the exporter and the benchmarks.

Sign convention of each file (Polis's `darwin/export.clj` negates its internal matrix on export):
- `votes.csv` `vote` and `participants-votes.csv` cells: **agree = +1, disagree = -1, pass = 0**.
- `comments.csv` `agrees` / `disagrees`: counts of those votes (latest vote per pair).
Polis's newer `reportExport` writes the database's own sign (agree = -1); such a folder is detected
by comparing `votes.csv` with the counts in `comments.csv`, and refused.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COMMENTS_COLUMNS = ("comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body")
VOTES_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")


class PolisFileError(ValueError):
    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        where = f"{Path(path).name}" + (f", line {line}" if line else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Comment:
    id: int
    author: int | None
    agrees: int
    disagrees: int
    moderated: int
    body: str
    timestamp: int | None = None
    # Newer exports say which statements are "meta" (about the participant) in `is-meta`.
    is_meta: bool = False


@dataclass
class PolisExport:
    comments: list[Comment]
    # Votes in the order they were cast (by timestamp, then file order).
    timestamps: list[int]
    comment_ids: list[int]
    voter_ids: list[int]
    votes: list[int]
    summary: dict[str, str] = field(default_factory=dict)
    # participants-votes.csv `group-id`, kept only to compare with; never an input.
    published_groups: dict[int, int] = field(default_factory=dict)
    # Whether comments.csv has the `is-meta` column (newer exports): then it, not a guess, decides.
    says_which_are_meta: bool = False


def _rows(path: Path, required: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise PolisFileError(path, f"missing column {', '.join(missing)}", line=1)
        yield from enumerate(reader, start=2)


def _int(path: Path, line: int, row: Mapping[str, str], column: str) -> int:
    try:
        return int(row[column])
    except (TypeError, ValueError):
        raise PolisFileError(
            path, f"{column} must be a whole number, not {row[column]!r}", line
        ) from None


TRUE_FLAGS = ("true", "t", "1", "yes")
FALSE_FLAGS = ("false", "f", "0", "no", "")


def _flag(path: Path, line: int, row: Mapping[str, str], column: str) -> bool:
    """An optional true/false column; absent means false."""
    value = (row.get(column) or "").strip().lower()
    if value in TRUE_FLAGS:
        return True
    if value in FALSE_FLAGS:
        return False
    raise PolisFileError(path, f"{column} must be true or false, not {row[column]!r}", line)


def read_polis_dir(directory: Path | str, *, check_sign: bool = True) -> PolisExport:
    d = Path(directory)
    comments_path, votes_path = d / "comments.csv", d / "votes.csv"
    for p in (comments_path, votes_path):
        if not p.exists():
            raise PolisFileError(p, "file not found")
    comments: list[Comment] = []
    seen_ids: set[int] = set()
    meta_column = False
    for n, row in _rows(comments_path, COMMENTS_COLUMNS):
        meta_column = "is-meta" in row
        cid = _int(comments_path, n, row, "comment-id")
        if cid in seen_ids:
            raise PolisFileError(comments_path, f"comment-id {cid} appears twice", n)
        seen_ids.add(cid)
        moderated = _int(comments_path, n, row, "moderated")
        if moderated not in (-1, 0, 1):
            raise PolisFileError(comments_path, "moderated must be -1, 0 or 1", n)
        comments.append(
            Comment(
                id=cid,
                author=_int(comments_path, n, row, "author-id") if row["author-id"] else None,
                agrees=_int(comments_path, n, row, "agrees"),
                disagrees=_int(comments_path, n, row, "disagrees"),
                moderated=moderated,
                body=row["comment-body"],
                timestamp=int(row["timestamp"]) if row.get("timestamp") else None,
                is_meta=_flag(comments_path, n, row, "is-meta"),
            )
        )
    raw: list[tuple[int, int, int, int, int]] = []
    for n, row in _rows(votes_path, VOTES_COLUMNS):
        cid = _int(votes_path, n, row, "comment-id")
        if cid not in seen_ids:
            raise PolisFileError(votes_path, f"comment-id {cid} is not in comments.csv", n)
        vote = _int(votes_path, n, row, "vote")
        if vote not in (-1, 0, 1):
            raise PolisFileError(votes_path, f"vote must be -1, 0 or 1, not {vote}", n)
        raw.append(
            (
                _int(votes_path, n, row, "timestamp"),
                n,
                cid,
                _int(votes_path, n, row, "voter-id"),
                vote,
            )
        )
    raw.sort()
    export = PolisExport(
        comments=comments,
        timestamps=[r[0] for r in raw],
        comment_ids=[r[2] for r in raw],
        voter_ids=[r[3] for r in raw],
        votes=[r[4] for r in raw],
        says_which_are_meta=meta_column,
    )
    if check_sign:
        check_vote_sign(export, votes_path)
    summary_path = d / "summary.csv"
    if summary_path.exists():
        with summary_path.open(newline="", encoding="utf-8") as f:
            export.summary = {r[0]: r[1] for r in csv.reader(f) if len(r) >= 2}
    groups_path = d / "participants-votes.csv"
    if groups_path.exists():
        for n, row in _rows(groups_path, ("participant", "group-id")):
            if row["group-id"] not in ("", None):
                export.published_groups[_int(groups_path, n, row, "participant")] = _int(
                    groups_path, n, row, "group-id"
                )
    return export


def latest_votes(export: PolisExport) -> dict[tuple[int, int], int]:
    latest: dict[tuple[int, int], int] = {}
    for cid, pid, v in zip(export.comment_ids, export.voter_ids, export.votes, strict=True):
        latest[(pid, cid)] = v
    return latest


def check_vote_sign(export: PolisExport, path: Path | str = "votes.csv") -> None:
    """Refuse votes whose sign is the opposite of comments.csv's counts (agree = -1 exports)."""
    agree: Counter[int] = Counter()
    disagree: Counter[int] = Counter()
    for (_, cid), v in latest_votes(export).items():
        if v == 1:
            agree[cid] += 1
        elif v == -1:
            disagree[cid] += 1
    same = flipped = 0
    for c in export.comments:
        if c.agrees == c.disagrees:
            continue
        same += (agree[c.id], disagree[c.id]) == (c.agrees, c.disagrees)
        flipped += (disagree[c.id], agree[c.id]) == (c.agrees, c.disagrees)
    if flipped > same:
        raise PolisFileError(
            path,
            f"votes look like agree = -1 (the counts in comments.csv match {flipped} statements "
            f"with the sign flipped, {same} as written); openData exports use agree = +1",
        )


def write_polis_dir(
    directory: Path | str,
    *,
    comments: Sequence[Comment],
    votes: Sequence[tuple[int, int, int, int]],
    summary: Mapping[str, str],
    groups: Mapping[int, int],
) -> None:
    """Write comments.csv, votes.csv, summary.csv and participants-votes.csv (openData layout).

    ``votes`` are (timestamp ms, comment id, voter id, vote with agree = +1), latest per pair.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / "comments.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", *COMMENTS_COLUMNS, "is-meta"])
        for c in comments:
            w.writerow(
                [
                    c.timestamp or "",
                    "",
                    c.id,
                    c.author,
                    c.agrees,
                    c.disagrees,
                    c.moderated,
                    c.body,
                    "true" if c.is_meta else "false",
                ]
            )
    with (d / "votes.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for ts, cid, pid, v in votes:
            w.writerow([ts, "", cid, pid, v])
    with (d / "summary.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for key, value in summary.items():
            w.writerow([key, value])
    cids = [c.id for c in comments]
    by_pid: dict[int, dict[int, int]] = {}
    for _, cid, pid, v in votes:
        by_pid.setdefault(pid, {})[cid] = v
    authored = Counter(c.author for c in comments)
    with (d / "participants-votes.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *cids]
        )
        for pid in sorted(by_pid):
            row = by_pid[pid]
            values = list(row.values())
            w.writerow(
                [
                    pid,
                    groups.get(pid, ""),
                    authored.get(pid, 0),
                    len(values),
                    values.count(1),
                    values.count(-1),
                    *(row.get(cid, "") for cid in cids),
                ]
            )
