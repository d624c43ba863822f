"""Background tasks of the innovation library (kitbag/core/background.py is the interface)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

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


@background_task
def import_cases(*, data_dir: str | None = None, sources: list[str] | None = None) -> str:
    """Run `kitbag import-cases` on a worker; returns the command's summary lines."""
    output = StringIO()
    options: dict[str, object] = {"stdout": output, "stderr": output}
    if data_dir is not None:
        options["data_dir"] = data_dir
    if sources:
        options["sources"] = sources
    call_command("import_cases", **options)
    return output.getvalue()
