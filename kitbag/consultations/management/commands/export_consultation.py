"""kitbag export-consultation SLUG [FILE]: a consultation in the exchange format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.consultations.exchange import export_consultation
from kitbag.consultations.models import Consultation


class Command(BaseCommand):
    help = "Write a public consultation as kitbag-consultation/1 JSON, to FILE or standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.public().filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No public consultation has the slug {options['slug']!r}.")
        text = json.dumps(export_consultation(consultation), ensure_ascii=False, indent=2) + "\n"
        if options["file"] is None:
            self.stdout.write(text, ending="")
        else:
            options["file"].write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {options['file']}")
