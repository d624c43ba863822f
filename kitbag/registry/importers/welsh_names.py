"""Welsh official and short names of the principal councils of Wales, from a file kept in Kitbag."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kitbag.core.importing.files import SourceFile, Table, parse_table, read_local
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import Importer
from kitbag.registry.models import IdentifierScheme
from kitbag.registry.services import OrganisationWriter, WantedName

MAIN = "welsh_names.csv"
BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class WelshNames:
    line: int
    council_code: str
    official_name: str
    short_name: str


class WelshNamesImporter(Importer[WelshNames]):
    source = "welsh-names"
    folder = ""
    base_url = ""
    files = (
        SourceFile(
            name=MAIN,
            remote_path="",
            columns=("local-authority-code", "welsh-official-name", "welsh-short-name"),
            key="local-authority-code",
        ),
    )

    def location_of(self, spec: SourceFile) -> str:
        # The file ships with Kitbag, so it is read from the package whatever the data directory.
        return str(BUNDLED_DATA / spec.name)

    def read_file(self, spec: SourceFile) -> Table:
        location = self.location_of(spec)
        return parse_table(spec, read_local(Path(location)), location=location)

    def parse(self, tables: Mapping[str, Table]) -> list[WelshNames]:
        return [
            WelshNames(
                line=row.line,
                council_code=row["local-authority-code"],
                official_name=row.text("welsh-official-name", required=True),
                short_name=row.text("welsh-short-name"),
            )
            for row in tables[MAIN]
        ]

    def write(self, records: list[WelshNames], report: ImportReport) -> None:
        writer = OrganisationWriter(
            source=self.source,
            key_scheme=IdentifierScheme.LOCAL_AUTHORITY_CODE,
            on_skip=report.skip,
        )
        for record in self.progress(records, total=len(records)):
            council = writer.get(record.council_code)
            if council is None:
                report.reject(
                    file=MAIN,
                    line=record.line,
                    reason=f"no council with local-authority-code {record.council_code!r}",
                )
                continue
            names = [WantedName(record.official_name, language="cy", is_official=True)]
            if record.short_name and record.short_name != record.official_name:
                names.append(WantedName(record.short_name, language="cy"))
            # mySociety lists some of these names without a language; these rows know it is Welsh.
            changed = writer.update(council, names=names, take_over_names=True)
            report.count(Outcome.UPDATED if changed else Outcome.UNCHANGED)
