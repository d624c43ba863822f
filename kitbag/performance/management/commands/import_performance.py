"""`kitbag import-performance`: import Oflog's adult social care metrics and the Scottish LGBF."""

from __future__ import annotations

from kitbag.core.importing.command import ImportCommand
from kitbag.performance.importers import IMPORTERS


class Command(ImportCommand):
    help = (
        "Import Oflog's adult social care metrics (oflog) and the Scottish Local Government "
        "Benchmarking Framework (lgbf) from the data directory, resolving councils through the "
        "registry (import it first). Every file is read and checked before anything is written; "
        "each source is then written in one transaction, and a second run changes nothing. Both "
        "sources are for evaluation only: they are not republished."
    )
    importers = IMPORTERS
