"""kitbag import-polis DIR [--slug SLUG] [--meta ID,...] [--no-replay]: a Polis export folder as a
conversation.

Meta statements (about the participant, not an opinion) are those the export's `is-meta` column
marks (newer exports have it) and those `--meta` names; with neither, they are guessed from their
wording (`meta_statements.guess_meta`, printed; `--no-guess-meta` to turn it off). The analysis after an import replays the votes' history (`opinion.replay`): Polis's
published k is its k-smoother's over every run it made, and a single run on the final votes often
chooses another (brexit-consensus: k=3 on the final votes, 2 published and replayed).

A plain command rather than an `ImportCommand` (decision 0039): that command's arguments
(`--data-dir`, `--source`) would change this one's. What it shares with every import is the
framework's record: `recorded_import` writes the conversation and its `ImportRun` (rows read,
created, updated or unchanged) in one transaction, so a failure leaves no trace.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.text import slugify

from kitbag.conversations import opinion
from kitbag.conversations.meta_statements import guess_meta
from kitbag.conversations.models import Conversation, Participant, Statement, StatementState, Vote
from kitbag.conversations.polis_files import PolisFileError, read_polis_dir
from kitbag.conversations.search_documents import DOC_TYPE
from kitbag.conversations.services import reindex, run_analysis
from kitbag.core.importing.recording import recorded_import
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.search.queries import is_indexed

STATE_OF_MODERATED = {
    1: StatementState.APPROVED,
    0: StatementState.PENDING,
    -1: StatementState.HIDDEN,
}
SOURCE = "polis-opendata"
IMPORT_VERSION = 2
ATTRIBUTION = (
    "Polis conversation data from compdemocracy.org (The Computational Democracy Project, "
    "openData), licensed under CC BY 4.0."
)


def _when(ms: int | None) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC) if ms else timezone.now()


class Command(BaseCommand):
    help = (
        "Import a Polis export folder (comments.csv, votes.csv, summary.csv; participants-votes.csv "
        "kept only as Polis's published groups, for comparison). Importing again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--slug", help="the conversation's slug (default: the folder's name)")
        parser.add_argument(
            "--meta",
            default="",
            help="comma-separated comment-ids of meta statements (about the participant, not an "
            "opinion); older openData exports do not say which these are",
        )
        parser.add_argument(
            "--no-guess-meta",
            action="store_true",
            help="without --meta or an is-meta column, treat every statement as an opinion "
            "instead of guessing the meta ones from their wording",
        )
        parser.add_argument("--no-analysis", action="store_true", help="do not run an analysis")
        parser.add_argument(
            "--no-replay",
            action="store_true",
            help="analyse the final votes in one run instead of replaying the votes' history",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        # A folder name alone is looked up among KITBAG_DATA_DIR's Polis conversations.
        in_data = Path(settings.KITBAG_DATA_DIR) / "polis_opendata_consultations" / directory
        if not directory.exists() and in_data.exists():
            directory = in_data
        try:
            meta = {int(x) for x in re.split(r"[,\s]+", options["meta"]) if x}
        except ValueError:
            raise CommandError("--meta takes comma-separated comment-ids, such as 0,1,2") from None
        try:
            export = read_polis_dir(directory)
        except PolisFileError as error:
            raise CommandError(str(error)) from None
        known = {c.id for c in export.comments}
        if meta - known:
            raise CommandError(
                f"--meta names comment-ids not in comments.csv: {sorted(meta - known)}"
            )
        meta |= {c.id for c in export.comments if c.is_meta}
        guessed: set[int] = set()
        if not meta and not export.says_which_are_meta and not options["no_guess_meta"]:
            guessed = guess_meta(export.comments)
            meta = guessed
        slug = options["slug"] or slugify(directory.name.replace(".", "-"))
        if guessed:
            self.stdout.write(
                f"{slug}: statements {', '.join(map(str, sorted(guessed)))} taken as meta (about "
                "the participant, not an opinion) from their wording; --meta names others, "
                "--no-guess-meta none"
            )
        # What the import makes of the files belongs in the fingerprint too: a new way of analysing
        # them (here, replaying their history) imports them again.
        digest = hashlib.sha256(repr((sorted(meta), IMPORT_VERSION, options["no_replay"])).encode())
        for name in ("comments.csv", "votes.csv", "summary.csv", "participants-votes.csv"):
            if (directory / name).exists():
                digest.update((directory / name).read_bytes())
        fingerprint = digest.hexdigest()
        existing = Conversation.objects.filter(slug=slug).first()
        report = ImportReport(
            source=SOURCE,
            location=str(directory),
            rows_read=len(export.comments) + len(export.votes),
        )
        if existing and existing.source_fingerprint == fingerprint:
            with recorded_import(report):
                if not is_indexed(doc_type=DOC_TYPE, object_id=str(existing.pk)):
                    # Imported before conversations were searchable.
                    reindex(existing)
                report.count(Outcome.UNCHANGED)
            self.stdout.write(f"{slug}: unchanged")
            return
        with recorded_import(report):
            conversation = self._write(slug, export, meta, fingerprint)
            reindex(conversation)
            report.count(Outcome.UPDATED if existing else Outcome.CREATED)
        self.stdout.write(
            f"{slug}: {len(export.comments)} statements, {conversation.participants.count()} "
            f"participants, {conversation.votes.count()} votes"
        )
        if not options["no_analysis"]:
            history = None
            if not options["no_replay"]:
                history = opinion.VoteHistory(
                    participants=export.voter_ids,
                    statements=export.comment_ids,
                    votes=export.votes,
                    timestamps=export.timestamps,
                )
            run = run_analysis(conversation=conversation, history=history)
            replayed = run.parameters.get("replayed_runs", 0)
            self.stdout.write(
                f"{slug}: analysis k={run.k} ({run.seconds:.2f} s"
                + (f", {replayed} earlier runs replayed" if replayed else "")
                + ")"
            )

    def _write(self, slug: str, export: Any, meta: set[int], fingerprint: str) -> Conversation:
        summary = export.summary
        conversation, _ = Conversation.objects.update_or_create(
            slug=slug,
            defaults={
                "title": summary.get("topic") or slug,
                "question": summary.get("conversation-description", ""),
                "source_url": summary.get("url", ""),
                "attribution": ATTRIBUTION,
                "source_fingerprint": fingerprint,
                "published_groups": {str(p): g for p, g in export.published_groups.items()},
            },
        )
        # A changed source replaces the conversation's contents wholesale.
        conversation.votes.all().delete()
        conversation.statements.all().delete()
        conversation.participants.all().delete()
        conversation.analysis_runs.all().delete()
        numbers = sorted(
            set(export.voter_ids) | {c.author for c in export.comments if c.author is not None}
        )
        participants = {
            p.number: p
            for p in Participant.objects.bulk_create(
                Participant(conversation=conversation, number=n) for n in numbers
            )
        }
        if not all(p.pk for p in participants.values()):
            participants = {p.number: p for p in conversation.participants.all()}
        Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=c.id,
                text=c.body,
                author=participants.get(c.author) if c.author is not None else None,
                is_meta=c.id in meta,
                state=STATE_OF_MODERATED[c.moderated],
                created_at=_when(c.timestamp),
            )
            for c in sorted(export.comments, key=lambda c: c.id)
        )
        statements = {s.number: s for s in conversation.statements.all()}
        latest: dict[tuple[int, int], tuple[int, int]] = {}
        for t, cid, pid, v in zip(
            export.timestamps, export.comment_ids, export.voter_ids, export.votes, strict=True
        ):
            latest[(pid, cid)] = (t, v)
        Vote.objects.bulk_create(
            (
                Vote(
                    conversation=conversation,
                    participant=participants[pid],
                    statement=statements[cid],
                    value=v,
                    cast_at=_when(t),
                )
                for (pid, cid), (t, v) in latest.items()
            ),
            batch_size=5000,
        )
        return conversation
