"""NHS trusts from the Organisation Data Service's "etr" extract (a file with no header row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitbag.core.importing.files import COMPACT_DATE, Row, SourceFile
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.importers.names import readable_case
from kitbag.registry.models import IdentifierScheme, Nation, OrganisationKind
from kitbag.registry.services import WantedIdentifier, WantedName

MAIN = "etr.csv"
# The ODS standard layout of its organisation extracts: 27 columns, some always empty.
ODS_COLUMNS = (
    "org_code",
    "name",
    "national_grouping",
    "high_level_health_geography",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "postcode",
    "open_date",
    "close_date",
    "null_13",
    "null_14",
    "null_15",
    "null_16",
    "null_17",
    "contact_telephone_number",
    "null_19",
    "null_20",
    "null_21",
    "amended_record_indicator",
    "null_23",
    "gor_code",
    "null_25",
    "null_26",
    "null_27",
)
# ODS gives each trust's Government Office Region by letter; the names are ONS's, as mySociety
# uses for councils, so councils and trusts filter by region alike.
REGION_BY_GOR_CODE = {
    "A": "North East",
    "B": "North West",
    "D": "Yorkshire and The Humber",
    "E": "East Midlands",
    "F": "West Midlands",
    "G": "East of England",
    "H": "London",
    "J": "South East",
    "K": "South West",
    "W": "Wales",
}
WALES_NATIONAL_GROUPING = "W00"


@dataclass(frozen=True)
class NhsTrust:
    line: int
    code: str
    register_name: str  # ODS writes names in capitals
    name: str
    nation: str
    region: str
    open_date: dt.date | None
    close_date: dt.date | None

    @property
    def classification(self) -> tuple[str, str]:
        if "FOUNDATION TRUST" in self.register_name.upper():
            return "nhs-foundation-trust", "NHS foundation trust"
        return "nhs-trust", "NHS trust"


class NhsTrustImporter(TableImporter[NhsTrust], RegistryImporter[NhsTrust]):
    source = "nhs-trusts"
    folder = "nhs_ods_trusts"
    # Pinned to the commit the extract was checked against: the mirror is a 2022 snapshot.
    base_url = "https://raw.githubusercontent.com/nhsx-mirror/SystemHierarchies/0a96ef635c1607736580777f25d903d877ca74f2/"
    files = (
        SourceFile(name=MAIN, remote_path="data/etr.csv", positional=ODS_COLUMNS, key="org_code"),
    )
    key_scheme = IdentifierScheme.ODS

    def record(self, row: Row) -> NhsTrust:
        register_name = row.text("name", required=True)
        grouping = row["national_grouping"]
        return NhsTrust(
            line=row.line,
            code=row["org_code"],
            register_name=register_name,
            name=readable_case(register_name),
            nation=Nation.WALES if grouping == WALES_NATIONAL_GROUPING else Nation.ENGLAND,
            region=REGION_BY_GOR_CODE.get(row["gor_code"], ""),
            open_date=row.date("open_date", format=COMPACT_DATE),
            close_date=row.date("close_date", format=COMPACT_DATE),
        )

    def upsert(self, record: NhsTrust, report: ImportReport) -> None:
        classification_code, classification_name = record.classification
        # The readable name is our guess at ODS's capitals; ODS's own spelling stays an alias.
        aliases = [record.register_name] if record.register_name != record.name else []
        _, outcome = self.writer.upsert(
            key=record.code,
            kind=OrganisationKind.NHS_TRUST,
            fields={
                "name": record.name,
                "code": record.code,
                "classification_code": classification_code,
                "classification_name": classification_name,
                "nation": record.nation,
                "region": record.region,
                "start_date": record.open_date,
                "end_date": record.close_date,
            },
            identifiers=[WantedIdentifier(IdentifierScheme.ODS, record.code)],
            names=[WantedName(alias) for alias in aliases],
            slug_base=record.name,
            slug_suffixes=[record.code],
        )
        report.count(outcome)
