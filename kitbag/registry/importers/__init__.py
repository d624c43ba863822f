"""Registry importers, one per source, in the order a full import runs them.

Councils come first because the later sources attach to them (democracy systems, Welsh names,
websites). GOV.UK's organisations API follows the 2017 register it adds to; Local Links gives
councils their websites before digital-land fills the ones still blank.
"""

from __future__ import annotations

from typing import Any

from kitbag.core.importing.importer import Importer
from kitbag.registry.importers.council_websites import DigitalLandImporter, LocalLinksImporter
from kitbag.registry.importers.democracy_systems import DemocracySystemImporter
from kitbag.registry.importers.government import GovernmentOrganisationImporter
from kitbag.registry.importers.govuk_organisations import GovukOrganisationImporter
from kitbag.registry.importers.mysociety import LocalAuthorityImporter
from kitbag.registry.importers.nhs import NhsTrustImporter
from kitbag.registry.importers.police import PoliceForceImporter
from kitbag.registry.importers.welsh_names import WelshNamesImporter

IMPORTERS: tuple[type[Importer[Any]], ...] = (
    LocalAuthorityImporter,
    PoliceForceImporter,
    GovernmentOrganisationImporter,
    GovukOrganisationImporter,
    NhsTrustImporter,
    DemocracySystemImporter,
    WelshNamesImporter,
    LocalLinksImporter,
    DigitalLandImporter,
)
