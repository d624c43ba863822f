"""Background tasks of the core app (see kitbag/core/background.py for the interface)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command, get_commands, load_command_class
from django.db import connection
from django.utils import timezone

from kitbag.core.background import background_task
from kitbag.core.importing.command import ImportCommand


@background_task
def check_worker_health() -> dict[str, str]:
    """Proves a worker can run Kitbag code and reach the database; used by tests and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"database": connection.vendor, "checked_at": timezone.now().isoformat()}


@background_task
def run_import(
    *,
    command: str,
    data_dir: str | None = None,
    sources: list[str] | None = None,
    unless_imported: bool = False,
) -> str:
    """Run an app's import command (`import_registry`, `import_vocabularies`, `import_cases`) on a
    worker, with the command's options; returns the lines it printed. Bad input raises its
    CommandError, naming file, line and field."""
    app = get_commands().get(command)
    if app is None or not isinstance(load_command_class(app, command), ImportCommand):
        raise ValueError(f"{command!r} is not an import command")
    output = StringIO()
    options: dict[str, object] = {"stdout": output, "stderr": output}
    if data_dir is not None:
        options["data_dir"] = data_dir
    if sources:
        options["sources"] = sources
    if unless_imported:
        options["unless_imported"] = True
    call_command(command, **options)
    return output.getvalue()
