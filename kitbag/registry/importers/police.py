"""Police forces of England, Wales and Northern Ireland, from the GOV.UK police-force register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kitbag.core.importing.files import SourceFile, Table
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.importers.names import distinct_names
from kitbag.registry.models import IdentifierScheme, Nation, OrganisationKind
from kitbag.registry.services import WantedIdentifier, WantedName

MAIN = "police-force.tsv"
API_LIST = "force_with_api_url.tsv"

# Forces outside England, by police-force id; every other territorial force is English.
NATION_BY_FORCE = {
    "dyfed-powys": Nation.WALES,
    "gwent": Nation.WALES,
    "north-wales": Nation.WALES,
    "south-wales": Nation.WALES,
    "northern-ireland": Nation.NORTHERN_IRELAND,
    "police-scotland": Nation.SCOTLAND,
}
# Forces that police something other than a territory (railways, defence sites, nuclear sites)
# belong to no nation. The 2018 register lists none, but data.police.uk knows them by these ids.
NOT_TERRITORIAL = frozenset(
    {"british-transport-police", "ministry-of-defence-police", "civil-nuclear-constabulary"}
)


@dataclass(frozen=True)
class PoliceForce:
    line: int
    id: str
    name: str
    aliases: tuple[str, ...]

    @property
    def nation(self) -> str:
        if self.id in NOT_TERRITORIAL:
            return ""
        return NATION_BY_FORCE.get(self.id, Nation.ENGLAND)


class PoliceForceImporter(TableImporter[PoliceForce], RegistryImporter[PoliceForce]):
    source = "police-forces"
    folder = "openregister_police_forces"
    base_url = "https://raw.githubusercontent.com/openregister/police-data/master/"
    files = (
        SourceFile(
            name=MAIN,
            remote_path="data/police-force/police-force.tsv",
            columns=("police-force", "name"),
            delimiter="\t",
            key="police-force",
        ),
        SourceFile(
            name=API_LIST,
            remote_path="lists/force.tsv",
            columns=("force_id", "force_name", "force_url"),
            delimiter="\t",
            key="force_id",
        ),
    )
    key_scheme = IdentifierScheme.POLICE_FORCE

    def records(self, tables: Mapping[str, Table]) -> list[PoliceForce]:
        # The data.police.uk list spells some names differently; those spellings become aliases.
        api_names = {row["force_id"]: row.text("force_name") for row in tables[API_LIST]}
        forces = []
        for row in tables[MAIN]:
            name = row.text("name", required=True)
            force_id = row["police-force"]
            aliases = distinct_names([api_names.get(force_id, "")], exclude=[name])
            forces.append(PoliceForce(row.line, force_id, name, tuple(aliases)))
        return forces

    def upsert(self, record: PoliceForce, report: ImportReport) -> None:
        _, outcome = self.writer.upsert(
            key=record.id,
            kind=OrganisationKind.POLICE_FORCE,
            fields={"name": record.name, "code": record.id, "nation": record.nation},
            identifiers=[WantedIdentifier(IdentifierScheme.POLICE_FORCE, record.id)],
            names=[WantedName(alias) for alias in record.aliases],
            slug_base=record.name,
            slug_suffixes=[record.id],
        )
        report.count(outcome)
