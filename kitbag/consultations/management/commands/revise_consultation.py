"""kitbag revise-consultation SLUG FILE.md: publish a new version from a Markdown file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.consultations import services
from kitbag.consultations.documents import DocumentError
from kitbag.consultations.models import Consultation


class Command(BaseCommand):
    help = "Publish a new version of a consultation's document from a Markdown file (paragraphs separated by blank lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No consultation has the slug {options['slug']!r}.")
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text") from error
        try:
            version = services.publish_revision(
                consultation=consultation, document=text, by=None, check_permission=False
            )
        except (DocumentError, services.ConsultationError) as error:
            raise CommandError(f"{path}: {error}") from error
        moved = consultation.comments.filter(anchor_version=version.number)
        self.stdout.write(
            f"Published version {version.number} of {consultation.slug}: "
            f"{version.paragraphs.count()} paragraphs; comments anchored: "
            f"{moved.filter(anchor_status='unchanged').count()} unchanged, "
            f"{moved.filter(anchor_status='edited').count()} edited, "
            f"{moved.filter(anchor_status='removed').count()} removed."
        )
