"""Background tasks of the core app (see kitbag/core/background.py for the interface)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from kitbag.core.background import background_task


@background_task
def check_worker_health() -> dict[str, str]:
    """Proves a worker can run Kitbag code and reach the database; used by tests and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"database": connection.vendor, "checked_at": timezone.now().isoformat()}
