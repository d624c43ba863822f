"""kitbag analyse-conversation SLUG: run the opinion-group analysis now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.conversations.models import Conversation
from kitbag.conversations.services import group_sizes, run_analysis


class Command(BaseCommand):
    help = "Run the opinion-group analysis of a conversation now; print k, group sizes and seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        conversation = Conversation.objects.filter(slug=options["slug"]).first()
        if conversation is None:
            raise CommandError(f"No conversation with the slug {options['slug']!r}.")
        run = run_analysis(conversation=conversation)
        sizes = ", ".join(str(s) for s in group_sizes(run))
        self.stdout.write(
            f"{conversation.slug}: k={run.k} groups of {sizes or 'nobody'}; "
            f"{run.n_votes} votes; {run.seconds:.2f} s ({run.mode} mode; {run.k_reason})"
        )
