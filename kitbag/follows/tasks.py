"""Background tasks of follows (kitbag/core/background.py is the interface)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from kitbag.core.background import background_task
from kitbag.follows import services


@background_task
def send_digests(frequency: str) -> dict[str, Any]:
    """Daily or weekly (the beat schedule in settings): every digest of the period just ended."""
    run = services.send_digests(frequency=frequency)
    return {**asdict(run), "covers_up_to": run.covers_up_to.isoformat()}


@background_task
def prune_happenings() -> int:
    """Nightly (the beat schedule in settings): happenings older than a year are deleted."""
    return services.prune_happenings()
