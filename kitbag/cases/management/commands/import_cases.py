"""`kitbag import-cases`: import real cases from IPS-X and the Algorithmic Transparency Records."""

from __future__ import annotations

from kitbag.cases.importers import IMPORTERS
from kitbag.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the cases of the Innovative Public Services Explorer (ipsx) and the Algorithmic "
        "Transparency Records (atrs), resolving lead organisations through the registry. Every "
        "file is read and checked before anything is written; each source is then written in "
        "one transaction. Import the registry and the vocabularies first."
    )
    importers = IMPORTERS
