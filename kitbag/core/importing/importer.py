"""The one importer framework: a source is a subclass that declares its files and writes records.

An import has two steps. ``read()`` fetches and checks every file and turns it into records; it
writes nothing, so bad input stops the run before the database is touched (a `SourceError` naming
file, line and field). ``save(records)`` writes them in one transaction that also records the
ImportRun with the report's counts, so a failure leaves the database exactly as it was.

A source's format is a subclass (`TableImporter` for CSV and TSV, `JsonImporter` for a list of
JSON records); an app's way of writing is another (the registry's `RegistryImporter`, the cases'
`CaseImporter`), and a concrete importer is both, with declarations and a method or two:

    class PoliceForceImporter(TableImporter[PoliceForce], RegistryImporter[PoliceForce]):
        source = "police-forces"
        folder = "openregister_police_forces"
        base_url = "https://raw.githubusercontent.com/openregister/police-data/master/"
        files = (SourceFile(name="police-force.tsv", ..., key="police-force"),)
        key_scheme = IdentifierScheme.POLICE_FORCE

        def record(self, row: Row) -> PoliceForce: ...
        def upsert(self, record: PoliceForce, report: ImportReport) -> None: ...

`kitbag.core.importing.command.ImportCommand` runs an app's importers from the command line.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from tqdm import tqdm

from kitbag.core.importing.files import (
    Row,
    SourceError,
    SourceFile,
    SourceUnavailable,
    Table,
    fetch,
    parse_table,
    read_local,
)
from kitbag.core.importing.json_files import JsonRecord, parse_json_records
from kitbag.core.importing.recording import recorded_import
from kitbag.core.importing.report import ImportReport

RecordT = TypeVar("RecordT")
T = TypeVar("T")


class Importer(ABC, Generic[RecordT]):
    """One source: where its files are, how they become records, and how records are written."""

    source: ClassVar[str]  # the ImportRun.source, the --source value, the DataSource name
    folder: ClassVar[str] = ""  # the source's folder in the data directory
    # Where the files are published; a file's URL is base_url + its remote_path. Empty when the
    # source has no single public file to download (then it needs a data directory).
    base_url: ClassVar[str] = ""
    # Where the files are when they ship with Kitbag: read from here whatever the data directory.
    bundled_dir: ClassVar[Path | None] = None
    files: ClassVar[tuple[SourceFile, ...]] = ()  # the first is the main file
    report_class: ClassVar[type[ImportReport]] = ImportReport
    progress_unit: ClassVar[str] = "row"
    # Loaded by every run of its command, even with --unless-imported (data Kitbag defines).
    loads_every_run: ClassVar[bool] = False

    def __init__(self, *, data_dir: Path | None, progress: bool = False) -> None:
        self.data_dir = data_dir
        self.show_progress = progress
        # Values parse() leaves out of the records, each with why; reported by save().
        self.skipped: list[str] = []

    # Where the files come from

    @property
    def main_file(self) -> SourceFile:
        return self.files[0]

    @property
    def location(self) -> str:
        """Where the source was read, for its ImportRun: its main file."""
        return self.location_of(self.main_file)

    def location_of(self, spec: SourceFile) -> str:
        if self.bundled_dir is not None:
            return str(self.bundled_dir / spec.name)
        if self.data_dir is not None:
            return str(self.data_dir / self.folder / spec.name)
        return self.base_url + spec.remote_path

    def read_bytes(self, spec: SourceFile) -> bytes:
        if self.bundled_dir is not None or self.data_dir is not None:
            return read_local(Path(self.location_of(spec)))
        if not self.base_url:
            raise SourceUnavailable(
                f"{self.source} has no single public file to download; give a data directory "
                f"holding {self.folder}/{spec.name} with --data-dir or KITBAG_DATA_DIR"
            )
        return fetch(self.location_of(spec))

    # Reading: everything is checked before anything is written

    def read(self) -> list[RecordT]:
        """Fetch and check every file and return the records to write. Writes nothing."""
        self.skipped = []
        records = self.parse()
        for record in records:
            self.check(record)
        return records

    @abstractmethod
    def parse(self) -> list[RecordT]:
        """Read the files and turn them into records (a source format's subclass does this)."""

    def check(self, record: RecordT) -> None:
        """Raise a SourceError for a record that cannot be stored; a subclass may add rules."""

    def rows_in(self, records: Sequence[RecordT]) -> int:
        """The rows read, for the report: one a record unless a subclass counts otherwise."""
        return len(records)

    # Writing: one transaction per source, with its ImportRun

    def save(self, records: list[RecordT]) -> ImportReport:
        report = self.report_class(
            source=self.source,
            location=self.location,
            rows_read=self.rows_in(records),
            skipped=list(self.skipped),
        )
        with recorded_import(report):
            self.write(records, report)
            self.after_write(report)
        return report

    def run(self) -> ImportReport:
        return self.save(self.read())

    def write(self, records: list[RecordT], report: ImportReport) -> None:
        """Write the records; by default each in turn with `upsert`."""
        for record in self.progress(records):
            self.upsert(record, report)

    def upsert(self, record: RecordT, report: ImportReport) -> None:
        """Create or update one record and count the outcome (`report.count`), or say why it
        was not imported (`report.reject`). Compare before saving: unchanged is not written."""
        raise NotImplementedError(f"{type(self).__name__} declares neither upsert() nor write()")

    def after_write(self, report: ImportReport) -> None:
        """Runs in the import's transaction once every record is written (the registry
        invalidates its name index here)."""

    def progress(self, items: Sequence[T]) -> Iterator[T]:
        """The items, with a progress bar on stderr when the importer runs from a terminal."""
        yield from tqdm(
            items,
            total=len(items),
            desc=self.source,
            unit=self.progress_unit,
            file=sys.stderr,
            disable=not self.show_progress,
            leave=False,
        )


class TableImporter(Importer[RecordT]):
    """A source of CSV or TSV files (`SourceFile.delimiter`), with a header row or positional
    columns. Every file is read and checked (`parse_table`) before any row becomes a record."""

    def read_table(self, spec: SourceFile) -> Table:
        return parse_table(spec, self.read_bytes(spec), location=self.location_of(spec))

    def parse(self) -> list[RecordT]:
        return self.records({spec.name: self.read_table(spec) for spec in self.files})

    def records(self, tables: Mapping[str, Table]) -> list[RecordT]:
        """The files' records; by default one for each row of the main file (`record`).
        A source whose other files add to its records overrides this."""
        return [self.record(row) for row in tables[self.main_file.name]]

    def record(self, row: Row) -> RecordT:
        """One row of the main file as a record; the `Row` accessors name file, line and field."""
        raise NotImplementedError(f"{type(self).__name__} declares neither record() nor records()")


class JsonImporter(Importer[RecordT]):
    """A source of one JSON file holding a list of records (`parse_json_records`): the document
    itself, or the list under `list_key`. A record's errors give the line where it starts."""

    list_key: ClassVar[str] = ""

    def parse(self) -> list[RecordT]:
        spec = self.main_file
        records: list[RecordT] = []
        first_seen: dict[str, int] = {}
        for item in parse_json_records(spec, self.read_bytes(spec), list_key=self.list_key):
            record = self.record(item)
            key = self.key_of(record)
            if key is not None:
                if key in first_seen:
                    raise SourceError(
                        f"duplicate record {key!r} (first on line {first_seen[key]})",
                        file=spec.name,
                        line=item.line,
                        field=spec.key,
                    )
                first_seen[key] = item.line
            records.append(record)
        return records

    @abstractmethod
    def record(self, item: JsonRecord) -> RecordT:
        """One element of the list as a record; `item.error(field, message)` names where."""

    def key_of(self, record: RecordT) -> str | None:
        """The record's key, which must be unique in the file (field `main_file.key` in the
        error); None when the source has no key to check."""
        return None
