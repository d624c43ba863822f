"""With no data directory, the LGSL files are downloaded; here from a local HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.models import ImportRun
from kitbag.registry.tests.fixtures import serving
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.tests.fixtures import FIXTURES, FOLDER, vocabulary_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fixture files served over HTTP at their remote paths, the base URL pointed there."""
    root = tmp_path / "mirror"
    root.mkdir()
    for spec in LgslImporter.files:
        shutil.copy(FIXTURES / FOLDER / spec.name, root / spec.remote_path)
    with serving(root) as base_url:
        monkeypatch.setattr(LgslImporter, "base_url", base_url)
        yield base_url


def test_without_a_data_directory_the_files_are_downloaded_from_their_address(
    mirror: str,
) -> None:
    call_command("import_vocabularies", "--data-dir", "", stdout=StringIO())

    assert Code.objects.in_list("lgsl-services").count() == 5
    assert Code.objects.in_list("lgsl-functions").count() == 5
    assert ImportRun.objects.get(source="lgsl").location == f"{mirror}services.csv"


def test_a_failed_download_is_an_error_naming_the_address_and_changes_nothing(
    mirror: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LgslImporter, "base_url", f"{mirror}nowhere/")

    with pytest.raises(CommandError) as error:
        call_command("import_vocabularies", "--data-dir", "")

    assert str(error.value).startswith(f"could not download {mirror}nowhere/services.csv: HTTP 404")
    assert vocabulary_snapshot() == {"CodeList": [], "Code": [], "ImportRun": []}


def test_the_canonical_address_is_the_pinned_ckanext_esdstandards_data() -> None:
    base = (
        "https://raw.githubusercontent.com/movermeyer/ckanext-esdstandards/"
        "0133a969e8f78c569da0236c017a84ec9a6e774e/ckanext-esdstandards-data/"
    )

    assert [LgslImporter.base_url + spec.remote_path for spec in LgslImporter.files] == [
        f"{base}services.csv",
        f"{base}functions.csv",
    ]
