"""What a source of code lists adds to the import framework (`kitbag.core.importing.importer`).

Each record is one list with every code it should hold (`WantedCodeList`), written by
`services.write_code_list`: codes upserted on (list, code) and compared before saving, and codes
the list no longer has deprecated, never deleted. The list's synonyms (former names of its
services, say) replace those the search had from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.search.services import replace_synonyms
from kitbag.vocabularies.records import WantedCodeList
from kitbag.vocabularies.services import write_code_list


class CodeListImporter(Importer[WantedCodeList]):
    """A source of code lists. Counts are per code, not per list."""

    progress_unit = "list"

    def rows_in(self, records: Sequence[WantedCodeList]) -> int:
        return sum(len(record.codes) for record in records)

    def upsert(self, record: WantedCodeList, report: ImportReport) -> None:
        counts = write_code_list(wanted=record.list, codes=record.codes)
        replace_synonyms(source=record.list.slug, pairs=record.synonyms)
        report.created += counts.created
        report.updated += counts.updated
        report.unchanged += counts.unchanged
