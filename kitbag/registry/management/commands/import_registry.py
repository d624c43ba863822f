"""`kitbag import-registry`: import the registry of public bodies from its open data sources."""

from __future__ import annotations

from typing import Any

from kitbag.core.importing.command import ImportCommand
from kitbag.core.page_cache import public_content_changed
from kitbag.registry.importers import IMPORTERS
from kitbag.registry.search_documents import sync_organisation_documents


class Command(ImportCommand):
    help = (
        "Import councils, police forces, government organisations (the 2017 register and GOV.UK's "
        "organisations API), NHS trusts, democracy systems, Welsh names and council websites "
        "(GOV.UK Local Links, digital-land) into the registry. Every file is read and checked before anything is "
        "written; each source is then written in one transaction."
    )
    importers = IMPORTERS

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        # Once, after every source: each source's write changes names and codes the documents
        # hold. Also after a run that imported nothing (--unless-imported), so a registry
        # imported before organisations were searchable becomes searchable.
        counts = sync_organisation_documents()
        if counts.created or counts.updated or counts.removed:
            # Bulk index writes send no signal; cached public searches must go stale.
            public_content_changed()
        if options["verbosity"]:
            self.stdout.write(
                f"search: organisations {counts.created} indexed, {counts.updated} updated, "
                f"{counts.removed} removed, {counts.unchanged} unchanged"
            )
