"""The importer base class: where files come from, one transaction per source, and the audit record.

An import has two steps. ``read()`` fetches and checks every file and turns rows into records; it
writes nothing, so bad input stops the run before the database is touched. ``save(records)``
writes them in one transaction that also records the ImportRun, so a failure leaves the database
exactly as it was.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from tqdm import tqdm

from kitbag.core.importing.files import (
    SourceFile,
    SourceUnavailable,
    Table,
    fetch,
    parse_table,
    read_local,
)
from kitbag.core.importing.recording import recorded_import
from kitbag.core.importing.report import ImportReport
from kitbag.registry import resolver

RecordT = TypeVar("RecordT")
T = TypeVar("T")


class Importer(ABC, Generic[RecordT]):
    """One source. Subclasses declare their files and turn rows into registry records."""

    source: ClassVar[str]  # the DataSource name (kitbag/core/sources.py) and --source value
    folder: ClassVar[str]  # the source's folder in the data directory
    # Where the files are published; a file's URL is base_url + its remote_path. Empty when the
    # source has no single public file to download.
    base_url: ClassVar[str]
    files: ClassVar[tuple[SourceFile, ...]]  # the first is the main file, one row per record

    def __init__(self, *, data_dir: Path | None, progress: bool = False) -> None:
        self.data_dir = data_dir
        self.show_progress = progress
        # Values parse() leaves out of the records, each with why; reported by save().
        self.skipped: list[str] = []

    @property
    def main_file(self) -> SourceFile:
        return self.files[0]

    def location_of(self, spec: SourceFile) -> str:
        if self.data_dir is not None:
            return str(self.data_dir / self.folder / spec.name)
        return self.base_url + spec.remote_path

    def read_file(self, spec: SourceFile) -> Table:
        location = self.location_of(spec)
        if self.data_dir is not None:
            data = read_local(Path(location))
        elif not self.base_url:
            raise SourceUnavailable(
                f"{self.source} has no single public file to download; give a data directory "
                f"holding {self.folder}/{spec.name} with --data-dir or KITBAG_DATA_DIR"
            )
        else:
            data = fetch(location)
        return parse_table(spec, data, location=location)

    def read(self) -> list[RecordT]:
        """Fetch and check every file and return the records to write. Writes nothing."""
        self.skipped = []
        tables = {spec.name: self.read_file(spec) for spec in self.files}
        return self.parse(tables)

    @abstractmethod
    def parse(self, tables: Mapping[str, Table]) -> list[RecordT]:
        """Turn the files' rows into records, one per row of the main file."""

    @abstractmethod
    def write(self, records: list[RecordT], report: ImportReport) -> None:
        """Upsert the records, counting each one's outcome in the report."""

    def save(self, records: list[RecordT]) -> ImportReport:
        report = ImportReport(
            source=self.source,
            location=self.location_of(self.main_file),
            rows_read=len(records),
            skipped=list(self.skipped),
        )
        with recorded_import(report):
            self.write(records, report)
            if report.created or report.updated:
                # Inside the transaction: the resolver publishes again once it commits.
                resolver.invalidate_index()
        return report

    def run(self) -> ImportReport:
        return self.save(self.read())

    def progress(self, items: Iterable[T], *, total: int) -> Iterator[T]:
        yield from tqdm(
            items,
            total=total,
            desc=self.source,
            unit="row",
            file=sys.stderr,
            disable=not self.show_progress,
            leave=False,
        )
