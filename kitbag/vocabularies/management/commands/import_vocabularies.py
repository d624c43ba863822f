"""`kitbag import-vocabularies`: load LGSL services and functions, and Kitbag's built-in code lists."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kitbag.core.importing.files import SourceError
from kitbag.core.models import ImportRun
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.services import load_builtin_lists


class Command(BaseCommand):
    help = (
        "Import the Local Government Service List and its functions, and load Kitbag's built-in "
        "code lists (GOV.UK phase, COFOG, Nesta evidence levels...). Both LGSL files are checked "
        "before anything is written; each is idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            help="Read the LGSL files from DIR/esd_lgsl_service_list instead of KITBAG_DATA_DIR. "
            "An empty value downloads them from their public address.",
        )
        parser.add_argument(
            "--unless-imported",
            action="store_true",
            help="Skip LGSL if it already has a successful import (built-in lists always load).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        importer = LgslImporter(data_dir=self._data_dir(options["data_dir"]))
        lists = None
        if not (options["unless_imported"] and self._already_imported(importer.source)):
            try:
                lists = importer.read()
            except SourceError as error:
                raise CommandError(str(error)) from error
        if lists is not None:
            started = time.monotonic()
            report = importer.save(lists)
            if verbosity:
                self.stdout.write(f"{report.summary()} ({time.monotonic() - started:.1f} s)")
        counts = load_builtin_lists()
        if verbosity:
            self.stdout.write(
                f"built-in lists: {len(BUILTIN_LISTS)} lists, {counts.created} codes created, "
                f"{counts.updated} updated, {counts.unchanged} unchanged"
            )

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
