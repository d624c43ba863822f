"""kitbag import-bookmarks FILE --owner EMAIL: a Netscape bookmark file into the library.

The same code as the upload form (services.import_bookmark_file): the whole file in one
transaction, a second import of the same file changes nothing, and a file that cannot be read
is refused with nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.accounts.models import User
from kitbag.core.importing.command import REASONS_SHOWN
from kitbag.resources.bookmark_files import BookmarkFileError
from kitbag.resources.services import import_bookmark_file


class Command(BaseCommand):
    help = "Import a Netscape bookmark file (browsers, Pinboard, Delicious) for one person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The exported bookmarks (.html).")
        parser.add_argument("--owner", required=True, help="The email address of whose they are.")
        parser.add_argument(
            "--folders-as-tags",
            action="store_true",
            help="Also tag each bookmark with the names of the folders it is in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        owner = User.objects.filter(email__iexact=options["owner"].strip()).first()
        if owner is None:
            raise CommandError(f"nobody has the email address {options['owner']}")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}") from None
        try:
            report = import_bookmark_file(
                data=data,
                owner=owner,
                location=str(path),
                folders_as_tags=options["folders_as_tags"],
            )
        except BookmarkFileError as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from None
        verbosity: int = options["verbosity"]
        if not verbosity:
            return
        self.stdout.write(report.summary())
        for label, messages in report.reasons():
            shown = messages if verbosity > 1 else messages[:REASONS_SHOWN]
            for message in shown:
                self.stdout.write(f"  {label}: {message}")
            if len(messages) > len(shown):
                self.stdout.write(f"  ... and {len(messages) - len(shown)} more {label} (-v 2)")
        for line in report.notes(verbosity=verbosity):
            self.stdout.write(line)
