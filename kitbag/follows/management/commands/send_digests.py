"""kitbag send-digests --frequency daily|weekly: the scheduled digest run, by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitbag.core.background import run_in_background
from kitbag.follows.periods import FREQUENCIES
from kitbag.follows.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly digests of the period just ended (a second run sends nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=FREQUENCIES, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        handle = run_in_background(send_digests, frequency=options["frequency"])
        if not handle.in_process:
            self.stdout.write(f"Queued digest run {handle.id}.")
            return
        run = handle.wait()
        self.stdout.write(
            f"{run['frequency']} digests up to {run['covers_up_to']}: {run['people']} people, "
            f"{run['sent']} sent, {run['nothing_new']} with nothing new, {run['failed']} failed."
        )
