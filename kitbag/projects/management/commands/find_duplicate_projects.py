"""kitbag find-duplicate-projects: compare every pair of open projects now (the nightly task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kitbag.core.background import run_in_background
from kitbag.projects.tasks import find_duplicate_projects


class Command(BaseCommand):
    help = "Queue overlapping projects across agencies for their coordinators to decide on."

    def handle(self, *args: Any, **options: Any) -> None:
        handle = run_in_background(find_duplicate_projects)
        if handle.in_process:
            self.stdout.write(f"{handle.wait()} new pairs of similar projects queued.")
        else:
            self.stdout.write(f"Sent to the workers as task {handle.id}.")
