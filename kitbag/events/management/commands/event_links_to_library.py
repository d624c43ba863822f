"""kitbag event-links-to-library: put the notes, slides and write-ups linked to events before the
library took them (EventLink without a resource) into the resource library, each recommended by
whoever added it and used by its event, as adding a link does now (services.add_link).

Idempotent: a link already in the library is left alone, so a second run changes nothing. A link
whose adder's account is gone has nobody to recommend it and is counted, not added.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kitbag.events import services
from kitbag.events.models import EventLink


class Command(BaseCommand):
    help = "Put event links added before the resource library took them into the library."

    def handle(self, *args: Any, **options: Any) -> None:
        added = without_adder = refused = 0
        waiting = EventLink.objects.filter(resource__isnull=True).select_related(
            "event", "added_by"
        )
        for link in waiting.order_by("pk").iterator():
            if link.added_by is None:
                without_adder += 1
                continue
            try:
                services.put_link_in_library(link=link, by=link.added_by)
            except services.EventError as error:
                refused += 1
                self.stderr.write(f"link {link.pk} ({link.url}): {error}")
            else:
                added += 1
        self.stdout.write(
            f"in the library now: {added}; without anyone to recommend them: {without_adder}; "
            f"refused: {refused}"
        )
