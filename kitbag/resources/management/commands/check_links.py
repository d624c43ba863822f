"""kitbag check-links: check the library's links now, as the daily scheduled task does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitbag.core.background import run_in_background
from kitbag.resources import link_checks
from kitbag.resources.tasks import CHECKS_PER_RUN, check_links


class Command(BaseCommand):
    help = (
        "Check the resource library's links politely (HEAD then GET, a pause between requests "
        "to one host) and mark dead links. Runs daily on the workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=CHECKS_PER_RUN, help="At most this many.")
        parser.add_argument(
            "--delay",
            type=float,
            default=link_checks.PER_HOST_DELAY_SECONDS,
            help="Seconds between two requests to one host.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=link_checks.TIMEOUT_SECONDS,
            help="Seconds a request may take.",
        )
        parser.add_argument(
            "--all", action="store_true", help="Check every link, not only those due a check."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handle = run_in_background(
            check_links,
            limit=options["limit"],
            per_host_delay=options["delay"],
            timeout=options["timeout"],
            everything=options["all"],
        )
        if not handle.in_process:
            self.stdout.write(f"Link check queued for a worker (task {handle.id}).")
            return
        counts = handle.wait()
        self.stdout.write(
            f"Checked {counts['checked']} links: {counts['working']} working, "
            f"{counts['failing']} failing, {counts['dead']} dead."
        )
