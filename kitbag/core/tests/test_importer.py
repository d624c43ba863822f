"""The base importer and its source formats, on small made-up sources (fixture_importers.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kitbag.core.importing import importer as importer_module
from kitbag.core.importing.files import SourceError, SourceUnavailable
from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun
from kitbag.core.tests.fixture_importers import (
    ColourImporter,
    ShadeImporter,
    TonedColourImporter,
    WrappedShadeImporter,
    colours_csv,
    kept,
    write_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    write_source(tmp_path, "colours", "colours.csv", colours_csv("red,Red", "blue,Blue"))
    write_source(tmp_path, "colours", "tones.tsv", "slug\ttone\nred\tWarm\nblue\tCool\n")
    return tmp_path


def shades(*records: dict[str, Any]) -> str:
    return json.dumps(list(records), indent=2)


# Reading: everything is checked before anything is written


def test_a_file_that_fails_on_line_3_writes_nothing_and_names_file_line_and_field(
    data_dir: Path,
) -> None:
    write_source(data_dir, "colours", "colours.csv", colours_csv("red,Red", "blue,", "green,Green"))

    with pytest.raises(SourceError) as refused:
        ColourImporter(data_dir=data_dir).run()

    assert str(refused.value) == "colours.csv, line 3, field name: a value is required"
    assert (refused.value.file, refused.value.line, refused.value.field) == (
        "colours.csv",
        3,
        "name",
    )
    assert kept() == {}
    assert not ImportRun.objects.exists()


def test_every_file_is_checked_before_any_record_is_made(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []
    monkeypatch.setattr(TonedColourImporter, "records", lambda self, tables: made.append(tables))
    write_source(data_dir, "colours", "tones.tsv", "slug,tone\nred,Warm\n")

    with pytest.raises(SourceError, match=r"^tones.tsv, line 1: missing columns slug, tone; "):
        TonedColourImporter(data_dir=data_dir).read()
    assert made == []


def test_a_source_with_several_files_makes_its_records_from_all_of_them(data_dir: Path) -> None:
    report = TonedColourImporter(data_dir=data_dir).run()

    assert kept() == {"blue": "Cool Blue", "red": "Warm Red"}
    assert report.rows_read == 2


def test_check_refuses_a_record_before_anything_is_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse_blue(self: ColourImporter, record: Any) -> None:
        if record.slug == "blue":
            raise SourceError("too blue", file=record.file, line=record.line, field="name")

    monkeypatch.setattr(ColourImporter, "check", refuse_blue)

    with pytest.raises(SourceError, match=r"^colours.csv, line 3, field name: too blue$"):
        ColourImporter(data_dir=data_dir).run()
    assert kept() == {}


# Writing: one transaction per source, with its ImportRun


def test_an_import_is_recorded_with_its_counts_and_location(data_dir: Path) -> None:
    report = ColourImporter(data_dir=data_dir).run()

    run = ImportRun.objects.get()
    assert (run.source, run.status) == ("colours", ImportRun.Status.SUCCEEDED)
    assert run.location == str(data_dir / "colours" / "colours.csv")
    assert (run.rows_read, run.created, run.updated, run.unchanged, run.rejected) == (2, 2, 0, 0, 0)
    assert report.summary() == (
        "colours: 2 rows read, 2 created, 0 updated, 0 unchanged, 0 rejected"
    )


def test_a_second_run_reports_everything_unchanged(data_dir: Path) -> None:
    ColourImporter(data_dir=data_dir).run()

    second = ColourImporter(data_dir=data_dir).run()

    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 2, 0)
    assert kept() == {"blue": "Blue", "red": "Red"}
    assert ImportRun.objects.count() == 2


def test_the_report_counts_created_updated_unchanged_and_rejected_with_reasons(
    data_dir: Path,
) -> None:
    ColourImporter(data_dir=data_dir).run()
    write_source(
        data_dir,
        "colours",
        "colours.csv",
        colours_csv("red,Red", "blue,Navy", "green,Green", "ghost,invisible"),
    )

    report = ColourImporter(data_dir=data_dir).run()

    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 1, 1, 1)
    assert report.rejections == ["colours.csv, line 5: ghost cannot be seen"]
    run = ImportRun.objects.latest()
    assert (run.rows_read, run.created, run.updated, run.unchanged, run.rejected) == (4, 1, 1, 1, 1)
    assert run.messages == ["rejected: colours.csv, line 5: ghost cannot be seen"]


def test_a_failure_while_writing_leaves_the_database_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ColourImporter(data_dir=data_dir).run()
    before = kept()
    write_source(data_dir, "colours", "colours.csv", colours_csv("red,Crimson", "blue,Navy"))
    original = ColourImporter.upsert

    def fail_on_blue(self: ColourImporter, record: Any, report: ImportReport) -> None:
        if record.slug == "blue":
            raise RuntimeError("the disk is full")
        original(self, record, report)

    monkeypatch.setattr(ColourImporter, "upsert", fail_on_blue)

    with pytest.raises(RuntimeError):
        ColourImporter(data_dir=data_dir).run()

    assert kept() == before  # red was updated, then rolled back
    assert ImportRun.objects.count() == 1


def test_after_write_runs_in_the_same_transaction(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []

    def after_write(self: ColourImporter, report: ImportReport) -> None:
        seen.append((report.created, ImportRun.objects.filter(status="succeeded").count()))
        raise RuntimeError("the index could not be invalidated")

    monkeypatch.setattr(ColourImporter, "after_write", after_write)

    with pytest.raises(RuntimeError):
        ColourImporter(data_dir=data_dir).run()

    assert seen == [(2, 0)]  # every record written, the ImportRun not yet finished
    assert kept() == {}
    assert not ImportRun.objects.exists()


# Where the files come from


def test_without_a_data_directory_each_file_is_downloaded_from_its_public_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return colours_csv("red,Red").encode()

    monkeypatch.setattr(importer_module, "fetch", fetch)

    report = ColourImporter(data_dir=None).run()

    assert asked == ["https://colours.example/data/colours.csv"]
    assert report.location == "https://colours.example/data/colours.csv"
    assert kept() == {"red": "Red"}


def test_a_source_with_no_public_file_needs_a_data_directory() -> None:
    with pytest.raises(SourceUnavailable, match="shades has no single public file to download"):
        ShadeImporter(data_dir=None).read()


def test_a_bundled_file_is_read_from_kitbag_whatever_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundled"
    write_source(bundled, "", "colours.csv", colours_csv("white,White"))
    monkeypatch.setattr(ColourImporter, "bundled_dir", bundled)

    ColourImporter(data_dir=tmp_path / "elsewhere").run()
    ColourImporter(data_dir=None).run()

    assert kept() == {"white": "White"}
    assert ImportRun.objects.latest().location == str(bundled / "colours.csv")


def test_a_progress_bar_goes_to_stderr_only_when_asked_for(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ColourImporter(data_dir=data_dir).run()
    assert capsys.readouterr().err == ""

    ColourImporter(data_dir=data_dir, progress=True).run()

    captured = capsys.readouterr()
    assert "colours" in captured.err
    assert captured.out == ""


# JSON records


@pytest.mark.parametrize(
    ("importer", "document"),
    [
        pytest.param(ShadeImporter, shades, id="a-list"),
        pytest.param(
            WrappedShadeImporter,
            lambda *records: json.dumps({"meta": {}, "shades": list(records)}, indent=2),
            id="a-list-in-an-object",
        ),
    ],
)
def test_a_json_source_is_a_list_of_records_or_a_list_under_a_key(
    tmp_path: Path, importer: type[ShadeImporter], document: Any
) -> None:
    text = document({"slug": "teal", "name": "Teal"}, {"slug": "plum", "name": "Plum"})
    write_source(tmp_path, "shades", "shades.json", text)

    report = importer(data_dir=tmp_path).run()

    assert kept() == {"plum": "Plum", "teal": "Teal"}
    assert report.created == 2


def test_a_bad_json_record_names_the_line_it_starts_on_and_the_field(tmp_path: Path) -> None:
    write_source(
        tmp_path, "shades", "shades.json", shades({"slug": "teal", "name": "Teal"}, {"slug": "x"})
    )

    with pytest.raises(SourceError) as refused:
        ShadeImporter(data_dir=tmp_path).run()

    assert str(refused.value) == "shades.json, line 6, field name: a name is required"
    assert not ImportRun.objects.exists()


def test_two_json_records_with_the_same_key_are_refused(tmp_path: Path) -> None:
    write_source(
        tmp_path,
        "shades",
        "shades.json",
        shades({"slug": "teal", "name": "Teal"}, {"slug": "teal", "name": "Dark teal"}),
    )

    with pytest.raises(SourceError) as refused:
        ShadeImporter(data_dir=tmp_path).run()

    assert str(refused.value) == (
        "shades.json, line 6, field slug: duplicate record 'teal' (first on line 2)"
    )


def test_an_object_where_a_list_of_records_is_expected_is_refused(tmp_path: Path) -> None:
    write_source(tmp_path, "shades", "shades.json", json.dumps({"shades": []}))

    with pytest.raises(SourceError, match=r"^shades.json: the file must be a list of records$"):
        ShadeImporter(data_dir=tmp_path).run()


def test_an_empty_list_of_records_is_refused(tmp_path: Path) -> None:
    write_source(tmp_path, "shades", "shades.json", "[]")

    with pytest.raises(SourceError) as refused:
        ShadeImporter(data_dir=tmp_path).run()

    assert str(refused.value) == (
        "shades.json: the file has no records in its list; there is nothing to import"
    )
