"""Central government as GOV.UK has it today: its organisations API, live and closed.

The 2017 register (`government.py`) stays the source of the bodies it lists; this newer source adds
the bodies created since (DSIT, DESNZ, DBT, MHCLG under its 2024 name), closes the ones GOV.UK has
closed, links each closed body to its successors, and gives acronyms and later titles as aliases.
Both are keyed on the register id (GOV.UK's `analytics_identifier`, "D1381"), so a body is never
imported twice. Decision 0035 says why this source fills in and never overwrites:

- A body GOV.UK renamed or merged is a new organisation there, linked by `superseding_organisations`:
  it becomes a new record and a succession, never an edit of the old one. A title that changed
  under the same id is added as an alias; the registry's name stays.
- Fields the 2017 register gives (name, type, GOV.UK slug, parents) are left as it has them, so the
  two sources never undo each other and a second run reports everything unchanged. This source
  gives them only to the bodies it creates, and fills a blank end date or website.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from kitbag.core.importing.files import SourceFile
from kitbag.core.importing.importer import JsonImporter
from kitbag.core.importing.json_files import JsonRecord
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.importers.names import distinct_names, normalise_space
from kitbag.registry.models import IdentifierScheme, Organisation, OrganisationKind, ParentRelation
from kitbag.registry.services import WantedIdentifier, WantedName

MAIN: Final = "organisations.json"
STATUSES: Final = frozenset({"live", "closed", "exempt", "joining", "transitioning"})
NAME_MAX_LENGTH: Final = 255
CODE_MAX_LENGTH: Final = 64  # a register id such as "D1381" or "OT1234"
SLUG_MAX_LENGTH: Final = 120
TYPE_MAX_LENGTH: Final = 64
URL_MAX_LENGTH: Final = 500
_url = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class GovukOrganisation:
    line: int
    register_id: str  # analytics_identifier: the 2017 register's key
    slug: str  # details.slug: the GOV.UK slug, the primary code of a body this source creates
    title: str
    abbreviation: str
    type_name: str
    web_url: str
    closed: bool
    # When it closed: closed_at, else the day GOV.UK last changed the closed record (by then it
    # was closed); None for a body that is open.
    end_date: dt.date | None
    # The day it closed as GOV.UK says it, for the succession; None when GOV.UK does not say.
    closed_at: dt.date | None
    parent_slugs: tuple[str, ...]
    successor_slugs: tuple[str, ...]


class GovukOrganisationImporter(
    JsonImporter[GovukOrganisation], RegistryImporter[GovukOrganisation]
):
    source = "govuk-organisations"
    folder = "govuk_organisations_api"
    # The Institute for Government's daily copy of every page of https://www.gov.uk/api/organisations,
    # pinned to the commit in the data directory's SOURCE.txt.
    base_url = (
        "https://raw.githubusercontent.com/instituteforgov/govuk_organisations/"
        "88973368494b35c7ad393f94e902281e30dca40d/"
    )
    files = (SourceFile(name=MAIN, remote_path=MAIN, key="analytics_identifier"),)
    key_scheme = IdentifierScheme.GOVERNMENT_ORGANISATION
    # Only a body this source creates gets its GOV.UK slug from it (see `write`).
    identifier_schemes = frozenset({IdentifierScheme.GOVUK_SLUG})

    def record(self, item: JsonRecord) -> GovukOrganisation:
        value = item.value
        if not isinstance(value, dict):
            raise item.error("", f"record {item.index + 1} is not an object")
        details = value.get("details")
        if not isinstance(details, dict):
            raise item.error("details", "must be an object")

        def text(container: dict[str, Any], key: str, field: str, max_length: int) -> str:
            found = container.get(key)
            if found is None:
                return ""
            if not isinstance(found, str):
                raise item.error(field, f"{key} {found!r} is not text")
            found = normalise_space(found)
            if len(found) > max_length:
                raise item.error(field, f"{key} {found[:40]!r}... is longer than {max_length}")
            return found

        register_id = text(value, "analytics_identifier", "analytics_identifier", CODE_MAX_LENGTH)
        if not register_id:
            raise item.error("analytics_identifier", "a register id is required")
        slug = text(details, "slug", "details", SLUG_MAX_LENGTH)
        if not slug or slugify(slug) != slug:
            raise item.error("details", f"slug {slug!r} is not a GOV.UK slug")
        title = text(value, "title", "title", NAME_MAX_LENGTH)
        if not title:
            raise item.error("title", "a title is required")
        status = text(details, "govuk_status", "details", 32)
        if status not in STATUSES:
            raise item.error(
                "details", f"govuk_status {status!r} is not one of {', '.join(sorted(STATUSES))}"
            )
        web_url = text(value, "web_url", "web_url", URL_MAX_LENGTH)
        if web_url:
            try:
                _url(web_url)
            except ValidationError:
                raise item.error("web_url", f"{web_url!r} is not a web address") from None
        closed_at = _date(details.get("closed_at"), item, "details", "closed_at")
        updated_at = _date(value.get("updated_at"), item, "updated_at", "updated_at")
        closed = status == "closed"
        return GovukOrganisation(
            line=item.line,
            register_id=register_id,
            slug=slug,
            title=title,
            abbreviation=text(details, "abbreviation", "details", NAME_MAX_LENGTH),
            type_name=text(value, "format", "format", TYPE_MAX_LENGTH),
            web_url=web_url,
            closed=closed,
            end_date=(closed_at or updated_at) if closed else None,
            closed_at=closed_at if closed else None,
            parent_slugs=_slugs(value, "parent_organisations", item),
            successor_slugs=_slugs(value, "superseding_organisations", item),
        )

    def key_of(self, record: GovukOrganisation) -> str:
        return record.register_id

    def write(self, records: list[GovukOrganisation], report: ImportReport) -> None:
        writer = self.organisation_writer(report)
        by_slug: dict[str, Organisation] = {}
        outcomes: dict[str, Outcome] = {}
        created: set[str] = set()
        for record in self.progress(records):
            organisation = writer.get(record.register_id)
            if organisation is None:
                organisation, outcome = writer.upsert(
                    key=record.register_id,
                    kind=OrganisationKind.CENTRAL_GOVERNMENT,
                    fields={
                        "name": record.title,
                        "code": record.slug,
                        "classification_code": slugify(record.type_name),
                        "classification_name": record.type_name,
                        "website": record.web_url,
                        "end_date": record.end_date,
                    },
                    identifiers=[
                        WantedIdentifier(
                            IdentifierScheme.GOVERNMENT_ORGANISATION, record.register_id
                        ),
                        WantedIdentifier(IdentifierScheme.GOVUK_SLUG, record.slug),
                    ],
                    names=_aliases(record, official_name=record.title),
                    slug_base=record.slug,
                    slug_suffixes=[record.register_id],
                )
                created.add(record.register_id)
            else:
                # Known already (from the 2017 register, or from this source's earlier run): fill
                # what is blank and add this source's names, never overwrite.
                fill: dict[str, Any] = {}
                if record.end_date is not None and organisation.end_date is None:
                    fill["end_date"] = record.end_date
                if record.web_url and not organisation.website:
                    fill["website"] = record.web_url
                changed = writer.update(
                    organisation,
                    fields=fill,
                    names=_aliases(record, official_name=organisation.name),
                )
                outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
            by_slug[record.slug] = organisation
            outcomes[record.register_id] = outcome

        for record in records:
            organisation = by_slug[record.slug]
            changed = False
            if record.register_id in created:
                # Parents are the 2017 register's for the bodies it lists; the bodies this source
                # creates get GOV.UK's.
                parents = [
                    (by_slug[slug], ParentRelation.PARENT_ORGANISATION)
                    for slug in record.parent_slugs
                    if slug in by_slug and by_slug[slug].pk != organisation.pk
                ]
                changed |= writer.sync_parents(
                    organisation, parents, relations={ParentRelation.PARENT_ORGANISATION}
                )
            successors = []
            for slug in record.successor_slugs:
                successor = by_slug.get(slug)
                if successor is None or successor.pk == organisation.pk:
                    report.skip(
                        f"{MAIN}, line {record.line}, field superseding_organisations: "
                        f"no other organisation {slug!r}; succession not recorded"
                    )
                    continue
                successors.append((successor, record.closed_at))
            changed |= writer.sync_successors(organisation, successors)
            outcome = outcomes[record.register_id]
            report.count(Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome)


def _aliases(record: GovukOrganisation, *, official_name: str) -> list[WantedName]:
    """The acronym, and GOV.UK's title when the registry knows the body by another name."""
    return [
        WantedName(name)
        for name in distinct_names([record.abbreviation, record.title], exclude=[official_name])
    ]


def _date(value: Any, item: JsonRecord, field: str, key: str) -> dt.date | None:
    """The day of an ISO 8601 timestamp ("2022-04-13T00:00:00.000+01:00"), as written there."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise item.error(field, f"{key} {value!r} is not a date and time (ISO 8601)")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise item.error(field, f"{key} {value!r} is not a date and time (ISO 8601)") from None


def _slugs(value: dict[str, Any], key: str, item: JsonRecord) -> tuple[str, ...]:
    """The slugs of a list of links ({"id": ".../api/organisations/<slug>", ...})."""
    links = value.get(key) or []
    if not isinstance(links, list):
        raise item.error(key, "must be a list of links")
    slugs = []
    for link in links:
        address = link.get("id") if isinstance(link, dict) else None
        if not isinstance(address, str) or not address.rstrip("/"):
            raise item.error(key, f"{link!r} is not a link with an id")
        slug = address.rstrip("/").rsplit("/", 1)[-1]
        if slugify(slug) != slug or len(slug) > SLUG_MAX_LENGTH:
            raise item.error(key, f"{address!r} does not end in a GOV.UK slug")
        slugs.append(slug)
    return tuple(dict.fromkeys(slugs))
