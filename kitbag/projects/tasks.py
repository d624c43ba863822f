"""Background work: the duplicate check after a project is written, and the nightly one."""

from __future__ import annotations

from kitbag.core.background import background_task
from kitbag.projects import services


@background_task
def look_for_duplicates_of(*, project_id: int) -> int:
    return services.record_duplicates_of(project_id=project_id)


@background_task
def find_duplicate_projects() -> int:
    return services.record_all_duplicates()
