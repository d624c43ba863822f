"""The base import command and the import task, with made-up sources (fixture_importers.py)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.background import run_in_background
from kitbag.core.models import ImportRun
from kitbag.core.tasks import run_import
from kitbag.core.tests.fixture_importers import Command, colours_csv, kept, write_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    write_source(tmp_path, "colours", "colours.csv", colours_csv("red,Red", "blue,Blue"))
    write_source(tmp_path, "shades", "shades.json", '[{"slug": "teal", "name": "Teal"}]')
    write_source(tmp_path, "palette", "colours.csv", colours_csv("black,Black"))
    return tmp_path


def run(*arguments: str) -> str:
    out = StringIO()
    call_command(Command(), *arguments, stdout=out, stderr=out)
    return out.getvalue()


def summaries(output: str) -> list[str]:
    return [line.split(" (")[0] for line in output.splitlines() if not line.startswith("  ")]


def test_the_command_imports_every_source_in_order_and_prints_one_line_each(
    data_dir: Path,
) -> None:
    output = run("--data-dir", str(data_dir))

    assert summaries(output) == [
        "colours: 2 rows read, 2 created, 0 updated, 0 unchanged, 0 rejected",
        "shades: 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected",
        "palette: 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected",
    ]
    assert list(ImportRun.objects.order_by("started_at").values_list("source", flat=True)) == [
        "colours",
        "shades",
        "palette",
    ]


def test_a_second_run_of_the_command_changes_nothing(data_dir: Path) -> None:
    run("--data-dir", str(data_dir))
    before = kept()

    output = run("--data-dir", str(data_dir))

    assert kept() == before
    assert all(" 0 created, 0 updated," in line for line in summaries(output))


def test_source_picks_one(data_dir: Path) -> None:
    output = run("--data-dir", str(data_dir), "--source", "shades")

    assert summaries(output) == [
        "shades: 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected"
    ]
    assert kept() == {"teal": "Teal"}


def test_source_must_be_one_of_the_commands_importers(data_dir: Path) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'nhs-trusts'"):
        run("--data-dir", str(data_dir), "--source", "nhs-trusts")


def test_unless_imported_skips_a_source_with_a_successful_import_but_not_one_loaded_every_run(
    data_dir: Path,
) -> None:
    run("--data-dir", str(data_dir), "--source", "colours", "--source", "palette")

    output = run("--data-dir", str(data_dir), "--unless-imported")

    assert "colours: already imported on" in output
    assert summaries(output)[1:] == [
        "shades: 1 rows read, 1 created, 0 updated, 0 unchanged, 0 rejected",
        "palette: 1 rows read, 0 created, 0 updated, 1 unchanged, 0 rejected",
    ]
    assert ImportRun.objects.filter(source="colours").count() == 1
    assert ImportRun.objects.filter(source="palette").count() == 2


def test_bad_input_is_a_command_error_naming_file_line_and_field_and_nothing_is_written(
    data_dir: Path,
) -> None:
    # The last source is the bad one: every source is read before any is written.
    write_source(data_dir, "palette", "colours.csv", colours_csv("black,Black", "grey,"))

    with pytest.raises(CommandError) as error:
        run("--data-dir", str(data_dir))

    assert str(error.value) == "colours.csv, line 3, field name: a value is required"
    assert error.value.returncode == 1  # the exit status from the command line
    assert kept() == {}
    assert not ImportRun.objects.exists()


def test_rejections_are_listed_up_to_ten_and_all_with_verbosity_2(data_dir: Path) -> None:
    rows = [f"ghost-{n},invisible" for n in range(12)]
    write_source(data_dir, "colours", "colours.csv", colours_csv(*rows))

    output = run("--data-dir", str(data_dir), "--source", "colours")
    everything = run("--data-dir", str(data_dir), "--source", "colours", "-v", "2")

    assert summaries(output) == [
        "colours: 12 rows read, 0 created, 0 updated, 0 unchanged, 12 rejected"
    ]
    assert "  rejected: colours.csv, line 2: ghost-0 cannot be seen" in output.splitlines()
    assert len([line for line in output.splitlines() if line.startswith("  rejected:")]) == 10
    assert (
        "  ... and 2 more rejected (all 12 are in the import record; -v 2 lists them here)"
        in output.splitlines()
    )
    assert len([line for line in everything.splitlines() if line.startswith("  rejected:")]) == 12
    assert len(ImportRun.objects.latest().messages) == 12


def test_a_full_run_without_a_data_directory_skips_a_source_it_cannot_download(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kitbag.core.importing import importer

    monkeypatch.setattr(importer, "fetch", lambda url: colours_csv("red,Red").encode())

    output = run("--data-dir", "")

    assert "shades: skipped: shades has no single public file to download" in output
    imported = [line.split(":")[0] for line in summaries(output) if "rows read" in line]
    assert imported == ["colours", "palette"]
    assert set(ImportRun.objects.values_list("source", flat=True)) == {"colours", "palette"}


def test_asking_for_a_source_that_cannot_be_downloaded_is_an_error() -> None:
    with pytest.raises(CommandError, match="^shades has no single public file to download"):
        run("--data-dir", "", "--source", "shades")


def test_a_data_directory_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="the data directory .* does not exist"):
        run("--data-dir", str(tmp_path / "nowhere"))


# The one task that runs an import command on a worker


def test_the_import_task_runs_an_apps_import_command_and_returns_what_it_printed(
    data_dir: Path,
) -> None:
    summary = run_in_background(
        run_import,
        command="import_vocabularies",
        data_dir=str(data_dir),
        sources=["built-in-lists"],
    ).wait()

    assert summary.startswith("built-in lists: ")
    assert ImportRun.objects.get().source == "built-in-lists"


def test_the_import_task_runs_only_import_commands() -> None:
    with pytest.raises(ValueError, match="'flush' is not an import command"):
        run_in_background(run_import, command="flush")
    with pytest.raises(ValueError, match="'no_such_command' is not an import command"):
        run_in_background(run_import, command="no_such_command")
