"""`kitbag export-observations --source oflog|lgbf FILE.csv`: every imported figure, compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.core.downloads import csv_lines
from kitbag.performance.exports import COLUMNS, export_rows
from kitbag.performance.models import Observation, Source


class Command(BaseCommand):
    help = (
        "Write every imported observation of one source to a CSV file with Kitbag's comparison "
        "(median, raw MAD, MADs from the median, band; LGBF family-group average and Scotland "
        "figure) beside the publisher's own figures. The data is for evaluation only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("file", help="The CSV file to write (replaced if it exists).")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        if not Observation.objects.filter(indicator__source=source).exists():
            raise CommandError(f"no {source} observations: run kitbag import-performance first")
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"the directory {path.parent} does not exist")
        rows = list(export_rows(source=source))
        with path.open("w", encoding="utf-8", newline="") as file:
            file.writelines(csv_lines(rows, columns=COLUMNS))
        self.stdout.write(f"{source}: {len(rows)} observations written to {path}")
