"""`kitbag import-cases`: import real cases from IPS-X and the Algorithmic Transparency Records."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kitbag.cases.importers import (
    IMPORTERS,
    IMPORTERS_BY_SOURCE,
    CaseImporter,
    CaseImportReport,
    WantedCase,
)
from kitbag.core.importing.files import SourceError, SourceUnavailable
from kitbag.core.models import ImportRun

REASONS_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Import the cases of the Innovative Public Services Explorer (ipsx) and the Algorithmic "
        "Transparency Records (atrs), resolving lead organisations through the registry. Every "
        "file is read and checked before anything is written; each source is then written in "
        "one transaction. Import the registry and the vocabularies first."
    )
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
            choices=list(IMPORTERS_BY_SOURCE),
            help="Import only this source (repeatable). Default: every source, in order.",
        )
        parser.add_argument(
            "--unless-imported",
            action="store_true",
            help="Skip a source that already has a successful import.",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # A person at a terminal gets progress bars; call_command (tests, tasks) does not.
        self.show_progress = True
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = self._data_dir(options["data_dir"])
        chosen: list[str] = options["sources"] or []
        verbosity: int = options["verbosity"]
        pending: list[tuple[CaseImporter, list[WantedCase]]] = []
        for importer_class in IMPORTERS:
            if chosen and importer_class.source not in chosen:
                continue
            if options["unless_imported"] and self._already_imported(importer_class.source):
                continue
            importer = importer_class(data_dir=data_dir, progress=self.show_progress)
            try:
                pending.append((importer, importer.read()))
            except SourceUnavailable as error:
                if chosen:
                    raise CommandError(str(error)) from error
                self.stderr.write(self.style.WARNING(f"{importer.source}: skipped: {error}"))
            except SourceError as error:
                raise CommandError(str(error)) from error
        for importer, records in pending:
            started = time.monotonic()
            try:
                report = importer.save(records)
            except SourceError as error:  # the code lists lack a code the mapping needs
                raise CommandError(f"{importer.source}: {error}") from error
            if verbosity:
                self._print(report, seconds=time.monotonic() - started, verbosity=verbosity)

    @staticmethod
    def _data_dir(option: str | None) -> Path | None:
        value = settings.KITBAG_DATA_DIR if option is None else option
        if not value:
            return None
        directory = Path(value)
        if not directory.is_dir():
            raise CommandError(f"the data directory {directory} does not exist")
        return directory

    def _already_imported(self, source: str) -> bool:
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

    def _print(self, report: CaseImportReport, *, seconds: float, verbosity: int) -> None:
        self.stdout.write(f"{report.summary()} ({seconds:.1f} s)")
        for label, messages in (
            ("rejected", report.rejections),
            ("skipped", report.skipped),
            ("not in source", report.not_in_source),
        ):
            shown = messages if verbosity > 1 else messages[:REASONS_SHOWN]
            for message in shown:
                self.stdout.write(f"  {label}: {message}")
            if len(messages) > len(shown):
                self.stdout.write(
                    f"  ... and {len(messages) - len(shown)} more {label} "
                    f"(all {len(messages)} are in the import record; -v 2 lists them here)"
                )
        # Every unresolved name, once each: the list someone fixes the registry's aliases from.
        unresolved = sorted(report.unresolved_names.items(), key=lambda item: item[0].lower())
        if unresolved:
            self.stdout.write(f"  unresolved lead organisations ({len(unresolved)} names):")
        for name, count in unresolved:
            self.stdout.write(f"    {name}" + (f" ({count} cases)" if count > 1 else ""))
        blank = len(report.unresolved) - sum(report.unresolved_names.values())
        if blank:
            self.stdout.write(f"    (no lead given: {blank} case{'s' if blank > 1 else ''})")
        if verbosity > 1:
            for message in report.unresolved:
                self.stdout.write(f"  unresolved: {message}")
