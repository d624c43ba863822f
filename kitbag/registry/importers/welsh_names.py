"""Welsh official and short names of the principal councils of Wales, from a file kept in Kitbag."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kitbag.core.importing.files import Row, SourceFile
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.models import IdentifierScheme
from kitbag.registry.services import WantedName

MAIN = "welsh_names.csv"
BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class WelshNames:
    line: int
    council_code: str
    official_name: str
    short_name: str


class WelshNamesImporter(TableImporter[WelshNames], RegistryImporter[WelshNames]):
    source = "welsh-names"
    # The file ships with Kitbag, so it is read from the package whatever the data directory.
    bundled_dir = BUNDLED_DATA
    files = (
        SourceFile(
            name=MAIN,
            remote_path="",
            columns=("local-authority-code", "welsh-official-name", "welsh-short-name"),
            key="local-authority-code",
        ),
    )
    key_scheme = IdentifierScheme.LOCAL_AUTHORITY_CODE

    def record(self, row: Row) -> WelshNames:
        return WelshNames(
            line=row.line,
            council_code=row["local-authority-code"],
            official_name=row.text("welsh-official-name", required=True),
            short_name=row.text("welsh-short-name"),
        )

    def upsert(self, record: WelshNames, report: ImportReport) -> None:
        council = self.writer.get(record.council_code)
        if council is None:
            report.reject(
                file=MAIN,
                line=record.line,
                reason=f"no council with local-authority-code {record.council_code!r}",
            )
            return
        names = [WantedName(record.official_name, language="cy", is_official=True)]
        if record.short_name and record.short_name != record.official_name:
            names.append(WantedName(record.short_name, language="cy"))
        # mySociety lists some of these names without a language; these rows know it is Welsh.
        changed = self.writer.update(council, names=names, take_over_names=True)
        report.count(Outcome.UPDATED if changed else Outcome.UNCHANGED)
