"""Small importers of made-up sources, for testing the import framework itself.

Colours come in a CSV file, shades in a JSON list; each record is kept as a `CodeList` row (slug,
name), only because that is a small keyed table. A colour named "invisible" is rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from kitbag.core.importing.command import ImportCommand
from kitbag.core.importing.files import Row, SourceFile, Table
from kitbag.core.importing.importer import JsonImporter, TableImporter
from kitbag.core.importing.json_files import JsonRecord
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.vocabularies.models import CodeList

COLOURS = SourceFile(
    name="colours.csv", remote_path="data/colours.csv", columns=("slug", "name"), key="slug"
)
TONES = SourceFile(
    name="tones.tsv", remote_path="data/tones.tsv", columns=("slug", "tone"), delimiter="\t"
)
SHADES = SourceFile(name="shades.json", remote_path="shades.json", key="slug")


@dataclass(frozen=True)
class Colour:
    file: str
    line: int
    slug: str
    name: str


def keep(record: Colour, report: ImportReport) -> None:
    """Upsert one colour as a CodeList, compared before saving."""
    if record.name == "invisible":
        report.reject(file=record.file, line=record.line, reason=f"{record.slug} cannot be seen")
        return
    kept, created = CodeList.objects.get_or_create(slug=record.slug, defaults={"name": record.name})
    if created:
        report.count(Outcome.CREATED)
    elif kept.name != record.name:
        kept.name = record.name
        kept.save()
        report.count(Outcome.UPDATED)
    else:
        report.count(Outcome.UNCHANGED)


class ColourImporter(TableImporter[Colour]):
    source = "colours"
    folder = "colours"
    base_url = "https://colours.example/"
    files: ClassVar[tuple[SourceFile, ...]] = (COLOURS,)

    def record(self, row: Row) -> Colour:
        return Colour(COLOURS.name, row.line, row["slug"], row.text("name", required=True))

    def upsert(self, record: Colour, report: ImportReport) -> None:
        keep(record, report)


class TonedColourImporter(ColourImporter):
    """Two files: the second adds to the records of the first."""

    source = "toned-colours"
    files = (COLOURS, TONES)

    def records(self, tables: Mapping[str, Table]) -> list[Colour]:
        tones = {row["slug"]: row.text("tone") for row in tables[TONES.name]}
        return [
            Colour(
                COLOURS.name, row.line, row["slug"], f"{tones.get(row['slug'], '')} {row['name']}"
            )
            for row in tables[COLOURS.name]
        ]


class ShadeImporter(JsonImporter[Colour]):
    """A JSON list of records, the document itself: `[{"slug": ..., "name": ...}, ...]`."""

    source = "shades"
    folder = "shades"
    files = (SHADES,)
    # No base_url: there is no public file, so it needs a data directory.

    def record(self, item: JsonRecord) -> Colour:
        if not isinstance(item.value, dict) or not isinstance(item.value.get("name"), str):
            raise item.error("name", "a name is required")
        return Colour(SHADES.name, item.line, str(item.value.get("slug", "")), item.value["name"])

    def key_of(self, record: Colour) -> str:
        return record.slug

    def upsert(self, record: Colour, report: ImportReport) -> None:
        keep(record, report)


class WrappedShadeImporter(ShadeImporter):
    """The same records under a key of an object: `{"meta": ..., "shades": [...]}`."""

    source = "wrapped-shades"
    list_key = "shades"


class PaletteImporter(ColourImporter):
    """Loaded on every run, even with --unless-imported."""

    source = "palette"
    folder = "palette"
    loads_every_run = True


class Command(ImportCommand):
    help = "Import colours, shades and the palette."
    importers = (ColourImporter, ShadeImporter, PaletteImporter)


def write_source(data_dir: Path, folder: str, name: str, text: str) -> Path:
    path = data_dir / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def colours_csv(*rows: str) -> str:
    return "slug,name\n" + "".join(f"{row}\n" for row in rows)


def kept() -> dict[str, str]:
    return dict(CodeList.objects.order_by("slug").values_list("slug", "name"))
