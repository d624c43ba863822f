"""With no data directory, importers download their files; here from a local HTTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.models import ImportRun
from kitbag.registry.importers import IMPORTERS
from kitbag.registry.importers.council_websites import DigitalLandImporter, LocalLinksImporter
from kitbag.registry.importers.democracy_systems import DemocracySystemImporter
from kitbag.registry.importers.government import GovernmentOrganisationImporter
from kitbag.registry.importers.govuk_organisations import GovukOrganisationImporter
from kitbag.registry.importers.mysociety import LocalAuthorityImporter
from kitbag.registry.importers.nhs import NhsTrustImporter
from kitbag.registry.importers.police import PoliceForceImporter
from kitbag.registry.models import Organisation
from kitbag.registry.tests.fixtures import FIXTURES, serving

pytestmark = pytest.mark.django_db

DOWNLOADED = (
    LocalAuthorityImporter,
    PoliceForceImporter,
    GovernmentOrganisationImporter,
    GovukOrganisationImporter,
    NhsTrustImporter,
    LocalLinksImporter,
    DigitalLandImporter,
)


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fixture files served over HTTP at each source's remote paths, base URLs pointed there."""
    root = tmp_path / "mirror"
    for importer in DOWNLOADED:
        for spec in importer.files:
            target = root / importer.folder / spec.remote_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(FIXTURES / importer.folder / spec.name, target)
    with serving(root) as base_url:
        for importer in DOWNLOADED:
            monkeypatch.setattr(importer, "base_url", f"{base_url}{importer.folder}/")
        yield base_url


def test_without_a_data_directory_each_file_is_downloaded_from_its_address(mirror: str) -> None:
    sources = [argument for i in DOWNLOADED for argument in ("--source", i.source)]

    call_command("import_registry", "--data-dir", "", *sources, stdout=StringIO())

    assert Organisation.objects.count() == 13 + 5 + 6 + 8 + 5
    assert Organisation.objects.get(code="CMD").website == "https://www.camden.gov.uk/"
    assert ImportRun.objects.get(source="nhs-trusts").location == (
        f"{mirror}nhs_ods_trusts/data/etr.csv"
    )


def test_a_full_run_without_a_data_directory_skips_lgsf_and_says_why(mirror: str) -> None:
    err = StringIO()

    call_command("import_registry", "--data-dir", "", stdout=StringIO(), stderr=err)

    assert "democracy-systems: skipped: democracy-systems has no single public file" in (
        err.getvalue()
    )
    assert "--data-dir or KITBAG_DATA_DIR" in err.getvalue()
    assert set(ImportRun.objects.values_list("source", flat=True)) == {
        importer.source for importer in IMPORTERS if importer is not DemocracySystemImporter
    }


def test_asking_for_lgsf_without_a_data_directory_is_an_error() -> None:
    with pytest.raises(CommandError, match="no single public file to download; give a data"):
        call_command("import_registry", "--data-dir", "", "--source", "democracy-systems")


def test_a_failed_download_is_an_error_naming_the_address(
    mirror: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PoliceForceImporter, "base_url", f"{mirror}nowhere/")

    with pytest.raises(CommandError) as error:
        call_command("import_registry", "--data-dir", "", "--source", "police-forces")

    assert str(error.value).startswith(
        f"could not download {mirror}nowhere/data/police-force/police-force.tsv: HTTP 404"
    )
    assert not ImportRun.objects.exists()


def test_each_source_knows_its_canonical_public_address() -> None:
    addresses = {
        importer.source: [importer.base_url + spec.remote_path for spec in importer.files]
        for importer in DOWNLOADED
    }

    assert addresses == {
        "mysociety-local-authorities": [
            "https://raw.githubusercontent.com/mysociety/uk_local_authority_names_and_codes/main/data/uk_local_authorities.csv",
            "https://raw.githubusercontent.com/mysociety/uk_local_authority_names_and_codes/main/data/lookup_name_to_registry.csv",
            "https://raw.githubusercontent.com/mysociety/uk_local_authority_names_and_codes/main/data/lookup_gss_to_registry.csv",
        ],
        "police-forces": [
            "https://raw.githubusercontent.com/openregister/police-data/master/data/police-force/police-force.tsv",
            "https://raw.githubusercontent.com/openregister/police-data/master/lists/force.tsv",
        ],
        "government-organisations": [
            "https://raw.githubusercontent.com/openregister/government-organisation-data/master/lists/govuk/list.tsv",
            "https://raw.githubusercontent.com/openregister/government-organisation-data/master/data/government-organisation/government-organisation.tsv",
        ],
        "govuk-organisations": [
            "https://raw.githubusercontent.com/instituteforgov/govuk_organisations/88973368494b35c7ad393f94e902281e30dca40d/organisations.json",
        ],
        "nhs-trusts": [
            "https://raw.githubusercontent.com/nhsx-mirror/SystemHierarchies/0a96ef635c1607736580777f25d903d877ca74f2/data/etr.csv",
        ],
        "govuk-local-links": [
            "https://raw.githubusercontent.com/alphagov/local-links-manager/a9e5e8ed7bd9cb7269529cee8fe3df632c3c0098/data/local-authorities.csv",
        ],
        "digital-land-local-authorities": [
            "https://raw.githubusercontent.com/digital-land/organisation-collection/94533fd710fc1bb719274044e73b720e92da8f2e/data/local-authority.csv",
        ],
    }
