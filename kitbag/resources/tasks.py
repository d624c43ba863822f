"""Background tasks of the resource library (kitbag/core/background.py is the interface)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.db.models import F, Q
from django.utils import timezone

from kitbag.core.background import background_task
from kitbag.resources import link_checks, services
from kitbag.resources.models import Resource

# A link is checked again a week after its last check; a run takes the longest-unchecked first.
CHECK_AGAIN_AFTER: Final = dt.timedelta(days=7)
CHECKS_PER_RUN: Final = 500


@background_task
def check_links(
    limit: int = CHECKS_PER_RUN,
    per_host_delay: float = link_checks.PER_HOST_DELAY_SECONDS,
    timeout: float = link_checks.TIMEOUT_SECONDS,
    everything: bool = False,
) -> dict[str, int]:
    """Daily (settings.CELERY_BEAT_SCHEDULE): check the addresses due a check, politely."""
    due = Resource.objects.all()
    if not everything:
        due = due.filter(
            Q(checked_at__isnull=True) | Q(checked_at__lt=timezone.now() - CHECK_AGAIN_AFTER)
        )
    chosen = list(due.order_by(F("checked_at").asc(nulls_first=True), "pk")[:limit])
    pacer = link_checks.HostPacer(per_host_delay)
    counts = {"checked": 0, "working": 0, "failing": 0, "dead": 0}
    for resource in link_checks.in_polite_order(chosen, url_of=lambda r: r.url):
        pacer.wait_for(resource.url)
        answer = link_checks.ask(resource.url, timeout=timeout)
        checked = services.record_link_answer(resource=resource, answer=answer)
        counts["checked"] += 1
        counts[checked.link_state] += 1
    return counts
