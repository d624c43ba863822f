"""Central government organisations: the GOV.UK organisation list with the register's dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.text import slugify

from kitbag.core.importing.files import PARTIAL_ISO_DATE, SourceFile, Table
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.importers.names import distinct_names
from kitbag.registry.models import IdentifierScheme, Organisation, OrganisationKind, ParentRelation
from kitbag.registry.services import WantedIdentifier, WantedName

MAIN = "govuk_organisations_with_type_and_parent.tsv"
REGISTER = "government-organisation.tsv"


@dataclass(frozen=True)
class GovernmentOrganisation:
    line: int
    register_id: str  # "D1": the register's key, kept when GOV.UK renames the organisation
    govuk_slug: str  # "attorney-generals-office": the organisation's primary code
    name: str
    aliases: tuple[str, ...]
    type_name: str
    website: str
    parent_slugs: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None


class GovernmentOrganisationImporter(
    TableImporter[GovernmentOrganisation], RegistryImporter[GovernmentOrganisation]
):
    source = "government-organisations"
    folder = "openregister_government_organisations"
    base_url = "https://raw.githubusercontent.com/openregister/government-organisation-data/master/"
    files = (
        SourceFile(
            name=MAIN,
            remote_path="lists/govuk/list.tsv",
            columns=(
                "government-organisation",
                "abbreviation",
                "government-organisation-type",
                "govuk",
                "name",
                "website",
                "parent-govuks",
            ),
            delimiter="\t",
            key="government-organisation",
            unique=("govuk",),
        ),
        SourceFile(
            name=REGISTER,
            remote_path="data/government-organisation/government-organisation.tsv",
            columns=("government-organisation", "name", "start-date", "end-date"),
            delimiter="\t",
            # No unique key: a register is a log, and a later entry for a key supersedes the
            # earlier one (OT488, the NHS Litigation Authority, became NHS Resolution).
        ),
    )
    key_scheme = IdentifierScheme.GOVERNMENT_ORGANISATION
    identifier_schemes = frozenset({IdentifierScheme.GOVUK_SLUG})

    def records(self, tables: Mapping[str, Table]) -> list[GovernmentOrganisation]:
        # The register gives dates for most organisations, and names that differ from GOV.UK's
        # list for a few (older or newer ones), which become aliases.
        dates: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        register_names: dict[str, list[str]] = {}
        for row in tables[REGISTER]:
            register_id = row.text("government-organisation", required=True)
            dates[register_id] = (
                row.date("start-date", format=PARTIAL_ISO_DATE),
                row.date("end-date", format=PARTIAL_ISO_DATE),
            )
            register_names.setdefault(register_id, []).append(row.text("name"))
        listed = {row["government-organisation"] for row in tables[MAIN]}
        for register_id in sorted(set(dates) - listed):
            self.skipped.append(f"{REGISTER}: {register_id} is not in {MAIN}; not imported")
        organisations = []
        for row in tables[MAIN]:
            register_id = row["government-organisation"]
            name = row.text("name", required=True)
            start_date, end_date = dates.get(register_id, (None, None))
            organisations.append(
                GovernmentOrganisation(
                    line=row.line,
                    register_id=register_id,
                    govuk_slug=row.text("govuk", required=True, max_length=120),
                    name=name,
                    aliases=tuple(
                        distinct_names(
                            [row.text("abbreviation"), *register_names.get(register_id, [])],
                            exclude=[name],
                        )
                    ),
                    type_name=row.text("government-organisation-type", max_length=64),
                    website=row.url("website"),
                    parent_slugs=tuple(
                        slug.strip() for slug in row["parent-govuks"].split(";") if slug.strip()
                    ),
                    start_date=start_date,
                    end_date=end_date,
                )
            )
        return organisations

    def write(self, records: list[GovernmentOrganisation], report: ImportReport) -> None:
        writer = self.organisation_writer(report)
        saved: dict[str, tuple[Organisation, Outcome]] = {}
        for record in self.progress(records):
            saved[record.govuk_slug] = writer.upsert(
                key=record.register_id,
                kind=OrganisationKind.CENTRAL_GOVERNMENT,
                fields={
                    "name": record.name,
                    "code": record.govuk_slug,
                    "classification_code": slugify(record.type_name),
                    "classification_name": record.type_name,
                    # What the 2017 register does not know it does not clear: GOV.UK's newer
                    # list (govuk_organisations.py) closes bodies and gives websites since.
                    **_known(
                        website=record.website,
                        start_date=record.start_date,
                        end_date=record.end_date,
                    ),
                },
                identifiers=[
                    WantedIdentifier(IdentifierScheme.GOVERNMENT_ORGANISATION, record.register_id),
                    WantedIdentifier(IdentifierScheme.GOVUK_SLUG, record.govuk_slug),
                ],
                names=[WantedName(alias) for alias in record.aliases],
                slug_base=record.govuk_slug,
                slug_suffixes=[record.register_id],
            )
        for record in records:
            organisation, outcome = saved[record.govuk_slug]
            parents = []
            for slug in record.parent_slugs:
                if slug in saved and slug != record.govuk_slug:
                    parents.append((saved[slug][0], ParentRelation.PARENT_ORGANISATION))
                else:
                    report.skip(
                        f"{MAIN}, line {record.line}, field parent-govuks: no other organisation "
                        f"{slug!r}; link not made"
                    )
            changed = writer.sync_parents(
                organisation, parents, relations={ParentRelation.PARENT_ORGANISATION}
            )
            report.count(Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome)


def _known(**values: object) -> dict[str, object]:
    """The values that are given (neither None nor blank)."""
    return {name: value for name, value in values.items() if value not in (None, "")}
