"""Bad input stops the import with an error naming file, line and field, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.vocabularies.tests.fixtures import (
    FIXTURES,
    FOLDER,
    copy_of_fixtures,
    vocabulary_snapshot,
)

pytestmark = pytest.mark.django_db

SERVICES = "lgsl_services.csv"
FUNCTIONS = "esd_functions.csv"


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, f"{old!r} is not in the fixture"
        return data.replace(old, new, 1)

    return edit


CASES = [
    pytest.param(
        SERVICES,
        replace(b"Identifier,Label,", b"Id,Label,"),
        "lgsl_services.csv, line 1: missing column Identifier",
        id="missing-column",
    ),
    pytest.param(
        SERVICES,
        replace(b"2010-10-14,2010-10-14", b"2010-10-14,14/10/2010"),
        "lgsl_services.csv, line 3, field Modified: '14/10/2010' is not a date (YYYY-MM-DD)",
        id="bad-date",
    ),
    pytest.param(
        SERVICES,
        replace(b"\r\n58,", b"\r\n1512,"),
        "lgsl_services.csv, line 6, field Identifier: duplicate key '1512' (first on line 3)",
        id="duplicate-identifier",
    ),
    pytest.param(
        SERVICES,
        replace(b"adults \xe2\x80\x93 day", b"adults \x96 day"),
        "lgsl_services.csv, line 5: not valid UTF-8 (byte 0x96); save the file as UTF-8",
        id="invalid-encoding",
    ),
    pytest.param(
        SERVICES,
        replace(b"\r\n372,", b"\r\nLGSL372,"),
        "lgsl_services.csv, line 4, field Identifier: 'LGSL372' is not an LGSL number",
        id="identifier-not-a-number",
    ),
    pytest.param(
        SERVICES,
        replace(b"Abandoned bicycles,", b","),
        "lgsl_services.csv, line 3, field Label: a value is required",
        id="blank-label",
    ),
    pytest.param(
        FUNCTIONS,
        replace(b",Function,6,", b",Function,9,"),
        "esd_functions.csv, line 6, field Parent identifiers: no function with identifier '9'",
        id="unknown-parent",
    ),
    pytest.param(
        FUNCTIONS,
        replace(
            b"1,Advice and benefits,,2013-04-03,2013-04-03,,Function,,",
            b"1,Advice and benefits,,2013-04-03,2013-04-03,,Function,3,",
        ),
        "esd_functions.csv, line 2, field Parent identifiers: the parents form a loop",
        id="parent-loop",
    ),
    pytest.param(
        FUNCTIONS,
        replace(b"Type,Parent identifiers", b"Type,Parents"),
        "esd_functions.csv, line 1: missing column Parent identifiers",
        id="functions-missing-column",
    ),
    pytest.param(
        FUNCTIONS,
        replace(
            b"Business and employment,,2013-04-03,2013-04-03,,Function",
            b"Business and employment,,2013-04-03,2013-04-03,,Service",
        ),
        "esd_functions.csv, line 5, field Type: 'Service' where 'Function' was expected",
        id="wrong-file",
    ),
]


@pytest.mark.parametrize(("name", "edit", "message"), CASES)
def test_bad_input_is_an_error_naming_file_line_and_field_and_changes_nothing(
    tmp_path: Path, name: str, edit: Callable[[bytes], bytes], message: str
) -> None:
    call_command("import_vocabularies", "--data-dir", str(FIXTURES), verbosity=0)
    before = vocabulary_snapshot()
    data = copy_of_fixtures(tmp_path)
    path = data / FOLDER / name
    path.write_bytes(edit(path.read_bytes()))

    with pytest.raises(CommandError) as error:
        call_command("import_vocabularies", "--data-dir", str(data), verbosity=0)

    assert str(error.value).startswith(message)
    assert vocabulary_snapshot() == before


def test_a_missing_file_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    data = copy_of_fixtures(tmp_path)
    (data / FOLDER / FUNCTIONS).unlink()

    with pytest.raises(CommandError, match="esd_functions.csv does not exist"):
        call_command("import_vocabularies", "--data-dir", str(data), verbosity=0)

    assert vocabulary_snapshot() == {"CodeList": [], "Code": [], "ImportRun": []}


def test_a_data_directory_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_vocabularies", "--data-dir", str(tmp_path / "nowhere"))
