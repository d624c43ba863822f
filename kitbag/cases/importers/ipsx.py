"""The Innovative Public Services Explorer (IPS-X, EU JRC): 853 European cases, 40 of them UK.

One row of cases.csv is one case, keyed by its `id`; its `cid` names the catalogue it came from in
catalogs.csv. The mapping of IPS-X's vocabularies to ours is in docs/decisions/0014-importing-cases.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from kitbag.cases.importers.base import (
    LEAD_NAME_MAX_LENGTH,
    CaseImporter,
    WantedCase,
    fit,
    one_line,
    paragraphs,
    repair_mojibake,
)
from kitbag.cases.importers.mapping import lede, services_named
from kitbag.cases.models import Case, GeographicExtent, RecordType
from kitbag.core.importing.files import Row, SourceFile, Table
from kitbag.core.importing.importer import TableImporter

COMMIT: Final = "d725480dedab8e4b3c8c76e0c17ce6cdca32160d"
CASES = SourceFile(
    name="cases.csv",
    remote_path="data/cases.csv",
    columns=(
        "entry_type",
        "cid",
        "id",
        "name",
        "url",
        "description",
        "geoextent",
        "geocoverage_codes",
        "lead_organisation_name",
        "lead_organisation_category",
        "start_date",
        "end_date",
        "primary_sector",
        "technology",
        "type",
        "status",
    ),
    key="id",
)
CATALOGUES = SourceFile(
    name="catalogs.csv",
    remote_path="data/catalogs.csv",
    columns=("c_id", "c_name", "c_url", "c_publisher", "c_type"),
    key="c_id",
)

# The UK's code in geocoverage_codes (ISO 3166-1): only these cases' leads can be in the registry.
UK: Final = "GB"
# IPS-X sectors are the ten COFOG divisions, named as COFOG names them.
SECTORS: Final = {
    "General public services": "01",
    "Defence": "02",
    "Public order and safety": "03",
    "Economic affairs": "04",
    "Environmental protection": "05",
    "Housing and community amenities": "06",
    "Health": "07",
    "Recreation, culture and religion": "08",
    "Education": "09",
    "Social protection": "10",
}
TECHNOLOGIES: Final = {
    "Artificial intelligence": "artificial-intelligence",
    "Blockchain": "blockchain",
}
# IPS-X status -> (operational status, GOV.UK phase).
STATUSES: Final = {
    "Planned": ("planned", "discovery"),
    "In development": ("planned", "alpha"),
    "Pilot": ("pilot", "beta"),
    "Implemented": ("implemented", "live"),
    "In production": ("implemented", "live"),
    "Not in use anymore": ("discontinued", "retired"),
}
EXTENTS: Final = {
    "Local": GeographicExtent.LOCAL,
    "Regional": GeographicExtent.REGIONAL,
    "National": GeographicExtent.NATIONAL,
    "Across Countries": GeographicExtent.CROSS_BORDER,
}
# Columns kept in provenance though no field of ours holds them (blank ones are left out).
UNMAPPED: Final = ("secondary_sector", "uptake", "cross_border", "cross_sector", "contact")
FIRST_YEAR, LAST_YEAR = 1900, 2100
_url = URLValidator(schemes=["http", "https"])
# Words IPS-X puts between two addresses in its url column ("https://a.nl en https://b.nl").
_JOINERS: Final = frozenset({"en", "and", "und", "et", "e", "y", "-", "|"})
URL_MAX_LENGTH: Final = Case._meta.get_field("source_url").max_length or 1000


class IpsxImporter(TableImporter[WantedCase], CaseImporter):
    source = "ipsx"
    title = "IPS-X"
    folder = "ipsoeu_innovative_public_services"
    # Pinned to the commit the data directory holds, so a download reads the same cases.
    base_url = f"https://raw.githubusercontent.com/ipsoeu/ips-explorer/{COMMIT}/"
    files = (CASES, CATALOGUES)

    def records(self, tables: Mapping[str, Table]) -> list[WantedCase]:
        catalogues = self._catalogues(tables[CATALOGUES.name])
        return [self._case(row, catalogues) for row in tables[CASES.name]]

    @staticmethod
    def _catalogues(table: Table) -> dict[str, dict[str, str]]:
        return {
            row["c_id"]: {
                "id": row["c_id"],
                "name": row.text("c_name", required=True),
                "publisher": row.text("c_publisher"),
                "url": row.url("c_url"),
                "type": row.text("c_type"),
            }
            for row in table
        }

    def _case(self, row: Row, catalogues: Mapping[str, dict[str, str]]) -> WantedCase:
        if row["entry_type"] != "case":
            raise row.error("entry_type", f"{row['entry_type']!r} where 'case' was expected")
        catalogue = catalogues.get(row["cid"])
        if catalogue is None:
            raise row.error("cid", f"no catalogue with c_id {row['cid']!r} in {CATALOGUES.name}")
        country = row["geocoverage_codes"].upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise row.error("geocoverage_codes", f"{country!r} is not a two-letter country code")
        status = row.choice("status", set(STATUSES))
        operational_status, phase = STATUSES.get(status, ("", ""))
        start_year, end_year = _year(row, "start_date"), _year(row, "end_date")
        if start_year and end_year and end_year < start_year:
            raise row.error("end_date", f"{end_year} is before the start date {start_year}")
        where = f"{CASES.name}, line {row.line}"
        url, more_urls = self._urls(row, where)
        lead_name = fit(
            repair_mojibake(row.text("lead_organisation_name", max_length=10_000)),
            max_length=LEAD_NAME_MAX_LENGTH,
            where=f"{where}, field lead_organisation_name",
            skipped=self.skipped,
        )
        fields: dict[str, Any] = {
            "record_type": RecordType.CASE_STUDY,
            "title": repair_mojibake(row.text("name", required=True)),
            "summary": repair_mojibake(paragraphs(row["description"])),
            "language": "en",  # IPS-X publishes every description in English
            "licence": "EUPL-1.2",
            "lead_organisation_category": row.text("lead_organisation_category", max_length=64),
            "innovation_type": repair_mojibake(row.text("type", max_length=128)),
            "geographic_extent": EXTENTS[row.choice("geoextent", EXTENTS)]
            if row["geoextent"]
            else "",
            "country_code": country,
            "start_year": start_year,
            "end_year": end_year,
            "source_url": url,
            "source_catalogue": catalogue["name"],
        }
        provenance: dict[str, Any] = {
            "source": self.source,
            "file": CASES.name,
            "line": row.line,
            "id": row["id"],
            "catalogue": catalogue,
            "status": status,
        }
        if more_urls:
            provenance["more_urls"] = more_urls
        extra = {column: one_line(row[column]) for column in UNMAPPED if row[column]}
        if extra:
            provenance["unmapped"] = extra
        return WantedCase(
            key=row["id"],
            file=CASES.name,
            line=row.line,
            lead_name=lead_name,
            resolve_lead=country == UK,
            fields=fields,
            codes={
                "sector": ("cofog", SECTORS[row.choice("primary_sector", SECTORS)])
                if row["primary_sector"]
                else ("cofog", ""),
                "phase": ("govuk-phase", phase),
                "operational_status": ("operational-status", operational_status),
            },
            technologies=(TECHNOLOGIES[row.choice("technology", TECHNOLOGIES)],)
            if row["technology"]
            else (),
            provenance=provenance,
            services=services_named(lede(fields["title"], fields["summary"])),
        )

    def _urls(self, row: Row, where: str) -> tuple[str, list[str]]:
        """The first web address of the url column, and any more it lists.

        The column often holds several addresses ("https://a\\nhttps://b", "... en ..."), and
        sometimes text that is no address at all or an address with spaces in it; then the field
        is left blank (and reported) rather than mended by guesswork.
        """
        value = row["url"].replace("\xa0", " ")
        if not value.strip():
            return "", []
        tokens = [t.strip(",;") for t in value.split()]
        urls = [t for t in tokens if t and t.lower() not in _JOINERS]
        try:
            for url in urls:
                _url(url)
                if len(url) > URL_MAX_LENGTH:
                    raise ValidationError("too long")
        except ValidationError:
            self.skipped.append(
                f"{where}, field url: {one_line(value)[:60]!r} is not a web address; left blank"
            )
            return "", []
        return urls[0], urls[1:]


def _year(row: Row, column: str) -> int | None:
    value = row[column]
    if not value:
        return None
    try:
        number = float(value)  # IPS-X writes end years as "2021.0"
    except ValueError:
        number = -1.0
    if not number.is_integer() or not FIRST_YEAR <= number <= LAST_YEAR:
        raise row.error(column, f"{value!r} is not a year")
    return int(number)
