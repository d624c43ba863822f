"""The code lists Kitbag defines itself (`kitbag/vocabularies/builtin.py`), loaded as a source."""

from __future__ import annotations

from pathlib import Path

from kitbag.core.importing.report import ImportReport
from kitbag.vocabularies import builtin
from kitbag.vocabularies.importers.base import CodeListImporter
from kitbag.vocabularies.records import WantedCodeList


class BuiltinListsReport(ImportReport):
    def summary(self) -> str:
        return (
            f"built-in lists: {len(builtin.BUILTIN_LISTS)} lists, {self.created} codes created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )


class BuiltinListsImporter(CodeListImporter):
    source = "built-in-lists"
    report_class = BuiltinListsReport
    # Written here, so a change to builtin.py takes effect on the next run, --unless-imported or
    # not; a label changed in the database is put back.
    loads_every_run = True

    @property
    def location(self) -> str:
        return str(Path(builtin.__file__).resolve())

    def parse(self) -> list[WantedCodeList]:
        return list(builtin.BUILTIN_LISTS)
