"""The Local Government Service List (LGSL) and its function hierarchy, from the esd standards.

Both files are read and checked before anything is written; both lists are then written in one
transaction with one ImportRun, so a failure in either leaves the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from kitbag.core.importing.files import Row, SourceFile, Table
from kitbag.core.importing.importer import TableImporter
from kitbag.vocabularies.former_names import Service, one_way_synonyms
from kitbag.vocabularies.importers.base import CodeListImporter
from kitbag.vocabularies.records import WantedCode, WantedCodeList, WantedList

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


class LgslImporter(TableImporter[WantedCodeList], CodeListImporter):
    source = "lgsl"
    folder = "esd_lgsl_service_list"
    base_url = BASE_URL
    files = (SERVICES, FUNCTIONS)

    def records(self, tables: Mapping[str, Table]) -> list[WantedCodeList]:
        service_rows = tables[SERVICES.name].rows
        services = [_code(row, kind="Service") for row in service_rows]
        # The list's own words for its services: former names still typed ("Potholes").
        synonyms = one_way_synonyms(
            [
                Service(
                    code=code.code,
                    label=code.label,
                    description=code.description,
                    history=row.text("History notes", max_length=DESCRIPTION_MAX_LENGTH),
                )
                for row, code in zip(service_rows, services, strict=True)
            ]
        )
        function_rows = tables[FUNCTIONS.name].rows
        functions = [_code(row, kind="Function", parent=_parent(row)) for row in function_rows]
        _check_hierarchy(function_rows, functions)
        return [
            WantedCodeList(list=SERVICES_LIST, codes=tuple(services), synonyms=tuple(synonyms)),
            WantedCodeList(list=FUNCTIONS_LIST, codes=tuple(functions)),
        ]


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
