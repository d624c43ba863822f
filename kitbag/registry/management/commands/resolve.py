"""`kitbag resolve`: resolve names in bulk, one tab-separated line out for each name in."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.registry.models import OrganisationKind
from kitbag.registry.resolver import resolve_name


class Command(BaseCommand):
    help = (
        "Resolve organisation names read one per line from standard input (or from one column of "
        "a CSV file). Writes one tab-separated line per name: input, code, kind, score, official "
        "name; code, kind and name are empty (and the score 0.00) when there is no confident "
        "match, and every field is empty for a blank line."
    )
    # Tests hand in their own standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", choices=OrganisationKind.values, help="Only match bodies of this kind."
        )
        parser.add_argument("--csv", metavar="FILE", help="Read names from this CSV file.")
        parser.add_argument(
            "--column", metavar="NAME", help="The CSV column holding the names (with --csv)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        csv_path: str | None = options["csv"]
        column: str | None = options["column"]
        if (csv_path is None) != (column is None):
            raise CommandError("--csv and --column go together: give both, or neither.")
        names = (
            _csv_column(Path(csv_path), column)
            if csv_path is not None and column is not None
            else _lines(options.get("stdin") or sys.stdin)
        )
        for name in names:
            self.stdout.write("\t".join(_fields(name, kind=options["kind"])))


def _fields(name: str, *, kind: str | None) -> list[str]:
    # A tab or line break inside a name would break the one-line-per-name promise.
    shown = " ".join(name.split()) if any(c in name for c in "\t\r\n") else name
    if not name.strip():
        return [shown, "", "", "", ""]
    best = resolve_name(name, kind=kind).best
    if best is None:
        return [shown, "", "", "0.00", ""]
    return [shown, best.code, best.kind, f"{best.score:.2f}", best.name]


def _lines(stream: IO[str]) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\r\n")


def _csv_column(path: Path, column: str) -> Iterator[str]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"CSV file not found: {path}") from None
    except OSError as error:
        raise CommandError(f"Cannot read CSV file {path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Cannot read CSV file {path}: {error}") from None
        if column not in header:
            raise CommandError(
                f"Column {column!r} is not in {path}; its columns are: "
                + (", ".join(repr(c) for c in header) or "(none: the file is empty)")
            )
        try:
            for row in reader:
                yield row[column] or ""
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path}, line {reader.line_num}: {error}") from None
