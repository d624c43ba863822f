"""The one import command: an app's `import_*` command declares its importers and its help.

    class Command(ImportCommand):
        help = "Import ..."
        importers = IMPORTERS

Every chosen source is read and checked before any is written; bad input stops the command with
a CommandError naming file, line and field (exit status 1), and nothing is written. Each source
is then written in its own transaction, and its report printed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kitbag.core.importing.files import SourceError, SourceUnavailable
from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun

REASONS_SHOWN = 10


class ImportCommand(BaseCommand):
    importers: ClassVar[tuple[type[Importer[Any]], ...]]  # in the order a full run imports them
    show_progress = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            help="Read the files from this directory (one folder per source) instead of "
            "KITBAG_DATA_DIR. An empty value downloads each file from its public address.",
        )
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            choices=[importer.source for importer in self.importers],
            help="Import only this source (repeatable). Default: every source, in order.",
        )
        always = [importer.source for importer in self.importers if importer.loads_every_run]
        parser.add_argument(
            "--unless-imported",
            action="store_true",
            help="Skip a source that already has a successful import"
            + (f" ({', '.join(always)} still load every time)." if always else "."),
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # A person at a terminal gets progress bars; call_command (tests, tasks) does not.
        self.show_progress = True
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = self.data_dir(options["data_dir"])
        chosen: list[str] = options["sources"] or []
        verbosity: int = options["verbosity"]
        pending: list[tuple[Importer[Any], list[Any]]] = []
        for importer_class in self.importers:
            if chosen and importer_class.source not in chosen:
                continue
            if (
                options["unless_imported"]
                and not importer_class.loads_every_run
                and self.already_imported(importer_class.source)
            ):
                continue
            importer = importer_class(data_dir=data_dir, progress=self.show_progress)
            try:
                pending.append((importer, importer.read()))
            except SourceUnavailable as error:
                if chosen:
                    raise CommandError(str(error)) from error
                # In a full run one source without a download should not stop the others.
                self.stderr.write(self.style.WARNING(f"{importer.source}: skipped: {error}"))
            except SourceError as error:
                raise CommandError(str(error)) from error
        for importer, records in pending:
            started = time.monotonic()
            try:
                report = importer.save(records)
            except SourceError as error:  # what the source needs is missing (cases: code lists)
                raise CommandError(f"{importer.source}: {error}") from error
            if verbosity:
                self.print_report(report, seconds=time.monotonic() - started, verbosity=verbosity)

    @staticmethod
    def data_dir(option: str | None) -> Path | None:
        value = settings.KITBAG_DATA_DIR if option is None else option
        if not value:
            return None
        directory = Path(value)
        if not directory.is_dir():
            raise CommandError(f"the data directory {directory} does not exist")
        return directory

    def already_imported(self, source: str) -> bool:
        last = (
            ImportRun.objects.filter(source=source, status=ImportRun.Status.SUCCEEDED)
            .order_by("-started_at")
            .first()
        )
        if last is None:
            return False
        when = timezone.localtime(last.started_at)
        self.stdout.write(f"{source}: already imported on {when:%Y-%m-%d %H:%M}; skipped")
        return True

    def print_report(self, report: ImportReport, *, seconds: float, verbosity: int) -> None:
        self.stdout.write(f"{report.summary()} ({seconds:.1f} s)")
        for label, messages in report.reasons():
            shown = messages if verbosity > 1 else messages[:REASONS_SHOWN]
            for message in shown:
                self.stdout.write(f"  {label}: {message}")
            if len(messages) > len(shown):
                self.stdout.write(
                    f"  ... and {len(messages) - len(shown)} more {label} "
                    f"(all {len(messages)} are in the import record; -v 2 lists them here)"
                )
        for line in report.notes(verbosity=verbosity):
            self.stdout.write(line)
