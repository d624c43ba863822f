"""What a registry source adds to the import framework (`kitbag.core.importing.importer`).

Organisations are written through `OrganisationWriter`, keyed on the identifier scheme the
source's key is a value of; when anything changed, the name resolver's index is invalidated.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.registry import resolver
from kitbag.registry.services import OrganisationWriter

RecordT = TypeVar("RecordT")


class RegistryImporter(Importer[RecordT]):
    """A source of public bodies. Declare `key_scheme` (and any further `identifier_schemes` it
    keeps equal to the file) and `upsert` each record with `self.writer`, or override `write`."""

    key_scheme: ClassVar[str]
    identifier_schemes: ClassVar[frozenset[str]] = frozenset()
    writer: OrganisationWriter  # this run's, made by write()

    def organisation_writer(self, report: ImportReport) -> OrganisationWriter:
        return OrganisationWriter(
            source=self.source,
            key_scheme=self.key_scheme,
            identifier_schemes=self.identifier_schemes,
            on_skip=report.skip,
        )

    def write(self, records: list[RecordT], report: ImportReport) -> None:
        self.writer = self.organisation_writer(report)
        super().write(records, report)

    def after_write(self, report: ImportReport) -> None:
        if report.created or report.updated:
            # Inside the transaction: the resolver publishes again once it commits.
            resolver.invalidate_index()
