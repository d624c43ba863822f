"""kitbag import-consultation FILE.json: a consultation from the exchange format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.consultations.exchange import ExchangeError, import_consultation


class Command(BaseCommand):
    help = "Import a consultation from a kitbag-consultation/1 JSON file (nothing is written if it has errors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}, line {error.lineno}: not JSON ({error.msg})") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text") from error
        try:
            result = import_consultation(data)
        except ExchangeError as error:
            raise CommandError(
                f"{path}: nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        if result.created:
            self.stdout.write(
                f"Imported {result.consultation.slug}: {result.versions} versions, "
                f"{result.comments} comments."
            )
        else:
            self.stdout.write(f"{result.consultation.slug} is already here: nothing changed.")
