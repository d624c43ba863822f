"""Councils' websites: GOV.UK Local Links Manager (every UK council) and digital-land (England).

Neither source creates a council: mySociety's list is the registry's source of councils, and these
attach a website to the councils it has, matched by GSS code first (the statistical code both
sources carry) and then by the source's other key (Local Links' GOV.UK slug, digital-land's register
code). Local Links, kept by GOV.UK and UK-wide, gives a council its website; digital-land, frozen
since 2025, fills the ones still blank (combined authorities, the GLA), so the two never undo each
other and a second run reports everything unchanged (decision 0035).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from kitbag.core.importing.files import ISO_DATE, Row, SourceFile
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.models import Identifier, IdentifierScheme, Organisation, OrganisationKind

LOCAL_LINKS: Final = "local-authorities.csv"
DIGITAL_LAND: Final = "local-authority.csv"


@dataclass(frozen=True)
class CouncilWebsite:
    line: int
    gss: str
    other_key: str  # the GOV.UK slug (Local Links) or register code (digital-land)
    name: str
    website: str


class CouncilWebsiteImporter(TableImporter[CouncilWebsite], RegistryImporter[CouncilWebsite]):
    """Matches each row to a council and gives it the row's website (or fills a blank one)."""

    key_scheme = IdentifierScheme.GSS
    # The scheme of `CouncilWebsite.other_key`, tried when the GSS code finds no current council.
    other_scheme: ClassVar[str]
    # True: the website is this source's to set; False: only a blank one is filled.
    owns_website: ClassVar[bool]
    # True when every row is a council of today, so an abolished one found means its successor.
    lists_current_councils: ClassVar[bool] = False
    by_other_key: dict[str, Organisation]  # this run's councils by `other_scheme`
    given_by: dict[int, int]  # in this run: council id -> the line that gave its website

    def write(self, records: list[CouncilWebsite], report: ImportReport) -> None:
        self.writer = self.organisation_writer(report)
        self.by_other_key = _councils_by(self.other_scheme)
        self.given_by = {}
        for record in self.progress(records):
            self.upsert(record, report)

    def council_for(self, record: CouncilWebsite) -> Organisation | None:
        by_gss = self.writer.get(record.gss)
        by_other = self.by_other_key.get(record.other_key)
        # A GSS code a source has not caught up with can belong to the abolished body it
        # replaced: the other key finds the current council then, if it can.
        found = by_gss
        if by_gss is None or (
            not by_gss.is_current and by_other is not None and by_other.is_current
        ):
            found = by_other
        if found is not None and not found.is_current and self.lists_current_councils:
            # Local Links serves today's councils: a row still under an abolished council's
            # code and slug (Somerset County Council's E10000027) means its one current successor.
            successors = [s for s in found.successors.all() if s.is_current]
            if len(successors) == 1:
                return successors[0]
        return found

    def upsert(self, record: CouncilWebsite, report: ImportReport) -> None:
        council = self.council_for(record)
        main = self.main_file.name
        if council is None:
            report.reject(
                file=main,
                line=record.line,
                reason=f"{record.name}: no council with GSS code {record.gss!r} or "
                f"{self.other_scheme} {record.other_key!r}",
            )
            return
        if council.pk in self.given_by:
            report.reject(
                file=main,
                line=record.line,
                reason=f"{record.name}: {council.name} is already given by line "
                f"{self.given_by[council.pk]}",
            )
            return
        self.given_by[council.pk] = record.line
        website = _chosen(council.website, record.website, owned=self.owns_website)
        changed = self.writer.update(council, fields={"website": website})
        report.count(Outcome.UPDATED if changed else Outcome.UNCHANGED)


class LocalLinksImporter(CouncilWebsiteImporter):
    source = "govuk-local-links"
    folder = "govuk_local_links_manager_councils"
    base_url = (
        "https://raw.githubusercontent.com/alphagov/local-links-manager/"
        "a9e5e8ed7bd9cb7269529cee8fe3df632c3c0098/"
    )
    files = (
        SourceFile(
            name=LOCAL_LINKS,
            remote_path="data/local-authorities.csv",
            columns=("gss", "slug", "homepage_url", "name"),
            key="gss",
            unique=("slug",),
        ),
    )
    other_scheme = IdentifierScheme.GOVUK_SLUG
    owns_website = True
    lists_current_councils = True

    def record(self, row: Row) -> CouncilWebsite:
        return CouncilWebsite(
            line=row.line,
            gss=row.text("gss", required=True, max_length=128),
            other_key=row.text("slug", required=True, max_length=128),
            name=row.text("name"),
            website=row.url("homepage_url"),
        )


class DigitalLandImporter(CouncilWebsiteImporter):
    source = "digital-land-local-authorities"
    folder = "digital_land_local_authorities"
    base_url = (
        "https://raw.githubusercontent.com/digital-land/organisation-collection/"
        "94533fd710fc1bb719274044e73b720e92da8f2e/"
    )
    files = (
        SourceFile(
            name=DIGITAL_LAND,
            remote_path="data/local-authority.csv",
            columns=(
                "reference",
                "statistical-geography",
                "name",
                "website",
                "start-date",
                "end-date",
            ),
            key="reference",
            # Not unique: Sheffield City Region and the South Yorkshire Mayoral Combined
            # Authority share one GSS code (the second is rejected as already given).
        ),
    )
    other_scheme = IdentifierScheme.LOCAL_AUTHORITY_CODE
    owns_website = False

    def record(self, row: Row) -> CouncilWebsite:
        # The dates are checked (a bad one is an error) but not kept: mySociety's are the
        # registry's, and the body a row matches already has them.
        row.date("start-date", format=ISO_DATE)
        row.date("end-date", format=ISO_DATE)
        return CouncilWebsite(
            line=row.line,
            gss=row.text("statistical-geography", max_length=128),
            other_key=row.text("reference", required=True, max_length=128),
            name=row.text("name"),
            website=row.url("website"),
        )


def _chosen(current: str, given: str, *, owned: bool) -> str:
    """The website to keep: the source's when it owns the field, else a blank one filled; the
    same site at https rather than http whichever source gives it (130 of Local Links' 382
    homepages are still http://, digital-land has most of them at https://)."""
    if not given:
        return current
    if current and _site(current) == _site(given):
        return given if given.startswith("https://") and current.startswith("http://") else current
    return given if owned or not current else current


def _site(url: str) -> str:
    """An address without its scheme or a trailing slash, lower-cased, to compare two."""
    return url.split("://", 1)[-1].rstrip("/").lower()


def _councils_by(scheme: str) -> dict[str, Organisation]:
    return {
        identifier.value: identifier.organisation
        for identifier in Identifier.objects.filter(
            scheme=scheme, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
        ).select_related("organisation")
    }
