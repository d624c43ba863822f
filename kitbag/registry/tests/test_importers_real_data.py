"""The importers on the real open data in KITBAG_DATA_DIR, imported once for this module."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun
from kitbag.registry import resolver
from kitbag.registry.importers import IMPORTERS
from kitbag.registry.models import IdentifierScheme, Organisation, OrganisationKind

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def reports(
    django_db_setup: None, django_db_blocker: Any, real_data_dir: Path
) -> Iterator[dict[str, ImportReport]]:
    # Imported outside the tests' transactions so it is done once; removed at the end so the
    # other test modules find the empty database they expect.
    with django_db_blocker.unblock():
        imported = {i.source: i(data_dir=real_data_dir).run() for i in IMPORTERS}
    yield imported
    with django_db_blocker.unblock():
        Organisation.objects.all().delete()
        ImportRun.objects.all().delete()


def by_code(kind: str, code: str) -> Organisation:
    return Organisation.objects.get(kind=kind, code=code)


def test_the_real_data_gives_470_local_authorities_of_which_397_are_current(
    reports: dict[str, ImportReport],
) -> None:
    assert reports["mysociety-local-authorities"].created == 470
    assert Organisation.objects.councils().count() == 470
    assert Organisation.objects.councils().current().count() == 397


def test_the_real_data_gives_44_police_forces_and_218_nhs_trusts(
    reports: dict[str, ImportReport],
) -> None:
    assert Organisation.objects.of_kind(OrganisationKind.POLICE_FORCE).count() == 44
    assert Organisation.objects.of_kind(OrganisationKind.NHS_TRUST).count() == 218
    nations = Organisation.objects.of_kind(OrganisationKind.POLICE_FORCE).values_list(
        "nation", flat=True
    )
    assert sorted(set(nations)) == ["England", "Northern Ireland", "Wales"]
    assert list(nations).count("Wales") == 4


def test_every_govuk_organisation_in_the_2017_list_is_imported_with_those_since(
    reports: dict[str, ImportReport], real_data_dir: Path
) -> None:
    path = (
        real_data_dir
        / "openregister_government_organisations"
        / "govuk_organisations_with_type_and_parent.tsv"
    )
    with path.open(encoding="utf-8", newline="") as file:
        listed = {row["govuk"] for row in csv.DictReader(file, delimiter="\t")}

    imported = set(
        Organisation.objects.of_kind(OrganisationKind.CENTRAL_GOVERNMENT).values_list(
            "code", flat=True
        )
    )
    assert len(listed) == 1016
    assert listed <= imported
    # GOV.UK's organisations API adds the 1,262 - 1,010 bodies the 2017 list does not have.
    assert reports["govuk-organisations"].created == 252
    central = Organisation.objects.of_kind(OrganisationKind.CENTRAL_GOVERNMENT)
    assert central.count() == 1016 + 252


def test_a_second_import_of_the_real_data_creates_and_updates_nothing(
    reports: dict[str, ImportReport], real_data_dir: Path
) -> None:
    out = StringIO()

    call_command("import_registry", "--data-dir", str(real_data_dir), stdout=out)

    lines = [line for line in out.getvalue().splitlines() if not line.startswith("  ")]
    # One line per source, and one for the organisations' search documents, which come last
    # (the fixture imported without the command, so they are written here the first time; that
    # a second sync writes nothing is in test_search_documents.py).
    *summaries, search = lines
    assert len(summaries) == len(IMPORTERS)
    assert all(" 0 created, 0 updated," in line for line in summaries), summaries
    assert search.startswith("search: organisations "), search


def test_camden_has_code_cmd_and_gss_e09000007(reports: dict[str, ImportReport]) -> None:
    camden = Organisation.objects.get(slug="camden")

    assert camden.code == "CMD"
    assert camden.identifiers.get(scheme=IdentifierScheme.GSS).value == "E09000007"


def test_poole_is_abolished_with_bournemouth_christchurch_and_poole_as_successor(
    reports: dict[str, ImportReport],
) -> None:
    poole = by_code(OrganisationKind.LOCAL_AUTHORITY, "POL")

    assert not poole.is_current
    assert poole.end_date == dt.date(2019, 3, 31)
    assert [s.code for s in poole.successors.all()] == ["BPC"]


def test_a_district_has_its_county_as_parent(reports: dict[str, ImportReport]) -> None:
    mid_devon = by_code(OrganisationKind.LOCAL_AUTHORITY, "MDE")

    assert [(link.parent.code, link.relation) for link in mid_devon.parent_links.all()] == [
        ("DEV", "county")
    ]


def test_lgsf_rows_that_match_no_council_are_reported(reports: dict[str, ImportReport]) -> None:
    rejections = "\n".join(reports["democracy-systems"].rejections)

    assert "no council with local-authority-code 'london'" in rejections
    assert "no council with local-authority-code 'LND-alder'" in rejections
    assert "no council with local-authority-code 'north-northamptonshire'" in rejections
    assert by_code(OrganisationKind.LOCAL_AUTHORITY, "CMD").democracy_cms == "ModernGov"


def test_every_welsh_council_gets_its_welsh_names(reports: dict[str, ImportReport]) -> None:
    assert (reports["welsh-names"].updated, reports["welsh-names"].rejected) == (22, 0)
    cardiff = by_code(OrganisationKind.LOCAL_AUTHORITY, "CRF")
    assert cardiff.names.get(language="cy", is_official=True).name == "Cyngor Caerdydd"


def test_mis_encoded_aliases_in_the_real_data_are_left_out(
    reports: dict[str, ImportReport],
) -> None:
    names = Organisation.objects.filter(names__name__contains="ï").values_list("code", flat=True)

    assert list(names) == []
    assert len(reports["mysociety-local-authorities"].skipped) == 2


def test_slugs_are_readable(reports: dict[str, ImportReport]) -> None:
    slugs = set(Organisation.objects.values_list("slug", flat=True))

    assert {"camden", "bristol", "metropolitan-police-service", "cabinet-office"} <= slugs
    assert {"somerset", "somerset-2023", "north-yorkshire", "north-yorkshire-2023"} <= slugs


# The newer sources: GOV.UK's organisations API, Local Links Manager, digital-land


@pytest.mark.parametrize(
    ("acronym", "code"),
    [
        ("DSIT", "department-for-science-innovation-and-technology"),
        ("DESNZ", "department-for-energy-security-and-net-zero"),
        ("DBT", "department-for-business-and-trade"),
        ("MHCLG", "ministry-of-housing-communities-local-government"),
        ("FCDO", "foreign-commonwealth-development-office"),
    ],
)
def test_the_departments_officers_name_today_resolve(
    reports: dict[str, ImportReport], acronym: str, code: str
) -> None:
    match = resolver.resolve_name(acronym).best

    assert match is not None
    assert (match.code, match.kind) == (code, OrganisationKind.CENTRAL_GOVERNMENT)


def test_a_split_department_is_closed_and_kept_with_its_successors(
    reports: dict[str, ImportReport],
) -> None:
    beis = by_code(
        OrganisationKind.CENTRAL_GOVERNMENT,
        "department-for-business-energy-and-industrial-strategy",
    )

    assert not beis.is_current
    assert set(beis.successors.values_list("code", flat=True)) == {
        "department-for-energy-security-and-net-zero",
        "department-for-science-innovation-and-technology",
        "department-for-business-and-trade",
    }


def test_the_2017_register_s_bodies_are_not_imported_twice(
    reports: dict[str, ImportReport],
) -> None:
    register_ids = Organisation.objects.filter(
        identifiers__scheme=IdentifierScheme.GOVERNMENT_ORGANISATION
    )

    assert register_ids.count() == register_ids.distinct().count() == 1016 + 252
    assert reports["govuk-organisations"].rejected == 0


def test_every_current_council_has_a_website_but_the_2025_combined_authorities(
    reports: dict[str, ImportReport],
) -> None:
    without = Organisation.objects.councils().current().filter(website="")

    assert reports["govuk-local-links"].rejected == 0
    assert sorted(without.values_list("code", flat=True)) == ["GLCA", "HYCA"]
    assert (
        by_code(OrganisationKind.LOCAL_AUTHORITY, "SMT").website == "https://www.somerset.gov.uk/"
    )
    assert by_code(OrganisationKind.LOCAL_AUTHORITY, "GLA").website == "https://www.london.gov.uk"


def test_the_organisation_page_and_the_api_show_the_website(
    reports: dict[str, ImportReport], client: Any
) -> None:
    camden = by_code(OrganisationKind.LOCAL_AUTHORITY, "CMD")
    dsit = by_code(
        OrganisationKind.CENTRAL_GOVERNMENT, "department-for-science-innovation-and-technology"
    )

    for body in (camden, dsit):
        assert body.website
        html = client.get(body.get_absolute_url()).content.decode()
        assert f'href="{body.website}"' in html
        api = client.get(f"/api/v1/organisations/{body.slug}").json()
        assert api["website"] == body.website
