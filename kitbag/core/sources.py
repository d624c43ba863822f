"""The open data sources Kitbag imports, with the licence and attribution each asks for."""

from __future__ import annotations

from dataclasses import dataclass

from kitbag.core.models import ImportRun


@dataclass(frozen=True)
class DataSource:
    name: str  # the importer's --source name and the ImportRun.source value
    title: str
    publisher: str
    licence: str
    licence_url: str
    homepage: str
    attribution: str
    # False for sources read when a page is drawn rather than imported into the database.
    imported: bool = True


DATA_SOURCES: tuple[DataSource, ...] = (
    DataSource(
        name="mysociety-local-authorities",
        title="UK local authority names and codes",
        publisher="mySociety",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        homepage="https://github.com/mysociety/uk_local_authority_names_and_codes",
        attribution="Contains data from mySociety's UK local authority names and codes, licensed under CC BY 4.0.",
    ),
    DataSource(
        name="police-forces",
        title="Police forces register",
        publisher="Government Digital Service (GOV.UK registers)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://github.com/openregister/police-data",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
    ),
    DataSource(
        name="government-organisations",
        title="Government organisations register and GOV.UK organisation list",
        publisher="Government Digital Service (GOV.UK registers)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://github.com/openregister/government-organisation-data",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
    ),
    DataSource(
        name="govuk-organisations",
        title="GOV.UK organisations API (every organisation, live and closed)",
        publisher="Government Digital Service (GOV.UK), copied daily by the Institute for Government",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://www.gov.uk/api/organisations",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (source: GOV.UK).",
    ),
    DataSource(
        name="nhs-trusts",
        title="NHS trusts (ODS etr extract)",
        publisher="NHS England (Organisation Data Service)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://github.com/nhsx-mirror/SystemHierarchies",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
    ),
    DataSource(
        name="democracy-systems",
        title="Council democracy systems (LGSF)",
        publisher="Democracy Club",
        licence="MIT",
        licence_url="https://opensource.org/license/mit",
        homepage="https://github.com/DemocracyClub/LGSF",
        attribution="Council democracy system data from Democracy Club's LGSF, MIT licence.",
    ),
    DataSource(
        name="welsh-names",
        title="Welsh names of principal councils",
        publisher="Kitbag",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="",
        attribution="Welsh-language names of the 22 principal councils, compiled by Kitbag from the councils' own sites.",
    ),
    DataSource(
        name="govuk-local-links",
        title="Council homepages (GOV.UK Local Links Manager)",
        publisher="Government Digital Service (GOV.UK Local Links Manager)",
        licence="MIT",
        licence_url="https://opensource.org/license/mit",
        homepage="https://github.com/alphagov/local-links-manager",
        attribution="Council homepages from GOV.UK Local Links Manager, Copyright (c) 2016 Crown Copyright (Government Digital Service), MIT licence.",
    ),
    DataSource(
        name="digital-land-local-authorities",
        title="Local authorities (planning.data.gov.uk organisation collection)",
        publisher="Ministry of Housing, Communities and Local Government (digital-land)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://github.com/digital-land/organisation-collection",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (planning.data.gov.uk).",
    ),
    DataSource(
        name="lgsl",
        title="Local Government Service List and functions",
        publisher="LG Inform Plus (esd standards)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://standards.esd.org.uk/",
        attribution="Contains the Local Government Service List, published by LG Inform Plus under the Open Government Licence v3.0.",
    ),
    DataSource(
        name="ipsx",
        title="Innovative Public Services Explorer (IPS-X) cases",
        publisher="European Commission Joint Research Centre (EU JRC)",
        licence="EUPL-1.2",
        licence_url="https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
        homepage="https://github.com/ipsoeu/ips-explorer",
        attribution="Contains cases from the Innovative Public Services Explorer (IPS-X) of the European Commission's Joint Research Centre, licensed under the EUPL v1.2.",
    ),
    DataSource(
        name="atrs",
        title="Algorithmic Transparency Records",
        publisher="Department for Science, Innovation and Technology (GOV.UK ATRS)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (Algorithmic Transparency Records published on GOV.UK).",
    ),
    DataSource(
        name="hexmaps",
        title="UK local authority hex cartograms",
        publisher="Open Innovations",
        licence="MIT",
        licence_url="https://opensource.org/license/mit",
        homepage="https://github.com/odileeds/hexmaps",
        attribution="Hex maps © Open Innovations, MIT licence.",
        imported=False,
    ),
    DataSource(
        name="oflog",
        title="Adult social care metrics (evaluation only)",
        publisher="Office for Local Government (Oflog)",
        licence="Open Government Licence v3.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        homepage="https://oflog.data.gov.uk/",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (Oflog adult social care metrics). Imported for evaluation only; not republished.",
    ),
    DataSource(
        name="lgbf",
        title="Local Government Benchmarking Framework (evaluation only)",
        publisher="Improvement Service (Scotland), via SC-TPP/LGBF",
        licence="No licence stated; evaluation only",
        licence_url="https://www.improvementservice.org.uk/benchmarking",
        homepage="https://github.com/SC-TPP/LGBF",
        attribution="Local Government Benchmarking Framework data © Improvement Service. Imported for evaluation only; not republished.",
    ),
)


@dataclass(frozen=True)
class SourceStatus:
    source: DataSource
    last_import: ImportRun | None


def data_sources_with_last_import() -> list[SourceStatus]:
    latest: dict[str, ImportRun] = {}
    for run in ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).order_by("started_at"):
        latest[run.source] = run  # later runs replace earlier ones
    return [SourceStatus(source=s, last_import=latest.get(s.name)) for s in DATA_SOURCES]
