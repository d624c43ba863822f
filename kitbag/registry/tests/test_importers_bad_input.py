"""Bad input stops an import with an error naming file, line and field, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.models import ImportRun
from kitbag.registry.importers import IMPORTERS
from kitbag.registry.services import OrganisationWriter
from kitbag.registry.tests.fixtures import FIXTURES, copy_of_fixtures, registry_snapshot

pytestmark = pytest.mark.django_db

COUNCILS = Path("mysociety_uk_local_authorities/uk_local_authorities.csv")
POLICE = Path("openregister_police_forces/police-force.tsv")
GOVERNMENT = Path(
    "openregister_government_organisations/govuk_organisations_with_type_and_parent.tsv"
)
NHS = Path("nhs_ods_trusts/etr.csv")


@pytest.fixture
def registry() -> dict[str, list[tuple[Any, ...]]]:
    """A registry already imported from the fixtures, as it stands before the bad import."""
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()
    return registry_snapshot()


def spoil(tmp_path: Path, file: Path, change: Callable[[str], str]) -> Path:
    data_dir = copy_of_fixtures(tmp_path)
    path = data_dir / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return data_dir


def import_source(data_dir: Path, source: str) -> None:
    call_command("import_registry", "--data-dir", str(data_dir), "--source", source)


def test_a_missing_column_is_an_error_and_changes_nothing(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = spoil(tmp_path, COUNCILS, lambda text: text.replace(",nation,", ",country,", 1))

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "mysociety-local-authorities")

    assert str(error.value) == "uk_local_authorities.csv, line 1: missing column nation"
    assert registry_snapshot() == registry


def test_a_file_with_the_wrong_delimiter_is_an_error_and_changes_nothing(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = spoil(tmp_path, POLICE, lambda text: text.replace("\t", ","))

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "police-forces")

    assert str(error.value) == (
        "police-force.tsv, line 1: missing columns police-force, name; the line is separated "
        "by commas, but this file must be tab-separated"
    )
    assert registry_snapshot() == registry


def test_a_bad_date_is_an_error_naming_line_and_field_and_changes_nothing(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = spoil(tmp_path, COUNCILS, lambda text: text.replace("2019-04-01", "2019-13-01"))

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "mysociety-local-authorities")

    assert str(error.value) == (
        "uk_local_authorities.csv, line 4, field start-date: '2019-13-01' is not a date "
        "(YYYY-MM-DD)"
    )
    assert registry_snapshot() == registry


def test_a_duplicate_key_is_an_error_and_changes_nothing(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = spoil(tmp_path, NHS, lambda text: text + text.splitlines(keepends=True)[0])

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "nhs-trusts")

    assert (
        str(error.value) == "etr.csv, line 6, field org_code: duplicate key 'R0A' (first on line 1)"
    )
    assert registry_snapshot() == registry


def test_a_file_not_in_utf8_is_an_error_and_changes_nothing(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    path = data_dir / GOVERNMENT
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))  # ’ becomes byte 0x92

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "government-organisations")

    assert str(error.value) == (
        "govuk_organisations_with_type_and_parent.tsv, line 7: not valid UTF-8 (byte 0x92); "
        "save the file as UTF-8"
    )
    assert registry_snapshot() == registry


def test_a_row_with_missing_fields_in_a_file_without_header_is_an_error(
    tmp_path: Path, registry: dict[str, list[tuple[Any, ...]]]
) -> None:
    data_dir = spoil(tmp_path, NHS, lambda text: text.replace(',"","",""\n', "\n", 1))

    with pytest.raises(CommandError) as error:
        import_source(data_dir, "nhs-trusts")

    assert str(error.value) == "etr.csv, line 1: 24 fields where 27 were expected"
    assert registry_snapshot() == registry


def test_bad_input_in_a_later_source_stops_a_full_run_before_anything_is_written(
    tmp_path: Path,
) -> None:
    data_dir = spoil(tmp_path, NHS, lambda text: text.replace("20200930", "2020-09-30"))

    with pytest.raises(CommandError, match=r"etr.csv, line 2, field close_date: '2020-09-30'"):
        call_command("import_registry", "--data-dir", str(data_dir))

    assert registry_snapshot() == {name: [] for name in registry_snapshot()}


def test_a_failure_while_writing_leaves_the_database_as_it_was(
    monkeypatch: pytest.MonkeyPatch, registry: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    data_dir = spoil(tmp_path, COUNCILS, lambda text: text.replace("279516.0", "280001.0"))
    original = OrganisationWriter.sync_successors
    calls = 0

    def fail_halfway(self: OrganisationWriter, *args: Any, **kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 6:
            raise RuntimeError("the disk is full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(OrganisationWriter, "sync_successors", fail_halfway)

    with pytest.raises(RuntimeError):
        import_source(data_dir, "mysociety-local-authorities")

    assert registry_snapshot() == registry
    assert not ImportRun.objects.filter(status=ImportRun.Status.RUNNING).exists()
