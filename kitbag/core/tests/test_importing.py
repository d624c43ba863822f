"""The rules of the shared reading layer, shown once over every file of every importer.

A file with no data rows, a value with NUL or another control character, and a value no field
could hold are each refused with an error naming the file (and line and field), and the import
writes nothing: no rows and no ImportRun.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kitbag.cases.importers import IMPORTERS as CASE_IMPORTERS
from kitbag.cases.models import Case
from kitbag.cases.tests.fixtures import FIXTURES as CASE_FIXTURES
from kitbag.core.importing.files import SourceError, SourceFile
from kitbag.core.models import ImportRun
from kitbag.core.text_limits import LONG_TEXT_MAX_LENGTH
from kitbag.registry.importers import IMPORTERS as REGISTRY_IMPORTERS
from kitbag.registry.importers.welsh_names import WelshNamesImporter
from kitbag.registry.models import Organisation
from kitbag.registry.tests.fixtures import FIXTURES as REGISTRY_FIXTURES
from kitbag.vocabularies.importers import IMPORTERS as VOCABULARY_IMPORTERS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.tests.fixtures import FIXTURES as VOCABULARY_FIXTURES

pytestmark = pytest.mark.django_db

# Every importer that reads files (the built-in code lists read none).
IMPORTERS: tuple[Any, ...] = tuple(
    importer
    for importer in (*REGISTRY_IMPORTERS, *VOCABULARY_IMPORTERS, *CASE_IMPORTERS)
    if importer.files
)
# Every file of every importer, main file first.
FILES = [
    pytest.param(importer, spec, id=f"{importer.source}/{spec.name}")
    for importer in IMPORTERS
    for spec in importer.files
]
MAIN_FILES = [
    pytest.param(importer, importer.files[0], id=importer.source) for importer in IMPORTERS
]
TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One writable data directory with every importer's fixture files, Welsh names included."""
    target = tmp_path / "data"
    for fixtures in (REGISTRY_FIXTURES, VOCABULARY_FIXTURES, CASE_FIXTURES):
        shutil.copytree(
            fixtures,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"),
        )
    bundled = tmp_path / "bundled"
    assert WelshNamesImporter.bundled_dir is not None
    shutil.copytree(WelshNamesImporter.bundled_dir, bundled)
    monkeypatch.setattr(WelshNamesImporter, "bundled_dir", bundled)
    return target


def path_of(importer: Any, spec: SourceFile, data_dir: Path) -> Path:
    return Path(importer(data_dir=data_dir).location_of(spec))


def database() -> dict[str, int]:
    return {
        "import runs": ImportRun.objects.count(),
        "organisations": Organisation.objects.count(),
        "codes": Code.objects.count(),
        "cases": Case.objects.count(),
    }


def assert_refused(importer: Any, data_dir: Path, message: str) -> None:
    before = database()
    with pytest.raises(SourceError) as refused:
        importer(data_dir=data_dir).run()
    assert str(refused.value) == message
    assert database() == before


def spoil_first_value(path: Path, spec: SourceFile, change: Callable[[str], str]) -> str:
    """Change the first value of the first data row; returns its column."""
    if spec.name.endswith(".json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        first = document[0] if isinstance(document, list) else document["records"][0]
        column = next(iter(first))
        first[column] = change(first[column])
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return column
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = 0 if spec.positional else 1
    line = lines[row]
    quoted = line.startswith('"')
    end = line.index('"', 1) if quoted else line.index(spec.delimiter)
    start = 1 if quoted else 0
    lines[row] = line[:start] + change(line[start:end]) + line[end:]
    path.write_text("".join(lines), encoding="utf-8")
    return spec.positional[0] if spec.positional else lines[0].split(spec.delimiter)[0].strip()


def first_record_line(spec: SourceFile, path: Path) -> int:
    if spec.name.endswith(".json"):
        text = path.read_text(encoding="utf-8")
        start = 0 if text.lstrip().startswith("[") else text.index('"records"')
        return text[: text.index("{", start)].count("\n") + 1
    return 1 if spec.positional else 2


# Empty files


@pytest.mark.parametrize(("importer", "spec"), FILES)
def test_a_file_of_zero_bytes_is_refused_naming_the_file(
    importer: Any, spec: SourceFile, data_dir: Path
) -> None:
    path_of(importer, spec, data_dir).write_bytes(b"")

    assert_refused(importer, data_dir, f"{spec.name}: the file is empty")


@pytest.mark.parametrize(("importer", "spec"), FILES)
def test_a_file_with_no_data_rows_is_refused_naming_the_file(
    importer: Any, spec: SourceFile, data_dir: Path
) -> None:
    path = path_of(importer, spec, data_dir)
    if spec.name.endswith(".json") and not importer.list_key:  # the document is the list
        path.write_text("[]", encoding="utf-8")
        message = "the file has no records in its list; there is nothing to import"
    elif spec.name.endswith(".json"):
        path.write_text(json.dumps({"meta": {}, "records": []}), encoding="utf-8")
        message = 'the file has no records in its "records" list; there is nothing to import'
    elif spec.positional:
        path.write_text("\n\n", encoding="utf-8")  # no header to keep: blank lines only
        message = "the file is empty"
    else:
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
        message = "the file has no data rows; there is nothing to import"

    assert_refused(importer, data_dir, f"{spec.name}: {message}")


# Values no field can store


@pytest.mark.parametrize(("importer", "spec"), MAIN_FILES)
@pytest.mark.parametrize(
    ("character", "name"), [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x7f", "U+007F")]
)
def test_a_control_character_in_a_value_is_refused_naming_file_line_and_field(
    importer: Any, spec: SourceFile, data_dir: Path, character: str, name: str
) -> None:
    path = path_of(importer, spec, data_dir)
    column = spoil_first_value(path, spec, lambda value: value[:1] + character + value[1:])

    assert_refused(
        importer,
        data_dir,
        f"{spec.name}, line {first_record_line(spec, path)}, field {column}: the value contains "
        f"the control character {name} at character 2",
    )


@pytest.mark.parametrize(("importer", "spec"), MAIN_FILES)
def test_a_value_of_ten_megabytes_is_refused_naming_file_line_and_field(
    importer: Any, spec: SourceFile, data_dir: Path
) -> None:
    path = path_of(importer, spec, data_dir)
    column = spoil_first_value(path, spec, lambda value: value + "x" * TEN_MEGABYTES)

    with pytest.raises(SourceError) as refused:
        importer(data_dir=data_dir).run()

    assert str(refused.value).startswith(
        f"{spec.name}, line {first_record_line(spec, path)}, field {column}: the value is "
    )
    assert str(refused.value).endswith(f"; the most it can be is {LONG_TEXT_MAX_LENGTH:,}")
    assert database()["import runs"] == 0
