"""`kitbag import-registry`: import the registry of public bodies from its open data sources."""

from __future__ import annotations

from kitbag.core.importing.command import ImportCommand
from kitbag.registry.importers import IMPORTERS


class Command(ImportCommand):
    help = (
        "Import councils, police forces, government organisations (the 2017 register and GOV.UK's "
        "organisations API), NHS trusts, democracy systems, Welsh names and council websites "
        "(GOV.UK Local Links, digital-land) into the registry. Every file is read and checked before anything is "
        "written; each source is then written in one transaction."
    )
    importers = IMPORTERS
