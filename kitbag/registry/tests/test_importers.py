"""The registry importers on small fixture files: what each source maps, and re-import behaviour."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun
from kitbag.core.sources import DATA_SOURCES
from kitbag.registry import resolver
from kitbag.registry.importers import IMPORTERS
from kitbag.registry.importers.democracy_systems import DemocracySystemImporter
from kitbag.registry.importers.government import GovernmentOrganisationImporter
from kitbag.registry.importers.mysociety import LocalAuthorityImporter
from kitbag.registry.importers.nhs import NhsTrustImporter
from kitbag.registry.importers.police import PoliceForceImporter
from kitbag.registry.importers.welsh_names import WelshNamesImporter
from kitbag.registry.models import (
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    OrganisationName,
)
from kitbag.registry.tests.factories import (
    IdentifierFactory,
    OrganisationFactory,
    OrganisationNameFactory,
)
from kitbag.registry.tests.fixtures import FIXTURES, copy_of_fixtures, registry_snapshot

pytestmark = pytest.mark.django_db


def run(importer: type[Importer[Any]], data_dir: Path = FIXTURES) -> ImportReport:
    return importer(data_dir=data_dir).run()


def council(code: str) -> Organisation:
    return Organisation.objects.get(
        identifiers__scheme=IdentifierScheme.LOCAL_AUTHORITY_CODE, identifiers__value=code
    )


def identifiers(organisation: Organisation) -> set[tuple[str, str, bool]]:
    return {(i.scheme, i.value, i.is_current) for i in organisation.identifiers.all()}


def aliases(organisation: Organisation) -> set[str]:
    return set(organisation.names.values_list("name", flat=True))


# Sources and order


def test_every_importer_is_named_after_a_listed_data_source() -> None:
    listed = {source.name for source in DATA_SOURCES if source.imported}
    # Other apps list their own sources too (the code lists' "lgsl").
    assert {importer.source for importer in IMPORTERS} <= listed


def test_a_full_import_runs_councils_first_and_the_sources_that_attach_to_them_last() -> None:
    assert [importer.source for importer in IMPORTERS] == [
        "mysociety-local-authorities",
        "police-forces",
        "government-organisations",
        "govuk-organisations",
        "nhs-trusts",
        "democracy-systems",
        "welsh-names",
        "govuk-local-links",
        "digital-land-local-authorities",
    ]


# mySociety local authorities


def test_a_council_gets_its_code_names_type_place_and_population() -> None:
    report = run(LocalAuthorityImporter)

    camden = council("CMD")
    assert report.created == 13
    assert (camden.slug, camden.code, camden.kind) == ("camden", "CMD", "local-authority")
    assert (camden.name, camden.short_name) == ("London Borough of Camden", "Camden")
    assert (camden.classification_code, camden.classification_name) == ("LBO", "London borough")
    assert (camden.nation, camden.region) == ("England", "London")
    assert camden.population == 279516
    assert camden.latitude == pytest.approx(51.5463888)
    assert camden.longitude == pytest.approx(-0.1574137311)
    assert identifiers(camden) == {
        ("local-authority-code", "CMD", True),
        ("gss", "E09000007", True),
        ("govuk-slug", "camden", True),
    }


def test_former_gss_codes_are_identifiers_that_are_no_longer_current() -> None:
    run(LocalAuthorityImporter)

    # S12000046 is in former-gss-codes; S12000043 only in the GSS lookup.
    assert {i for i in identifiers(council("GLG")) if i[0] == "gss"} == {
        ("gss", "S12000049", True),
        ("gss", "S12000046", False),
        ("gss", "S12000043", False),
    }


def test_an_abolished_council_has_its_end_date_and_its_successor() -> None:
    run(LocalAuthorityImporter)

    poole = council("POL")
    assert poole.end_date == dt.date(2019, 3, 31)
    assert not poole.is_current
    succession = poole.successor_links.get()
    assert succession.successor.code == "BPC"
    assert succession.date == dt.date(2019, 3, 31)


def test_a_district_is_linked_to_its_county_and_a_borough_to_its_combined_authority() -> None:
    run(LocalAuthorityImporter)

    assert [(p.parent.code, p.relation) for p in council("SHE").parent_links.all()] == [
        ("KEN", "county")
    ]
    assert [(p.parent.code, p.relation) for p in council("CMD").parent_links.all()] == [
        ("GLA", "combined-authority")
    ]


def test_aliases_are_the_other_names_once_each_in_their_best_spelling() -> None:
    run(LocalAuthorityImporter)

    # "camden" and "london borough of camden" repeat the short and official names.
    assert aliases(council("CMD")) == {"camden london boro"}
    assert aliases(council("CRF")) == {"The City of Cardiff Council", "Caerdydd"}


def test_commas_inside_names_do_not_split_them() -> None:
    run(LocalAuthorityImporter)

    assert aliases(council("ABC")) == {"armagh, banbridge and craigavon"}
    # "rhondda,cynon,taff" is one name in the lookup, so alt-names is not cut into "taff".
    assert aliases(council("RCT")) == {"rhondda,cynon,taff", "rhondda cynon taf"}


def test_mis_encoded_aliases_are_skipped_and_reported() -> None:
    report = run(LocalAuthorityImporter)

    assert aliases(council("AGY")) == {"anglesey"}
    assert aliases(council("CRF")) == {"The City of Cardiff Council", "Caerdydd"}
    assert report.skipped == [
        "uk_local_authorities.csv, line 3, field alt-names: 'Sir Ynys Mï¿½n' is mis-encoded "
        "text; not added",
        # A no-break space mis-encoded: tidying spaces first would have hidden it.
        "lookup_name_to_registry.csv, line 17, field la-name: 'Cityï¾\\xa0of Cardiff Council' is "
        "mis-encoded text; not added",
    ]


def test_search_text_holds_the_lower_cased_official_name_short_name_and_aliases() -> None:
    run(LocalAuthorityImporter)

    assert council("CMD").search_text == "london borough of camden camden camden london boro"


def test_slugs_are_readable_and_an_abolished_namesake_gets_its_end_year() -> None:
    run(LocalAuthorityImporter)

    slugs = dict(Organisation.objects.values_list("code", "slug"))
    assert slugs["SMT"] == "somerset"
    assert slugs["SOM"] == "somerset-2023"
    assert slugs["POL"] == "poole"
    assert slugs["GLG"] == "glasgow"  # GOV.UK's short form of "Glasgow City"
    assert slugs["SHE"] == "folkestone-and-hythe"  # not GOV.UK's stale "shepway"
    assert slugs["ABC"] == "armagh-banbridge-craigavon"


def test_a_slug_another_organisation_has_gets_the_code_appended() -> None:
    OrganisationFactory(slug="camden", name="Camden Charity", kind=OrganisationKind.OTHER)

    run(LocalAuthorityImporter)

    assert council("CMD").slug == "camden-cmd"


def test_an_existing_council_keeps_its_slug_when_imported_again() -> None:
    run(LocalAuthorityImporter)
    Organisation.objects.filter(code="CMD").update(slug="london-borough-of-camden")

    report = run(LocalAuthorityImporter)

    assert council("CMD").slug == "london-borough-of-camden"
    assert report.updated == 0


def test_importing_twice_changes_nothing() -> None:
    first = [run(importer) for importer in IMPORTERS]
    before = registry_snapshot()

    second = [run(importer) for importer in IMPORTERS]

    after = registry_snapshot()
    assert [(r.created, r.updated) for r in second] == [(0, 0)] * len(IMPORTERS)
    assert [r.unchanged + r.rejected for r in second] == [r.rows_read for r in first]
    del before["ImportRun"], after["ImportRun"]  # the second runs are recorded, nothing else
    assert after == before


def test_a_changed_value_updates_that_council_and_touches_no_other(tmp_path: Path) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    run(LocalAuthorityImporter, data_dir)
    before = {o.code: o.updated_at for o in Organisation.objects.all()}
    main = data_dir / "mysociety_uk_local_authorities" / "uk_local_authorities.csv"
    main.write_text(main.read_text().replace("279516.0", "280001.0"))

    report = run(LocalAuthorityImporter, data_dir)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 12)
    assert council("CMD").population == 280001
    after = {o.code: o.updated_at for o in Organisation.objects.all()}
    assert [code for code in after if after[code] != before[code]] == ["CMD"]


def test_a_name_dropped_by_the_source_goes_but_a_name_from_elsewhere_stays(
    tmp_path: Path,
) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    run(LocalAuthorityImporter, data_dir)
    OrganisationNameFactory(organisation=council("CMD"), name="Camden Council", source="person")
    for name in ("uk_local_authorities.csv", "lookup_name_to_registry.csv"):
        path = data_dir / "mysociety_uk_local_authorities" / name
        path.write_text(path.read_text().replace("camden london boro", "camden"))

    run(LocalAuthorityImporter, data_dir)

    assert aliases(council("CMD")) == {"Camden Council"}
    assert council("CMD").search_text == "london borough of camden camden camden council"


def test_an_identifier_another_organisation_holds_is_reported_not_taken() -> None:
    IdentifierFactory(scheme=IdentifierScheme.GOVUK_SLUG, value="camden")

    report = run(LocalAuthorityImporter)

    assert ("govuk-slug", "camden", True) not in identifiers(council("CMD"))
    assert len(report.skipped) == 3
    assert "govuk-slug 'camden' for London Borough of Camden is already held" in report.skipped[2]


def test_a_successful_import_is_recorded_with_its_counts() -> None:
    run(LocalAuthorityImporter)

    record = ImportRun.objects.get()
    assert record.source == "mysociety-local-authorities"
    assert record.status == ImportRun.Status.SUCCEEDED
    assert record.location == str(
        FIXTURES / "mysociety_uk_local_authorities" / "uk_local_authorities.csv"
    )
    assert (record.rows_read, record.created, record.updated, record.unchanged) == (13, 13, 0, 0)
    assert record.finished_at is not None and record.finished_at >= record.started_at
    assert record.messages[0] == (
        "skipped: uk_local_authorities.csv, line 3, field alt-names: 'Sir Ynys Mï¿½n' is "
        "mis-encoded text; not added"
    )
    assert len(record.messages) == 2


def test_the_name_index_is_invalidated_only_when_something_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(resolver, "invalidate_index", lambda: calls.append(None))

    run(PoliceForceImporter)
    run(PoliceForceImporter)

    assert len(calls) == 1


# Police forces


def test_police_forces_get_their_nation_from_the_force_id() -> None:
    run(PoliceForceImporter)

    nations = dict(Organisation.objects.values_list("code", "nation"))
    assert nations == {
        "metropolitan": "England",
        "devon-and-cornwall": "England",
        "dyfed-powys": "Wales",
        "northern-ireland": "Northern Ireland",
        "british-transport-police": "",  # polices the railways, not a territory
    }


def test_a_police_force_has_a_readable_slug_and_the_api_list_spelling_as_alias() -> None:
    run(PoliceForceImporter)

    met = Organisation.objects.get(code="metropolitan")
    assert (met.slug, met.kind, met.name) == (
        "metropolitan-police-service",
        "police-force",
        "Metropolitan Police Service",
    )
    assert identifiers(met) == {("police-force", "metropolitan", True)}
    assert aliases(Organisation.objects.get(code="devon-and-cornwall")) == {
        "Devon and Cornwall Police"
    }


# Government organisations


def test_a_government_organisation_is_coded_by_its_govuk_slug_and_keeps_its_register_id() -> None:
    run(GovernmentOrganisationImporter)

    cabinet_office = Organisation.objects.get(code="cabinet-office")
    assert cabinet_office.slug == "cabinet-office"
    assert cabinet_office.kind == "central-government"
    assert cabinet_office.website == "https://www.gov.uk/government/organisations/cabinet-office"
    assert (cabinet_office.classification_code, cabinet_office.classification_name) == (
        "ministerial-department",
        "Ministerial department",
    )
    assert identifiers(cabinet_office) == {
        ("government-organisation", "D2", True),
        ("govuk-slug", "cabinet-office", True),
    }


def test_the_abbreviation_and_the_registers_other_names_become_aliases() -> None:
    run(GovernmentOrganisationImporter)

    # The register's later entry for OT488 gives the body's new name.
    assert aliases(Organisation.objects.get(code="nhs-litigation-authority")) == {
        "NHSLA",
        "NHS Resolution",
    }


def test_parent_organisations_are_linked() -> None:
    run(GovernmentOrganisationImporter)

    fraud = Organisation.objects.get(code="national-fraud-authority")
    assert sorted((p.parent.code, p.relation) for p in fraud.parent_links.all()) == [
        ("attorney-generals-office", "parent-organisation"),
        ("cabinet-office", "parent-organisation"),
    ]


def test_a_register_entry_missing_from_the_govuk_list_is_reported_not_imported() -> None:
    report = run(GovernmentOrganisationImporter)

    assert report.skipped == [
        "government-organisation.tsv: PB1 is not in "
        "govuk_organisations_with_type_and_parent.tsv; not imported"
    ]
    assert not Organisation.objects.filter(name="Government Olympic Executive").exists()


def test_register_dates_given_to_the_month_are_taken_as_its_first_day() -> None:
    run(GovernmentOrganisationImporter)

    fraud = Organisation.objects.get(code="national-fraud-authority")
    assert (fraud.start_date, fraud.end_date) == (dt.date(2008, 10, 1), dt.date(2014, 3, 1))


# NHS trusts


def test_an_nhs_trust_name_is_put_into_readable_case_and_the_ods_spelling_kept() -> None:
    run(NhsTrustImporter)

    trust = Organisation.objects.get(code="RJ1")
    assert trust.name == "Guy's and St Thomas' NHS Foundation Trust"
    assert trust.slug == "guys-and-st-thomas-nhs-foundation-trust"
    assert aliases(trust) == {"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST"}
    assert identifiers(trust) == {("ods", "RJ1", True)}
    assert trust.classification_code == "nhs-foundation-trust"


def test_a_closed_trust_has_its_end_date() -> None:
    run(NhsTrustImporter)

    closed = Organisation.objects.get(code="RDZ")
    assert (closed.start_date, closed.end_date) == (dt.date(1992, 4, 1), dt.date(2020, 9, 30))
    assert not closed.is_current


def test_trusts_get_their_nation_and_region() -> None:
    run(NhsTrustImporter)

    places = {o.code: (o.nation, o.region) for o in Organisation.objects.all()}
    assert places["RQF"] == ("Wales", "Wales")
    assert places["R0A"] == ("England", "North West")
    assert places["RYJ"] == ("England", "London")


# Democracy systems (LGSF)


def test_democracy_systems_are_attached_to_councils_by_their_code() -> None:
    run(LocalAuthorityImporter)

    report = run(DemocracySystemImporter)

    camden = council("CMD")
    assert (camden.democracy_cms, camden.democracy_url) == (
        "ModernGov",
        "https://democracy.camden.gov.uk",
    )
    assert report.updated == 5


def test_lgsf_rows_that_match_no_council_or_add_nothing_are_rejected_with_a_reason() -> None:
    run(LocalAuthorityImporter)

    report = run(DemocracySystemImporter)

    assert report.rejections == [
        "lgsf_council_metadata.csv, line 6: POL-poole: gives neither a CMS type nor a base URL",
        "lgsf_council_metadata.csv, line 8: SHE-shepway: SHE is already given by line 7",
        "lgsf_council_metadata.csv, line 9: london-london: no council with "
        "local-authority-code 'london'; its name 'Greater London Authority' resolves to GLA "
        "(Greater London Authority), not attached by name",
        "lgsf_council_metadata.csv, line 10: north-northamptonshire-north-northamptonshire: "
        "no council with local-authority-code 'north-northamptonshire'; its name "
        "'North Northamptonshire Council' matches no council either",
    ]
    assert council("SHE").democracy_url == "http://www.folkestone-hythe.gov.uk/moderngov/"
    assert ImportRun.objects.get(source="democracy-systems").rejected == 4


def test_an_lgsf_row_with_an_unknown_code_says_what_its_name_resolves_to_but_is_not_attached() -> (
    None
):
    run(LocalAuthorityImporter)
    camden = council("CMD")
    camden.democracy_url = ""
    camden.save()
    lgsf = FIXTURES / "democracyclub_lgsf_council_democracy_systems" / "lgsf_council_metadata.csv"
    rows = lgsf.read_text().splitlines()
    header, camden_row = rows[0], next(r for r in rows if r.startswith("CMD-camden"))
    with TemporaryDirectory() as tmp:
        folder = Path(tmp) / "democracyclub_lgsf_council_democracy_systems"
        folder.mkdir()
        (folder / "lgsf_council_metadata.csv").write_text(
            header + "\n" + camden_row.replace("CMD-camden,CMD,", "camden-x,camden,") + "\n"
        )
        report = DemocracySystemImporter(data_dir=Path(tmp)).save(
            DemocracySystemImporter(data_dir=Path(tmp)).read()
        )

    assert report.rejections == [
        "lgsf_council_metadata.csv, line 2: camden-x: no council with local-authority-code "
        "'camden'; its name 'London Borough of Camden' resolves to CMD (London Borough of Camden), "
        "not attached by name"
    ]
    assert council("CMD").democracy_url == ""


# Welsh names


def test_welsh_names_are_added_in_welsh_with_the_official_one_marked() -> None:
    run(LocalAuthorityImporter)

    run(WelshNamesImporter)

    names = {(n.name, n.language, n.is_official, n.source) for n in council("CRF").names.all()}
    assert names == {
        ("Cyngor Caerdydd", "cy", True, "welsh-names"),
        # mySociety lists "Caerdydd" too; the Welsh names file says which language it is.
        ("Caerdydd", "cy", False, "welsh-names"),
        ("The City of Cardiff Council", "en", False, "mysociety-local-authorities"),
    }
    assert "cyngor caerdydd" in council("CRF").search_text


def test_importing_councils_again_after_the_welsh_names_changes_nothing() -> None:
    run(LocalAuthorityImporter)
    run(WelshNamesImporter)
    before = registry_snapshot()

    report = run(LocalAuthorityImporter)

    assert (report.created, report.updated) == (0, 0)
    assert registry_snapshot()["OrganisationName"] == before["OrganisationName"]


def test_welsh_names_of_councils_not_in_the_registry_are_rejected() -> None:
    run(LocalAuthorityImporter)

    report = run(WelshNamesImporter)

    # The fixture councils include three of the 22 Welsh principal councils.
    assert (report.updated, report.rejected) == (3, 19)
    assert "welsh_names.csv, line 3: no council with local-authority-code 'BGE'" in (
        report.rejections
    )


# The command


def test_the_command_prints_one_line_per_source_and_caps_the_reasons() -> None:
    out = StringIO()

    call_command("import_registry", "--data-dir", str(FIXTURES), stdout=out)

    lines = out.getvalue().splitlines()
    summaries = [line for line in lines if not line.startswith("  ")]
    assert [s.split(" (")[0] for s in summaries] == [
        "mysociety-local-authorities: 13 rows read, 13 created, 0 updated, 0 unchanged, "
        "0 rejected, 2 values skipped",
        "police-forces: 5 rows read, 5 created, 0 updated, 0 unchanged, 0 rejected",
        "government-organisations: 6 rows read, 6 created, 0 updated, 0 unchanged, 0 rejected, "
        "1 values skipped",
        "govuk-organisations: 14 rows read, 8 created, 4 updated, 2 unchanged, 0 rejected, "
        "1 values skipped",
        "nhs-trusts: 5 rows read, 5 created, 0 updated, 0 unchanged, 0 rejected",
        "democracy-systems: 9 rows read, 0 created, 5 updated, 0 unchanged, 4 rejected",
        "welsh-names: 22 rows read, 0 created, 3 updated, 0 unchanged, 19 rejected",
        "govuk-local-links: 8 rows read, 0 created, 7 updated, 0 unchanged, 1 rejected",
        "digital-land-local-authorities: 8 rows read, 0 created, 4 updated, 2 unchanged, "
        "2 rejected",
        "search: organisations 37 indexed, 0 updated, 0 removed, 0 unchanged",
    ]
    assert "  ... and 9 more rejected (all 19 are in the import record; -v 2 lists them here)" in (
        lines
    )
    assert len([line for line in lines if line.startswith("  rejected: welsh_names")]) == 10


def test_the_command_can_import_one_source() -> None:
    call_command("import_registry", "--data-dir", str(FIXTURES), "--source", "nhs-trusts")

    assert set(Organisation.objects.values_list("kind", flat=True)) == {"nhs-trust"}
    assert list(ImportRun.objects.values_list("source", flat=True)) == ["nhs-trusts"]


def test_unless_imported_skips_a_source_that_already_has_a_successful_import() -> None:
    run(PoliceForceImporter)
    out = StringIO()

    call_command(
        "import_registry",
        "--data-dir",
        str(FIXTURES),
        "--source",
        "police-forces",
        "--source",
        "nhs-trusts",
        "--unless-imported",
        stdout=out,
    )

    assert "police-forces: already imported on" in out.getvalue()
    assert ImportRun.objects.filter(source="police-forces").count() == 1
    assert ImportRun.objects.filter(source="nhs-trusts").count() == 1


def test_a_data_directory_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_registry", "--data-dir", str(tmp_path / "nowhere"))


def test_a_progress_bar_goes_to_stderr_when_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    PoliceForceImporter(data_dir=FIXTURES, progress=True).run()

    captured = capsys.readouterr()
    assert "police-forces" in captured.err
    assert captured.out == ""


def test_user_added_names_are_never_deleted_by_an_import() -> None:
    run(PoliceForceImporter)
    met = Organisation.objects.get(code="metropolitan")
    OrganisationName.objects.create(organisation=met, name="The Met", source="person")

    run(PoliceForceImporter)

    assert aliases(met) == {"The Met"}
