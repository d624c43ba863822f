"""`kitbag import-vocabularies`: load LGSL services and functions, and Kitbag's built-in code lists."""

from __future__ import annotations

from kitbag.core.importing.command import ImportCommand
from kitbag.vocabularies.importers import IMPORTERS


class Command(ImportCommand):
    help = (
        "Import the Local Government Service List and its functions, and load Kitbag's built-in "
        "code lists (GOV.UK phase, COFOG, Nesta evidence levels...). Both LGSL files are checked "
        "before anything is written; each is idempotent."
    )
    importers = IMPORTERS
