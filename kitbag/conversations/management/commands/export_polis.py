"""kitbag export-polis SLUG DIR: a conversation in Polis's openData layout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.conversations import opinion
from kitbag.conversations.models import POLIS_MODERATED, AnalysisRun, Conversation, Vote
from kitbag.conversations.polis_files import Comment, write_polis_dir
from kitbag.conversations.services import run_analysis


class Command(BaseCommand):
    help = (
        "Write comments.csv, votes.csv, summary.csv and participants-votes.csv (Polis openData "
        "layout, agree = +1) with group-id from Kitbag's latest analysis (one is run if none)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("directory")

    def handle(self, *args: Any, **options: Any) -> None:
        conversation = Conversation.objects.filter(slug=options["slug"]).first()
        if conversation is None:
            raise CommandError(f"No conversation with the slug {options['slug']!r}.")
        run = AnalysisRun.objects.filter(conversation=conversation).first()
        if run is None:
            run = run_analysis(conversation=conversation)
        votes = list(
            Vote.objects.filter(conversation=conversation)
            .order_by("cast_at", "id")
            .values_list("cast_at", "statement__number", "participant__number", "value")
        )
        agrees: Counter[int] = Counter(c for _, c, _, v in votes if v == 1)
        disagrees: Counter[int] = Counter(c for _, c, _, v in votes if v == -1)
        comments = [
            Comment(
                id=s.number,
                author=s.author.number if s.author else None,
                agrees=agrees[s.number],
                disagrees=disagrees[s.number],
                moderated=POLIS_MODERATED[s.state],  # type: ignore[index]
                body=s.text,
                timestamp=int(s.created_at.timestamp() * 1000),
                is_meta=s.is_meta,
            )
            for s in conversation.statements.select_related("author").order_by("number")
        ]
        summary = {"topic": conversation.title, "url": conversation.source_url}
        if conversation.question:
            summary["conversation-description"] = conversation.question
        summary["voters"] = str(len({p for _, _, p, _ in votes}))
        summary["comments"] = str(len(comments))
        write_polis_dir(
            options["directory"],
            comments=comments,
            votes=[(int(t.timestamp() * 1000), c, p, v) for t, c, p, v in votes],
            summary=summary,
            groups=opinion.participant_groups(run.result),
        )
        self.stdout.write(f"Wrote {conversation.slug} to {Path(options['directory'])}")
