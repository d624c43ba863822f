"""The Local Government Service List (LGSL) and its function hierarchy, from the esd standards.

Both files are read and checked before anything is written; both lists are then written in one
transaction with one ImportRun, so a failure in either leaves the database as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final

# The registry's file reading is domain-free: declared columns, strict UTF-8, and errors that name
# file, line and field. Reused here rather than copied; see the app README.
from kitbag.core.importing.files import (
    Row,
    SourceFile,
    Table,
    fetch,
    parse_table,
    read_local,
)
from kitbag.core.importing.recording import recorded_import
from kitbag.core.importing.report import ImportReport
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list

COMMIT: Final = "0133a969e8f78c569da0236c017a84ec9a6e774e"
# Pinned to the commit data.gov.uk used, so a download reads the same lists as the data directory.
BASE_URL: Final = (
    f"https://raw.githubusercontent.com/movermeyer/ckanext-esdstandards/{COMMIT}/"
    "ckanext-esdstandards-data/"
)
VERSION: Final = "LGSL 4.x, ckanext-esdstandards data of 2015-03-18"
HOMEPAGE: Final = "https://standards.esd.org.uk/"
PUBLISHER: Final = "LG Inform Plus (esd standards)"

COMMON_COLUMNS: Final = ("Identifier", "Label", "Description", "Created", "Modified", "Type")
SERVICES = SourceFile(
    name="lgsl_services.csv",
    remote_path="services.csv",
    key="Identifier",
    columns=COMMON_COLUMNS,
)
FUNCTIONS = SourceFile(
    name="esd_functions.csv",
    remote_path="functions.csv",
    key="Identifier",
    columns=(*COMMON_COLUMNS, "Parent identifiers"),
)
SERVICES_LIST = WantedList(
    slug="lgsl-services",
    name="Local Government Service List (LGSL)",
    publisher=PUBLISHER,
    url=HOMEPAGE,
    version=VERSION,
)
FUNCTIONS_LIST = WantedList(
    slug="lgsl-functions",
    name="Local government functions (LGSL service areas)",
    publisher=PUBLISHER,
    url=HOMEPAGE,
    version=VERSION,
)
IDENTIFIER = re.compile(r"[0-9]+")
DESCRIPTION_MAX_LENGTH: Final = 10_000


@dataclass(frozen=True)
class LgslLists:
    services: list[WantedCode]
    functions: list[WantedCode]


class LgslImporter:
    source: Final = "lgsl"  # the DataSource name in kitbag/core/sources.py
    folder: Final = "esd_lgsl_service_list"
    files: Final = (SERVICES, FUNCTIONS)

    base_url: ClassVar[str] = BASE_URL

    def __init__(self, *, data_dir: Path | None) -> None:
        self.data_dir = data_dir

    def location_of(self, spec: SourceFile) -> str:
        if self.data_dir is not None:
            return str(self.data_dir / self.folder / spec.name)
        return self.base_url + spec.remote_path

    def read_file(self, spec: SourceFile) -> Table:
        location = self.location_of(spec)
        data = read_local(Path(location)) if self.data_dir is not None else fetch(location)
        return parse_table(spec, data, location=location)

    def read(self) -> LgslLists:
        """Fetch and check both files. Writes nothing."""
        services = [_code(row, kind="Service") for row in self.read_file(SERVICES)]
        function_rows = self.read_file(FUNCTIONS).rows
        functions = [_code(row, kind="Function", parent=_parent(row)) for row in function_rows]
        _check_hierarchy(function_rows, functions)
        return LgslLists(services=services, functions=functions)

    def save(self, lists: LgslLists) -> ImportReport:
        report = ImportReport(
            source=self.source,
            location=self.location_of(SERVICES),
            rows_read=len(lists.services) + len(lists.functions),
        )
        with recorded_import(report):
            for wanted, codes in (
                (SERVICES_LIST, lists.services),
                (FUNCTIONS_LIST, lists.functions),
            ):
                counts = write_code_list(wanted=wanted, codes=codes)
                report.created += counts.created
                report.updated += counts.updated
                report.unchanged += counts.unchanged
        return report

    def run(self) -> ImportReport:
        return self.save(self.read())


def _code(row: Row, *, kind: str, parent: str = "") -> WantedCode:
    identifier = row["Identifier"]
    if not IDENTIFIER.fullmatch(identifier):
        raise row.error("Identifier", f"{identifier!r} is not an LGSL number")
    # A services file given as the functions file (or the reverse) has the wrong Type throughout.
    if row["Type"] != kind:
        raise row.error("Type", f"{row['Type']!r} where {kind!r} was expected")
    return WantedCode(
        code=identifier,
        label=row.text("Label", required=True),
        description=row.text("Description", max_length=DESCRIPTION_MAX_LENGTH),
        parent=parent,
        source_created=row.date("Created"),
        source_modified=row.date("Modified"),
    )


def _parent(row: Row) -> str:
    parents = row.codes("Parent identifiers")
    if len(parents) > 1:
        raise row.error("Parent identifiers", "a function can have only one parent")
    return parents[0] if parents else ""


def _check_hierarchy(rows: list[Row], functions: list[WantedCode]) -> None:
    parent_of = {function.code: function.parent for function in functions}
    for row, function in zip(rows, functions, strict=True):
        if function.parent and function.parent not in parent_of:
            raise row.error(
                "Parent identifiers", f"no function with identifier {function.parent!r} in the file"
            )
        seen = {function.code}
        ancestor = function.parent
        while ancestor:
            if ancestor in seen:
                raise row.error("Parent identifiers", "the parents form a loop")
            seen.add(ancestor)
            ancestor = parent_of[ancestor]
