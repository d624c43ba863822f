"""Background tasks of the meetings calendar (kitbag/core/background.py is the interface)."""

from __future__ import annotations

from kitbag.core.background import background_task
from kitbag.meetings.calendar import sync


@background_task
def sync_all_meetings() -> dict[str, int]:
    """Daily: every ModernGov council's calendar, over the default window, politely."""
    runs = sync.sync_everything(triggered_by="schedule")
    outcomes: dict[str, int] = {"installs": len(runs)}
    for run in runs:
        outcomes[run.outcome] = outcomes.get(run.outcome, 0) + 1
    return outcomes
