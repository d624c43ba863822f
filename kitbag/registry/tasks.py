"""Background tasks of the registry (see kitbag/core/background.py for the interface)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from kitbag.core.background import background_task


@background_task
def import_registry(*, data_dir: str | None = None, sources: list[str] | None = None) -> str:
    """Run `kitbag import-registry` on a worker; returns the command's summary lines."""
    output = StringIO()
    options: dict[str, object] = {"stdout": output, "stderr": output}
    if data_dir is not None:
        options["data_dir"] = data_dir
    if sources:
        options["sources"] = sources
    call_command("import_registry", **options)
    return output.getvalue()
