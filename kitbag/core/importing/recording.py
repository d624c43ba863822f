"""One transaction per source, with the ImportRun that says it succeeded written inside it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun


@contextmanager
def recorded_import(report: ImportReport) -> Iterator[ImportReport]:
    """Write inside the block; on success the ImportRun carries the report's counts.

    Any exception rolls back the writes and the run together, so a failed import leaves no trace.
    """
    with transaction.atomic():
        # Created first so started_at is the start; nobody outside sees it until it commits.
        run = ImportRun.objects.create(source=report.source, location=report.location[:500])
        yield report
        run.status = ImportRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.rows_read = report.rows_read
        run.created = report.created
        run.updated = report.updated
        run.unchanged = report.unchanged
        run.rejected = report.rejected
        run.messages = report.messages
        run.save()
