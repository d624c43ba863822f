"""Background tasks of the innovation library (kitbag/core/background.py is the interface)."""

from __future__ import annotations

from kitbag.cases import services
from kitbag.core.background import background_task


@background_task
def remind_owners_of_stale_cases() -> dict[str, int]:
    """Daily: each published case unconfirmed for a year is flagged and its owner told, once."""
    reminded = 0
    for case in services.stale_cases():
        if services.remind_owner_of_stale_case(case=case):
            reminded += 1
    return {"reminded": reminded}
