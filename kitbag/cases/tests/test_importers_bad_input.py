"""Bad input stops a case import with an error naming file, line and field, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.cases.models import Case, CaseIdentifier, CaseRevision
from kitbag.cases.tests.fixtures import copy_of_fixtures
from kitbag.core.models import ImportRun
from kitbag.search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_of_fixtures(tmp_path)


def ipsx_csv(data: Path) -> Path:
    return data / "ipsoeu_innovative_public_services" / "cases.csv"


def atrs_json(data: Path) -> Path:
    return data / "uk_algorithmic_transparency_records" / "atrs_records.json"


def edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the test's edit did not apply"
    path.write_text(changed, encoding="utf-8")


def edit_records(path: Path, change: Callable[[list[dict[str, Any]]], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["records"])
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def state() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "identifiers": CaseIdentifier.objects.count(),
        "revisions": CaseRevision.objects.count(),
        "documents": SearchDocument.objects.count(),
        "runs": ImportRun.objects.count(),
    }


def assert_import_fails(data: Path, message: str) -> None:
    before = state()
    with pytest.raises(CommandError) as raised:
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
    assert str(raised.value) == message
    assert state() == before


def test_a_missing_column_names_the_file_and_the_column(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace(",primary_sector,", ",sector,", 1))

    assert_import_fails(data, "cases.csv, line 1: missing column primary_sector")


def test_a_bad_year_names_line_and_field(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace(",2019,,2021.0,", ",2019,,20x1,", 1))

    assert_import_fails(data, "cases.csv, line 4, field end_date: '20x1' is not a year")


def test_an_end_before_the_start_is_an_error(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace(",2019,,2021.0,", ",2019,,2017.0,", 1))

    assert_import_fails(
        data, "cases.csv, line 4, field end_date: 2017 is before the start date 2019"
    )


def test_a_status_the_mapping_does_not_know_is_an_error(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace(",Pilot,", ",Trial,", 1))

    assert_import_fails(
        data,
        "cases.csv, line 4, field status: 'Trial' is not one of Implemented, In development, "
        "In production, Not in use anymore, Pilot, Planned",
    )


def test_a_sector_that_is_no_cofog_division_is_an_error(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace(",Economic affairs,", ",Economy,", 1))

    with pytest.raises(CommandError, match=r"^cases.csv, line 4, field primary_sector: 'Economy'"):
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
    assert not Case.objects.exists()


def test_a_duplicate_id_names_both_lines(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace("case,10001,20006,", "case,10001,20001,"))

    assert_import_fails(
        data, "cases.csv, line 9, field id: duplicate key '20001' (first on line 2)"
    )


def test_a_case_from_an_unknown_catalogue_is_an_error(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace("case,10001,20003,", "case,10002,20003,"))

    assert_import_fails(
        data, "cases.csv, line 6, field cid: no catalogue with c_id '10002' in catalogs.csv"
    )


def test_a_file_that_is_not_utf8_is_an_error(builtin_codes: None, data: Path) -> None:
    path = ipsx_csv(data)
    path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92", 1) + b"\x92")

    with pytest.raises(CommandError, match=r"^cases.csv, line \d+: not valid UTF-8 \(byte 0x92\)"):
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
    assert not ImportRun.objects.exists()


def test_broken_json_names_the_line(builtin_codes: None, data: Path) -> None:
    edit(atrs_json(data), lambda text: text.replace('"DSIT",', '"DSIT"', 1))

    assert_import_fails(
        data, "atrs_records.json, line 37: not valid JSON: Expecting ',' delimiter (column 7)"
    )


def test_json_without_a_records_list_is_an_error(builtin_codes: None, data: Path) -> None:
    atrs_json(data).write_text('[{"title": "A record"}]', encoding="utf-8")

    assert_import_fails(
        data, 'atrs_records.json, field records: the file must be an object with a "records" list'
    )


def test_a_record_missing_a_field_names_its_line_and_the_field(
    builtin_codes: None, data: Path
) -> None:
    edit_records(atrs_json(data), lambda records: records[1].pop("published"))

    with pytest.raises(CommandError) as raised:
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())

    assert str(raised.value).startswith("atrs_records.json, line ")
    assert str(raised.value).endswith(", field published: record 2 has no published")
    assert not Case.objects.exists()


def test_a_bad_publication_date_is_an_error(builtin_codes: None, data: Path) -> None:
    edit(atrs_json(data), lambda text: text.replace("2025-06-26T07:39:09Z", "26/06/2025", 1))

    assert_import_fails(
        data,
        "atrs_records.json, line 9, field published: '26/06/2025' is not a date and time "
        "(ISO 8601)",
    )


def test_two_records_with_the_same_address_are_an_error(builtin_codes: None, data: Path) -> None:
    edit(
        atrs_json(data),
        lambda text: text.replace(
            "algorithmic-transparency-records/trustid",
            "algorithmic-transparency-records/dsit-pension-calculator",
        ),
    )

    assert_import_fails(
        data,
        "atrs_records.json, line 48, field url: duplicate record 'dsit-pension-calculator' "
        "(first on line 35)",
    )


def test_bad_input_in_one_source_leaves_the_others_unwritten_too(
    builtin_codes: None, data: Path
) -> None:
    # Every file is read and checked before any source is written.
    edit(
        atrs_json(data),
        lambda text: text.replace('"url": "https://www.gov.uk', '"url": "gov.uk', 1),
    )

    assert_import_fails(
        data,
        "atrs_records.json, line 9, field url: "
        "'gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online' is not a web address",
    )


# Text no field can store, and JSON of the wrong shape (kitbag/core/text_limits.py, json_shapes.py)


def test_a_nul_byte_in_a_title_names_file_line_and_field(builtin_codes: None, data: Path) -> None:
    edit(ipsx_csv(data), lambda text: text.replace("Reading support tool", "Reading\x00 tool"))

    assert_import_fails(
        data,
        "cases.csv, line 6, field name: the value contains the control character U+0000 "
        "at character 8",
    )


def test_a_control_character_in_a_title_names_file_line_and_field(
    builtin_codes: None, data: Path
) -> None:
    edit(atrs_json(data), lambda text: text.replace("Ask HMRC online", "Ask HMRC\\u001b online"))

    assert_import_fails(
        data,
        "atrs_records.json, line 9, field tool_name: the value contains the control character "
        "U+001B at character 9",
    )


@pytest.mark.parametrize(
    ("spoil", "message_start"),
    [
        pytest.param(
            lambda data: edit(
                ipsx_csv(data),
                lambda text: text.replace(
                    "simplified texts", "simplified texts" + " word" * 2_097_152
                ),
            ),
            "cases.csv, line 6, field description: the value is 10,485,8",
            id="ipsx",
        ),
        pytest.param(
            lambda data: edit_records(
                atrs_json(data),
                lambda records: records[2].update(description="x" * 10 * 1024 * 1024),
            ),
            "atrs_records.json, line 35, field description: the value is 10,485,760",
            id="atrs",
        ),
    ],
)
def test_a_description_of_ten_megabytes_names_file_line_and_field(
    builtin_codes: None, data: Path, spoil: Callable[[Path], None], message_start: str
) -> None:
    call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
    before = state()
    spoil(data)

    with pytest.raises(CommandError) as raised:
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())

    assert str(raised.value).startswith(message_start)
    assert str(raised.value).endswith("characters long; the most it can be is 20,000")
    assert state() == before


def test_nested_json_in_a_field_kept_in_provenance_names_the_field(
    builtin_codes: None, data: Path
) -> None:
    nested: dict[str, Any] = {"depth": 0}
    for depth in range(1, 50):
        nested = {"depth": depth, "inner": nested}

    def spoil(records: list[dict[str, Any]]) -> None:
        records[0]["listed_organisations"] = [nested]

    edit_records(atrs_json(data), spoil)

    with pytest.raises(CommandError) as raised:
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())

    assert str(raised.value).startswith(
        "atrs_records.json, line 9, field provenance: must be an object of at most 32 short "
        "values, lists or objects of them (no deeper): "
    )
    assert str(raised.value).endswith("(at listed_organisations[0])")
    assert not Case.objects.exists()
    assert not ImportRun.objects.exists()


def test_bad_input_on_a_reimport_leaves_the_imported_cases_as_they_were(
    builtin_codes: None, data: Path
) -> None:
    call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
    titles = sorted(Case.objects.values_list("title", flat=True))
    edit(ipsx_csv(data), lambda text: text.replace("Reading support tool", "Reading tool"))
    edit(ipsx_csv(data), lambda text: text.replace(",2021,,,", ",1850,,,", 1))

    assert_import_fails(data, "cases.csv, line 2, field start_date: '1850' is not a year")
    assert sorted(Case.objects.values_list("title", flat=True)) == titles


def test_a_missing_data_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_cases", "--data-dir", str(tmp_path / "missing"), stdout=StringIO())


def test_a_missing_file_names_the_path(builtin_codes: None, data: Path) -> None:
    (data / "ipsoeu_innovative_public_services" / "catalogs.csv").unlink()

    with pytest.raises(CommandError, match=r"catalogs.csv does not exist$"):
        call_command("import_cases", "--data-dir", str(data), stdout=StringIO())
