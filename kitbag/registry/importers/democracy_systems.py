"""Each council's democracy system (CMS type and site), from Democracy Club's LGSF scrapers."""

from __future__ import annotations

from dataclasses import dataclass

from kitbag.core.importing.files import Row, SourceFile
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry import resolver
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.models import IdentifierScheme

MAIN = "lgsf_council_metadata.csv"


@dataclass(frozen=True)
class DemocracySystem:
    line: int
    scraper: str
    council_code: str  # LGSF's official_identifier: mySociety's local-authority-code
    official_name: str
    cms_type: str
    base_url: str


class DemocracySystemImporter(TableImporter[DemocracySystem], RegistryImporter[DemocracySystem]):
    source = "democracy-systems"
    folder = "democracyclub_lgsf_council_democracy_systems"
    # LGSF keeps one metadata.json per council scraper, not one published table; the table read
    # here is flattened from them, so there is no file to download and a data directory is needed.
    base_url = ""
    files = (
        SourceFile(
            name=MAIN,
            remote_path="",
            columns=(
                "scraper_folder",
                "official_identifier",
                "official_name",
                "cms_type",
                "base_url",
            ),
            key="scraper_folder",
        ),
    )
    key_scheme = IdentifierScheme.LOCAL_AUTHORITY_CODE
    given_by: dict[str, int]  # in this run: council code -> the line that gave its system

    def record(self, row: Row) -> DemocracySystem:
        return DemocracySystem(
            line=row.line,
            scraper=row["scraper_folder"],
            council_code=row["official_identifier"],
            official_name=row["official_name"],
            cms_type=row.text("cms_type", max_length=64),
            base_url=row.url("base_url"),
        )

    def write(self, records: list[DemocracySystem], report: ImportReport) -> None:
        self.given_by = {}
        super().write(records, report)

    def upsert(self, record: DemocracySystem, report: ImportReport) -> None:
        council = self.writer.get(record.council_code)
        reason = ""
        if council is None:
            reason = f"no council with local-authority-code {record.council_code!r}"
            reason += _name_hint(record.official_name)
        elif not record.cms_type and not record.base_url:
            reason = "gives neither a CMS type nor a base URL"
        elif record.council_code in self.given_by:
            reason = f"{record.council_code} is already given by line {self.given_by[record.council_code]}"
        if council is None or reason:
            report.reject(file=MAIN, line=record.line, reason=f"{record.scraper}: {reason}")
            return
        self.given_by[record.council_code] = record.line
        changed = self.writer.update(
            council, fields={"democracy_cms": record.cms_type, "democracy_url": record.base_url}
        )
        report.count(Outcome.UPDATED if changed else Outcome.UNCHANGED)


def _name_hint(official_name: str) -> str:
    """What the row's name resolves to, for the person reading the report.

    The row is still rejected: LGSF's codes and names disagree in the rows that reach here (the
    City of London's scraper is filed under the Greater London Authority's name), so attaching a
    democracy site by name alone would put it on the wrong council.
    """
    if not official_name:
        return ""
    match = resolver.resolve_name(official_name, kind="local-authority").best
    if match is None:
        return f"; its name {official_name!r} matches no council either"
    return f"; its name {official_name!r} resolves to {match.code} ({match.name}), not attached by name"
