"""Councils' websites from GOV.UK Local Links Manager and digital-land, on small fixture files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.core.sources import DATA_SOURCES
from kitbag.registry.importers.council_websites import DigitalLandImporter, LocalLinksImporter
from kitbag.registry.importers.mysociety import LocalAuthorityImporter
from kitbag.registry.models import IdentifierScheme, Organisation
from kitbag.registry.tests.fixtures import FIXTURES, copy_of_fixtures, registry_snapshot

pytestmark = pytest.mark.django_db

LOCAL_LINKS = Path("govuk_local_links_manager_councils") / "local-authorities.csv"
DIGITAL_LAND = Path("digital_land_local_authorities") / "local-authority.csv"


def run(importer: type[Importer[Any]], data_dir: Path = FIXTURES) -> ImportReport:
    return importer(data_dir=data_dir).run()


def website(code: str) -> str:
    return Organisation.objects.get(
        identifiers__scheme=IdentifierScheme.LOCAL_AUTHORITY_CODE, identifiers__value=code
    ).website


@pytest.fixture
def councils() -> None:
    run(LocalAuthorityImporter)


# GOV.UK Local Links Manager


@pytest.mark.usefixtures("councils")
def test_local_links_gives_councils_their_homepage_by_gss_code() -> None:
    report = run(LocalLinksImporter)

    assert (report.rows_read, report.created, report.updated, report.unchanged) == (8, 0, 7, 0)
    assert website("CMD") == "https://www.camden.gov.uk/"
    assert website("CRF") == "http://www.cardiff.gov.uk/"
    assert website("ABC") == "https://www.armaghbanbridgecraigavon.gov.uk/"


@pytest.mark.usefixtures("councils")
def test_a_gss_code_the_registry_does_not_know_is_matched_on_the_govuk_slug() -> None:
    run(LocalLinksImporter)

    assert website("GLG") == "https://www.glasgow.gov.uk/"


@pytest.mark.usefixtures("councils")
def test_a_row_under_an_abolished_council_s_code_goes_to_its_one_current_successor() -> None:
    run(LocalLinksImporter)

    assert website("SMT") == "http://www.somerset.gov.uk/"
    assert website("SOM") == ""


@pytest.mark.usefixtures("councils")
def test_a_council_the_registry_lacks_is_rejected_with_why() -> None:
    report = run(LocalLinksImporter)

    assert report.rejections == [
        "local-authorities.csv, line 9: Nowhere Council: no council with GSS code 'E06000999' or "
        "govuk-slug 'nowhere'"
    ]
    assert not Organisation.objects.filter(name="Nowhere Council").exists()


@pytest.mark.usefixtures("councils")
def test_local_links_run_twice_reports_every_row_unchanged() -> None:
    run(LocalLinksImporter)
    before = registry_snapshot()
    del before["ImportRun"]

    again = run(LocalLinksImporter)

    assert (again.updated, again.unchanged, again.rejected) == (0, 7, 1)
    after = registry_snapshot()
    del after["ImportRun"]
    assert after == before


# digital-land


@pytest.mark.usefixtures("councils")
def test_digital_land_fills_blank_websites_and_never_overwrites_local_links() -> None:
    run(LocalLinksImporter)

    report = run(DigitalLandImporter)

    assert (report.rows_read, report.updated, report.unchanged, report.rejected) == (8, 4, 2, 2)
    assert website("GLA") == "https://www.london.gov.uk"  # a combined authority Local Links lacks
    assert website("BPC") == "https://www.bcpcouncil.gov.uk"  # no gov-uk-slug at mySociety
    assert website("SOM") == "https://www.somerset.gov.uk"  # the abolished county
    assert website("CMD") == "https://www.camden.gov.uk/"  # Local Links', not digital-land's
    assert website("POL") == ""  # no website given


@pytest.mark.usefixtures("councils")
def test_the_same_site_is_kept_at_https_whichever_source_gives_it() -> None:
    run(LocalLinksImporter)
    assert website("SMT") == "http://www.somerset.gov.uk/"

    run(DigitalLandImporter)
    assert website("SMT") == "https://www.somerset.gov.uk"

    again = run(LocalLinksImporter)
    assert website("SMT") == "https://www.somerset.gov.uk"
    assert again.updated == 0


@pytest.mark.usefixtures("councils")
def test_digital_land_rejects_unknown_and_shared_codes_with_why() -> None:
    report = run(DigitalLandImporter)

    assert report.rejections == [
        "local-authority.csv, line 8: Imaginary Combined Authority: no council with GSS code "
        "'E47000099' or local-authority-code 'ICA'",
        "local-authority.csv, line 9: Shared Code Authority: Greater London Authority is already "
        "given by line 3",
    ]


@pytest.mark.usefixtures("councils")
def test_both_sources_in_the_command_twice_report_all_unchanged() -> None:
    sources = ["govuk-local-links", "digital-land-local-authorities"]
    call_command("import_registry", data_dir=str(FIXTURES), source=sources, stdout=StringIO())
    out = StringIO()

    call_command("import_registry", data_dir=str(FIXTURES), source=sources, stdout=out)

    assert "govuk-local-links: 8 rows read, 0 created, 0 updated, 7 unchanged" in out.getvalue()
    assert (
        "digital-land-local-authorities: 8 rows read, 0 created, 0 updated, 6 unchanged"
        in out.getvalue()
    )


def test_each_source_is_credited_with_its_licence() -> None:
    credited = {source.name: source for source in DATA_SOURCES}

    assert credited["govuk-local-links"].licence == "MIT"
    assert credited["digital-land-local-authorities"].licence == "Open Government Licence v3.0"


# Bad input: file, line and field, and nothing written


@pytest.mark.parametrize(
    ("importer", "file", "old", "new", "message"),
    [
        (
            LocalLinksImporter,
            LOCAL_LINKS,
            "https://www.camden.gov.uk/",
            "camden.gov.uk",
            "local-authorities.csv, line 2, field homepage_url: 'camden.gov.uk' is not a web "
            "address",
        ),
        (
            LocalLinksImporter,
            LOCAL_LINKS,
            "W06000015",
            "E09000007",
            "local-authorities.csv, line 3, field gss: duplicate key 'E09000007' (first on line 2)",
        ),
        (
            LocalLinksImporter,
            LOCAL_LINKS,
            ",glasgow,",
            ",camden,",
            "local-authorities.csv, line 4, field slug: duplicate key 'camden' (first on line 2)",
        ),
        (
            DigitalLandImporter,
            DIGITAL_LAND,
            "2023-03-31",
            "2023-31-03",
            "local-authority.csv, line 4, field end-date: '2023-31-03' is not a date (YYYY-MM-DD)",
        ),
        (
            DigitalLandImporter,
            DIGITAL_LAND,
            "https://www.london.gov.uk",
            "www london",
            "local-authority.csv, line 3, field website: 'www london' is not a web address",
        ),
    ],
)
@pytest.mark.usefixtures("councils")
def test_bad_input_names_file_line_and_field_and_changes_nothing(
    tmp_path: Path, importer: type[Importer[Any]], file: Path, old: str, new: str, message: str
) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    path = data_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = registry_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_registry", data_dir=str(data_dir), source=[importer.source], stdout=StringIO()
        )

    assert str(refused.value) == message
    assert registry_snapshot() == before


@pytest.mark.usefixtures("councils")
def test_a_missing_column_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    path = data_dir / LOCAL_LINKS
    path.write_text(path.read_text(encoding="utf-8").replace("homepage_url", "homepage"), "utf-8")
    before = registry_snapshot()

    with pytest.raises(
        CommandError, match="local-authorities.csv, line 1: missing column homepage_url"
    ):
        call_command(
            "import_registry",
            data_dir=str(data_dir),
            source=["govuk-local-links"],
            stdout=StringIO(),
        )
    assert registry_snapshot() == before
