"""import-polis, export-polis and analyse-conversation, on a small hand-made Polis folder."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.conversations.models import AnalysisRun, Conversation, StatementState, Vote
from kitbag.conversations.services import vote_arrays

TINY = Path(__file__).parent / "fixtures" / "tiny"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def matrix_of(conversation: Conversation) -> dict[tuple[int, int], int]:
    p, s, v, _ = vote_arrays(conversation)
    return {(int(a), int(b)): int(c) for a, b, c in zip(p, s, v, strict=True)}


def test_import_reads_statements_latest_votes_meta_and_published_groups():
    out = run("import_polis", str(TINY), "--slug", "town", "--meta", "3")
    assert "4 statements, 3 participants, 8 votes" in out
    c = Conversation.objects.get(slug="town")
    assert c.title == "Getting about town"
    assert c.published_groups == {"0": 0, "1": 0, "2": 1}
    states = dict(c.statements.values_list("number", "state"))
    assert states[2] == StatementState.HIDDEN
    assert list(c.statements.filter(is_meta=True).values_list("number", flat=True)) == [3]
    # The latest vote counts: participant 1 changed their mind on statement 1.
    assert matrix_of(c)[(1, 1)] == -1
    assert matrix_of(c)[(2, 1)] == 1
    assert AnalysisRun.objects.filter(conversation=c).count() == 1


def test_importing_twice_changes_nothing():
    run("import_polis", str(TINY), "--slug", "town")
    ids = sorted(Vote.objects.values_list("id", flat=True))
    assert "unchanged" in run("import_polis", str(TINY), "--slug", "town")
    assert sorted(Vote.objects.values_list("id", flat=True)) == ids


def test_export_then_import_gives_the_same_matrix_and_statements(tmp_path):
    run("import_polis", str(TINY), "--slug", "town", "--meta", "3")
    run("export_polis", "town", str(tmp_path / "out"))
    for name in ("comments.csv", "votes.csv", "summary.csv", "participants-votes.csv"):
        assert (tmp_path / "out" / name).exists()
    run("import_polis", str(tmp_path / "out"), "--slug", "again", "--meta", "3")
    a, b = Conversation.objects.get(slug="town"), Conversation.objects.get(slug="again")
    assert matrix_of(a) == matrix_of(b)
    fields = ("number", "text", "state", "is_meta", "author__number")
    assert list(a.statements.values_list(*fields)) == list(b.statements.values_list(*fields))
    assert b.title == a.title
    # group-id in the export is Kitbag's latest analysis, not Polis's.
    latest = AnalysisRun.objects.filter(conversation=a).first()
    assert latest is not None
    exported = {int(k): v for k, v in b.published_groups.items()}
    ours = {p: g["id"] for g in latest.result["groups"] for p in g["members"]}
    assert exported == ours


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(TINY, folder)
    path = folder / name
    path.write_text(path.read_text().replace(old, new))
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("votes.csv", "voter-id", "voter", "votes.csv, line 1: missing column voter-id"),
        (
            "comments.csv",
            "comment-body",
            "body",
            "comments.csv, line 1: missing column comment-body",
        ),
        (
            "votes.csv",
            "1500000016000,,3,0,1",
            "1500000016000,,9,0,1",
            "votes.csv, line 8: comment-id 9 is not in comments.csv",
        ),
        (
            "votes.csv",
            "1500000010000,,0,0,1",
            "1500000010000,,0,0,2",
            "votes.csv, line 2: vote must be -1, 0 or 1",
        ),
        (
            "comments.csv",
            "comment-body\n1500000000000,,0,0,2,1,1,Buses should run later at night.",
            "comment-body,is-meta\n1500000000000,,0,0,2,1,1,Buses should run later at night.,maybe",
            "comments.csv, line 2: is-meta must be true or false, not 'maybe'",
        ),
    ],
)
def test_bad_polis_files_give_clear_errors_and_change_nothing(tmp_path, name, old, new, message):
    with pytest.raises(CommandError, match=message):
        run("import_polis", str(_broken(tmp_path, name, old, new)), "--slug", "town")
    assert not Conversation.objects.exists()


def test_votes_with_the_database_sign_are_detected_from_comment_counts(tmp_path):
    folder = tmp_path / "flipped"
    shutil.copytree(TINY, folder)
    lines = (folder / "votes.csv").read_text().splitlines()
    flipped = [lines[0]] + [
        ",".join([*row.split(",")[:-1], str(-int(row.split(",")[-1]))]) for row in lines[1:]
    ]
    (folder / "votes.csv").write_text("\n".join(flipped) + "\n")
    with pytest.raises(CommandError, match="agree = -1"):
        run("import_polis", str(folder), "--slug", "town")
    assert not Conversation.objects.exists()


def test_analyse_conversation_prints_k_group_sizes_and_seconds():
    run("import_polis", str(TINY), "--slug", "town", "--no-analysis")
    out = run("analyse_conversation", "town")
    assert out.startswith("town: k=")
    assert " s (polis mode" in out
    with pytest.raises(CommandError, match="No conversation"):
        run("analyse_conversation", "nowhere")


def test_votes_are_read_as_arrays_in_the_order_cast():
    run("import_polis", str(TINY), "--slug", "town", "--no-analysis")
    p, s, v, n = vote_arrays(Conversation.objects.get(slug="town"))
    assert n == 8 and isinstance(p, np.ndarray) and v.dtype == np.float64


def test_each_import_is_recorded_with_its_counts_through_the_import_framework():
    from kitbag.core.models import ImportRun

    run("import_polis", str(TINY), "--slug", "town", "--no-analysis")
    run("import_polis", str(TINY), "--slug", "town", "--no-analysis")
    first, second = ImportRun.objects.filter(source="polis-opendata").order_by("started_at", "pk")
    assert (first.status, first.created, first.updated, first.rows_read) == (
        ImportRun.Status.SUCCEEDED,
        1,
        0,
        15,  # 4 comments and 11 vote rows, a changed vote included
    )
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)


def _with_meta_column(tmp_path: Path, meta: set[int]) -> Path:
    """The tiny folder as a newer export writes it, with an `is-meta` column."""
    folder = tmp_path / "with-meta"
    shutil.copytree(TINY, folder)
    lines = (folder / "comments.csv").read_text().splitlines()
    rows = [lines[0] + ",is-meta"] + [
        f"{row},{'true' if int(row.split(',')[2]) in meta else 'false'}" for row in lines[1:]
    ]
    (folder / "comments.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_the_is_meta_column_of_newer_exports_marks_meta_statements(tmp_path):
    run("import_polis", str(_with_meta_column(tmp_path, {3})), "--slug", "town")
    town = Conversation.objects.get(slug="town")
    assert list(town.statements.filter(is_meta=True).values_list("number", flat=True)) == [3]


def test_an_export_says_which_statements_are_meta_so_a_round_trip_keeps_them(tmp_path):
    run("import_polis", str(TINY), "--slug", "town", "--meta", "3")
    run("export_polis", "town", str(tmp_path / "out"))
    assert "is-meta" in (tmp_path / "out" / "comments.csv").read_text().splitlines()[0]
    run("import_polis", str(tmp_path / "out"), "--slug", "again")
    again = Conversation.objects.get(slug="again")
    assert list(again.statements.filter(is_meta=True).values_list("number", flat=True)) == [3]


def _spread_out(tmp_path: Path) -> Path:
    """The tiny folder with its votes a minute apart: each vote was its own run in Polis."""
    folder = tmp_path / "spread"
    shutil.copytree(TINY, folder)
    lines = (folder / "votes.csv").read_text().splitlines()
    rows = [lines[0]] + [
        f"{1500000010000 + 60_000 * n},{row.split(',', 1)[1]}" for n, row in enumerate(lines[1:])
    ]
    (folder / "votes.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_an_import_replays_the_votes_history_and_records_how(tmp_path):
    out = run("import_polis", str(_spread_out(tmp_path)), "--slug", "town")
    assert "10 earlier runs replayed" in out
    analysis = AnalysisRun.objects.get(conversation__slug="town")
    assert analysis.parameters["replayed_runs"] == 10
    assert analysis.parameters["replay_interval_ms"] == 1000
    assert "after replaying 10 earlier runs of the vote history" in analysis.k_reason


def test_no_replay_analyses_the_final_votes_once(tmp_path):
    folder = _spread_out(tmp_path)
    out = run("import_polis", str(folder), "--slug", "town", "--no-replay")
    assert "replayed" not in out
    analysis = AnalysisRun.objects.get(conversation__slug="town")
    assert "replayed_runs" not in analysis.parameters
    # Asking for the other way of analysing imports the same files again.
    assert "unchanged" not in run("import_polis", str(folder), "--slug", "town")


def test_without_meta_flags_an_older_export_s_meta_statements_are_guessed_and_said(tmp_path):
    out = run("import_polis", str(TINY), "--slug", "town")
    assert "statements 3 taken as meta" in out
    town = Conversation.objects.get(slug="town")
    assert list(town.statements.filter(is_meta=True).values_list("number", flat=True)) == [3]
    out = run("import_polis", str(TINY), "--slug", "plain", "--no-guess-meta")
    assert "taken as meta" not in out
    assert not Conversation.objects.get(slug="plain").statements.filter(is_meta=True).exists()


def test_an_is_meta_column_that_marks_none_is_believed_rather_than_guessed(tmp_path):
    out = run("import_polis", str(_with_meta_column(tmp_path, set())), "--slug", "town")
    assert "taken as meta" not in out
    assert not Conversation.objects.get(slug="town").statements.filter(is_meta=True).exists()
