"""The case importers on small fixture files: what each source maps, and re-import behaviour."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.cases.importers import AtrsImporter, CaseImportReport, IpsxImporter
from kitbag.cases.importers.atrs import technologies_named
from kitbag.cases.importers.base import paragraphs, repair_mojibake
from kitbag.cases.models import (
    Case,
    CaseIdentifier,
    CaseRevision,
    GeographicExtent,
    RecordStatus,
)
from kitbag.cases.tests.fixtures import FIXTURES, copy_of_fixtures
from kitbag.core.background import run_in_background
from kitbag.core.models import ImportRun
from kitbag.core.sources import DATA_SOURCES
from kitbag.core.tasks import run_import
from kitbag.registry.models import Organisation, OrganisationKind
from kitbag.registry.resolver import invalidate_index
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.registry.tests.fixtures import serving
from kitbag.search.models import SearchDocument, SearchFacet
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list

pytestmark = pytest.mark.django_db

IPSX_CSV = FIXTURES / "ipsoeu_innovative_public_services" / "cases.csv"
ATRS_JSON = FIXTURES / "uk_algorithmic_transparency_records" / "atrs_records.json"


@pytest.fixture
def registry(db: None) -> dict[str, Organisation]:
    """The organisations the fixtures' UK leads resolve to, and a namesake of the Dutch one."""
    organisations = {
        "testham": OrganisationFactory.create(
            name="London Borough of Testham", short_name="Testham", code="TSH"
        ),
        "dta": OrganisationFactory.create(
            kind=OrganisationKind.CENTRAL_GOVERNMENT,
            name="Driver and Testing Agency",
            short_name="",
            slug="driver-and-testing-agency",
            code="driver-and-testing-agency",
        ),
        "hmrc": OrganisationFactory.create(
            kind=OrganisationKind.CENTRAL_GOVERNMENT,
            name="HM Revenue & Customs",
            short_name="HMRC",
            slug="hm-revenue-customs",
            code="hm-revenue-customs",
        ),
        "testshire": OrganisationFactory.create(
            name="Testshire County Council", short_name="Testshire", code="TST"
        ),
        "testdam": OrganisationFactory.create(
            name="Gemeente Testdam", short_name="Testdam", slug="testdam", code="TDM"
        ),
    }
    invalidate_index()
    return organisations


@pytest.fixture
def imported(builtin_codes: None, registry: dict[str, Organisation]) -> dict[str, Any]:
    return {
        "ipsx": IpsxImporter(data_dir=FIXTURES).run(),
        "atrs": AtrsImporter(data_dir=FIXTURES).run(),
        "registry": registry,
    }


def case(scheme: str, value: str) -> Case:
    return Case.objects.get(identifiers__scheme=scheme, identifiers__value=value)


def codes(case: Case) -> dict[str, str]:
    return {
        "sector": case.sector.code if case.sector else "",
        "phase": case.phase.code if case.phase else "",
        "status": case.operational_status.code if case.operational_status else "",
        "technology": ",".join(sorted(case.technologies.values_list("code", flat=True))),
    }


def everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every case, revision, identifier and search row with every column."""
    models = (Case, CaseIdentifier, CaseRevision, SearchDocument, SearchFacet)
    rows = {model.__name__: list(model.objects.order_by("pk").values_list()) for model in models}
    rows["technologies"] = list(
        Case.technologies.through.objects.order_by("pk").values_list("case_id", "code_id")
    )
    rows["services"] = list(
        Case.services.through.objects.order_by("pk").values_list("case_id", "code_id")
    )
    return rows


# Counts and what an imported case is


def test_each_ipsx_row_and_atrs_record_becomes_one_published_case_owned_by_nobody(
    imported: dict[str, Any],
) -> None:
    assert imported["ipsx"].created == 6
    assert imported["atrs"].created == 4
    assert Case.objects.filter(source="ipsx").count() == 6
    assert Case.objects.filter(source="atrs").count() == 4
    assert set(Case.objects.values_list("status", "owner", "created_by")) == {
        (RecordStatus.PUBLISHED, None, None)
    }


def test_each_imported_case_keeps_its_source_identifier(imported: dict[str, Any]) -> None:
    assert sorted(CaseIdentifier.objects.filter(scheme="ipsx").values_list("value", flat=True)) == [
        "20001",
        "20002",
        "20003",
        "20004",
        "20005",
        "20006",
    ]
    assert sorted(CaseIdentifier.objects.filter(scheme="atrs").values_list("value", flat=True)) == [
        "dsit-pension-calculator",
        "hmrc-ask-hmrc-online",
        "testshire-county-council-adult-social-care-expenditure-forecast",
        "trustid",
    ]


def test_every_imported_case_has_one_revision_and_a_public_search_document(
    imported: dict[str, Any],
) -> None:
    for imported_case in Case.objects.all():
        assert imported_case.revisions.count() == 1
        assert imported_case.revisions.get().change_summary.startswith("Imported from ")
    documents = SearchDocument.objects.filter(doc_type="case")
    assert documents.count() == 10
    assert all(document.is_public for document in documents)


# IPS-X mapping


def test_ipsx_status_becomes_an_operational_status_and_a_phase(imported: dict[str, Any]) -> None:
    assert [codes(case("ipsx", key))["phase"] for key in ("20001", "20002", "20003")] == [
        "live",
        "beta",
        "retired",
    ]
    assert {key: codes(case("ipsx", key))["status"] for key in ("20004", "20005", "20006")} == {
        "20004": "planned",  # In development
        "20005": "planned",
        "20006": "implemented",  # In production
    }
    assert codes(case("ipsx", "20004"))["phase"] == "alpha"
    assert codes(case("ipsx", "20005"))["phase"] == "discovery"


def test_ipsx_fields_map_to_ours(imported: dict[str, Any]) -> None:
    ada = case("ipsx", "20001")
    mot = case("ipsx", "20002")

    assert ada.title == "Ada - Chatbot helping residents find council services"
    assert ada.summary.startswith("Testham Council uses Ada, a chatbot,")
    assert "\n\nIt hands over to a person" in ada.summary
    assert codes(ada) == {
        "sector": "01",
        "phase": "live",
        "status": "implemented",
        "technology": "artificial-intelligence",
    }
    assert ada.geographic_extent == GeographicExtent.LOCAL
    assert ada.country_code == "GB"
    assert ada.lead_organisation_category == "Local Government"
    assert ada.innovation_type == "Engagement management"
    assert (ada.start_year, ada.end_year) == (2021, None)
    assert (mot.start_year, mot.end_year) == (2019, 2021)  # "2021.0" in the file
    assert mot.geographic_extent == GeographicExtent.NATIONAL
    assert case("ipsx", "20003").geographic_extent == GeographicExtent.CROSS_BORDER
    assert codes(case("ipsx", "20004"))["technology"] == "blockchain"
    assert ada.licence == "EUPL-1.2"
    assert ada.source_url == "https://example.org/ada"
    assert ada.source_catalogue == "Open Innovation Test Region"
    assert ada.algorithmic_transparency_record_url == ""


def test_a_case_with_no_country_code_has_a_blank_country(imported: dict[str, Any]) -> None:
    assert case("ipsx", "20005").country_code == ""
    assert case("ipsx", "20004").country_code == "NL"


def test_ipsx_provenance_names_file_line_and_catalogue(imported: dict[str, Any]) -> None:
    provenance = case("ipsx", "20002").provenance

    assert provenance["source"] == "ipsx"
    assert provenance["file"] == "cases.csv"
    assert provenance["line"] == 4  # the first case spans lines 2 and 3
    assert provenance["catalogue"]["name"] == "Open Innovation Test Region"
    assert provenance["catalogue"]["publisher"] == "Test Region"
    assert provenance["status"] == "Pilot"
    assert provenance["unmapped"] == {"uptake": "Yes"}
    assert dt.datetime.fromisoformat(provenance["imported_at"])


def test_a_url_cell_with_two_addresses_keeps_the_first_and_the_rest_in_provenance(
    imported: dict[str, Any],
) -> None:
    mot = case("ipsx", "20002")

    assert mot.source_url == "https://example.org/mot"
    assert mot.provenance["more_urls"] == ["https://example.org/mot-blog"]


def test_an_address_with_spaces_in_it_is_left_blank_and_reported(
    imported: dict[str, Any],
) -> None:
    assert case("ipsx", "20004").source_url == ""
    assert (
        "cases.csv, line 7, field url: 'http://example.nl/Proof of Concepts/grants' is not a "
        "web address; left blank"
    ) in imported["ipsx"].skipped


def test_text_mis_encoded_as_windows_1252_is_repaired(imported: dict[str, Any]) -> None:
    assert case("ipsx", "20004").summary.startswith("The city’s grant payments")
    assert repair_mojibake("RMGÂ® The New Digital Gold Standard") == (
        "RMG® The New Digital Gold Standard"
    )
    assert repair_mojibake("Ça coûte 5 €") == "Ça coûte 5 €"  # nothing to repair
    assert paragraphs("  one  line \n\n\n two ") == "one line\n\ntwo"


# Lead organisations


def test_uk_leads_resolve_through_the_registry(imported: dict[str, Any]) -> None:
    registry = imported["registry"]
    ada = case("ipsx", "20001")

    assert ada.lead_organisation == registry["testham"]
    assert ada.lead_organisation_name == "London Borough of Testham"  # as the source named it
    assert case("atrs", "hmrc-ask-hmrc-online").lead_organisation == registry["hmrc"]
    assert (
        case(
            "atrs", "testshire-county-council-adult-social-care-expenditure-forecast"
        ).lead_organisation
        == registry["testshire"]
    )


def test_a_lead_with_its_abbreviation_in_brackets_resolves_on_its_name(
    imported: dict[str, Any],
) -> None:
    mot = case("ipsx", "20002")

    assert mot.lead_organisation == imported["registry"]["dta"]
    assert mot.lead_organisation_name == "Driver and Testing Agency (DTA)"


def test_a_lead_outside_the_uk_is_kept_as_text_and_never_looked_up(
    imported: dict[str, Any],
) -> None:
    grants = case("ipsx", "20004")

    assert grants.lead_organisation is None
    assert grants.lead_organisation_name == "Gemeente Testdam"
    assert not any("Testdam" in message for message in imported["ipsx"].unresolved)


def test_unresolved_uk_leads_are_kept_as_text_and_listed_in_the_report(
    imported: dict[str, Any],
) -> None:
    ipsx: CaseImportReport = imported["ipsx"]
    atrs: CaseImportReport = imported["atrs"]

    assert case("ipsx", "20003").lead_organisation is None
    assert case("ipsx", "20003").lead_organisation_name == "Univesrity of Testford"
    assert (ipsx.resolved, len(ipsx.unresolved)) == (2, 2)
    assert ipsx.unresolved_names == {"Univesrity of Testford": 1, "Testshire Police": 1}
    assert (
        "cases.csv, line 6 (ipsx 20003): 'Univesrity of Testford' matches no organisation in the "
        "registry; kept as text"
    ) in ipsx.unresolved
    assert (atrs.resolved, atrs.unresolved_names) == (2, {"DSIT": 1})
    assert case("atrs", "dsit-pension-calculator").lead_organisation_name == "DSIT"
    run = ImportRun.objects.get(source="ipsx")
    assert any("Univesrity of Testford" in message for message in run.messages)


def test_the_command_prints_each_unresolved_name(builtin_codes: None, registry: Any) -> None:
    out = StringIO()

    call_command("import_cases", "--data-dir", str(FIXTURES), stdout=out)

    output = out.getvalue()
    assert "ipsx: 6 rows read, 6 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert "2 leads resolved, 2 unresolved" in output
    assert "    Univesrity of Testford\n" in output
    assert "    DSIT\n" in output
    assert "(no lead given: 1 case)" in output


# ATRS mapping


def test_atrs_records_map_to_title_summary_lead_date_and_record_address(
    imported: dict[str, Any],
) -> None:
    hmrc = case("atrs", "hmrc-ask-hmrc-online")
    address = "https://www.gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online"

    assert hmrc.title == "Ask HMRC online"
    assert hmrc.summary == (
        "Digital (virtual) assistant chat (chatbot) and human HMRC adviser webchat."
    )
    assert hmrc.lead_organisation_name == "HMRC"
    assert hmrc.published_at == dt.datetime(2025, 6, 26, 7, 39, 9, tzinfo=dt.UTC)
    assert hmrc.algorithmic_transparency_record_url == address
    assert hmrc.source_url == address
    assert (hmrc.country_code, hmrc.licence) == ("GB", "OGL-UK-3.0")
    # The record names no stage; its body names its sector (mapping.ATRS_SECTOR_PATTERNS).
    assert hmrc.phase is None and hmrc.operational_status is None
    assert hmrc.sector is not None and hmrc.sector.code == "01"
    assert hmrc.provenance["index"] == 0
    assert hmrc.provenance["line"] == 9
    assert hmrc.provenance["title"] == "HMRC: Ask HMRC online"


def test_atrs_technology_comes_from_plain_words_or_stays_blank(imported: dict[str, Any]) -> None:
    assert codes(case("atrs", "hmrc-ask-hmrc-online"))["technology"] == "chatbot"
    forecast = case("atrs", "testshire-county-council-adult-social-care-expenditure-forecast")
    assert codes(forecast)["technology"] == "machine-learning"
    assert codes(case("atrs", "dsit-pension-calculator"))["technology"] == ""
    assert technologies_named("A tool that uses a large language model (LLM)") == (
        "artificial-intelligence",
    )
    assert technologies_named("Virtual Assistant for learners") == ("chatbot",)
    assert technologies_named("Aila, the lesson assistant, collates webchat feedback") == ()


def test_a_record_without_a_publishing_body_has_no_lead_and_is_reported(
    imported: dict[str, Any],
) -> None:
    trustid = case("atrs", "trustid")

    assert (trustid.lead_organisation, trustid.lead_organisation_name) == (None, "")
    assert trustid.title == "TrustID"
    assert any(
        m.endswith("(atrs trustid): no lead organisation given")
        for m in imported["atrs"].unresolved
    )


# Importing again


def test_importing_twice_changes_nothing(builtin_codes: None, registry: Any) -> None:
    call_command("import_cases", "--data-dir", str(FIXTURES), stdout=StringIO())
    before = everything()
    out = StringIO()

    call_command("import_cases", "--data-dir", str(FIXTURES), stdout=out)

    assert everything() == before
    assert "ipsx: 6 rows read, 0 created, 0 updated, 6 unchanged" in out.getvalue()
    assert "atrs: 4 rows read, 0 created, 0 updated, 4 unchanged" in out.getvalue()
    assert CaseRevision.objects.count() == 10


def test_importing_again_costs_the_same_few_queries_however_many_cases_there_are(
    imported: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # Unchanged cases are compared in memory, never saved: the cost does not grow with the file.
    with django_assert_max_num_queries(8):
        report = IpsxImporter(data_dir=FIXTURES).run()

    assert report.unchanged == 6


def test_a_changed_row_updates_its_case_with_one_new_revision(
    builtin_codes: None, registry: Any, tmp_path: Path
) -> None:
    data = copy_of_fixtures(tmp_path)
    IpsxImporter(data_dir=data).run()
    cases_csv = data / "ipsoeu_innovative_public_services" / "cases.csv"
    cases_csv.write_text(
        cases_csv.read_text(encoding="utf-8").replace(
            "Reading support tool", "Reading support tool for autistic readers"
        ),
        encoding="utf-8",
    )

    report = IpsxImporter(data_dir=data).run()

    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    reading = case("ipsx", "20003")
    assert reading.title == "Reading support tool for autistic readers"
    assert reading.slug == "reading-support-tool"  # links to the case keep working
    assert list(reading.revisions.values_list("number", "change_summary")) == [
        (2, "Updated from IPS-X"),
        (1, "Imported from IPS-X"),
    ]
    assert SearchDocument.objects.get(object_id=str(reading.pk)).title == reading.title


def test_an_edit_on_kitbag_to_a_field_the_source_does_not_give_survives_a_reimport(
    imported: dict[str, Any],
) -> None:
    hmrc = case("atrs", "hmrc-ask-hmrc-online")
    hmrc.what_did_not_work = "Long questions confused it."
    hmrc.save()

    report = AtrsImporter(data_dir=FIXTURES).run()

    assert report.unchanged == 4
    assert case("atrs", "hmrc-ask-hmrc-online").what_did_not_work == "Long questions confused it."


def test_a_case_no_longer_in_the_source_is_kept_and_reported(
    builtin_codes: None, registry: Any, tmp_path: Path
) -> None:
    data = copy_of_fixtures(tmp_path)
    AtrsImporter(data_dir=data).run()
    records_json = data / "uk_algorithmic_transparency_records" / "atrs_records.json"
    document = json.loads(records_json.read_text(encoding="utf-8"))
    document["records"] = [r for r in document["records"] if r["tool_name"] != "TrustID"]
    records_json.write_text(json.dumps(document, indent=2), encoding="utf-8")

    report = AtrsImporter(data_dir=data).run()

    assert Case.objects.filter(source="atrs").count() == 4
    assert report.not_in_source == ["atrs trustid (trustid) is no longer in the source; kept"]
    assert "1 no longer in the source (kept)" in report.summary()


def test_unless_imported_skips_a_source_already_imported(
    builtin_codes: None, registry: Any
) -> None:
    call_command("import_cases", "--data-dir", str(FIXTURES), "--source", "ipsx", stdout=StringIO())
    out = StringIO()

    call_command("import_cases", "--data-dir", str(FIXTURES), "--unless-imported", stdout=out)

    assert "ipsx: already imported on" in out.getvalue()
    assert "atrs: 4 rows read, 4 created" in out.getvalue()
    assert ImportRun.objects.filter(source="ipsx").count() == 1


def test_a_source_can_be_imported_alone(builtin_codes: None, registry: Any) -> None:
    call_command("import_cases", "--data-dir", str(FIXTURES), "--source", "atrs", stdout=StringIO())

    assert set(Case.objects.values_list("source", flat=True)) == {"atrs"}


def test_without_the_code_lists_the_import_says_to_import_the_vocabularies(
    registry: Any,
) -> None:
    with pytest.raises(CommandError, match="run `kitbag import-vocabularies` first"):
        call_command("import_cases", "--data-dir", str(FIXTURES), stdout=StringIO())

    assert not Case.objects.exists()
    assert not ImportRun.objects.exists()


# Where the files come from


def test_without_a_data_directory_each_file_is_downloaded_from_its_address(
    builtin_codes: None, registry: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirror"
    for importer in (IpsxImporter, AtrsImporter):
        for spec in importer.files:
            target = mirror / importer.folder / spec.remote_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((FIXTURES / importer.folder / spec.name).read_bytes())
    with serving(mirror) as base_url:
        for importer in (IpsxImporter, AtrsImporter):
            monkeypatch.setattr(importer, "base_url", f"{base_url}{importer.folder}/")

        call_command("import_cases", "--data-dir", "", stdout=StringIO())

    assert Case.objects.count() == 10
    assert ImportRun.objects.get(source="atrs").location == (
        f"{base_url}uk_algorithmic_transparency_records/data/atrs_records.json"
    )
    # Provenance names the file, not where it was read from, so a download and a data
    # directory give the same cases.
    assert case("ipsx", "20001").provenance["file"] == "cases.csv"


def test_the_default_addresses_are_the_pinned_public_files() -> None:
    assert IpsxImporter(data_dir=None).location_of(IpsxImporter.files[0]) == (
        "https://raw.githubusercontent.com/ipsoeu/ips-explorer/"
        "d725480dedab8e4b3c8c76e0c17ce6cdca32160d/data/cases.csv"
    )
    assert (
        AtrsImporter(data_dir=None)
        .location_of(AtrsImporter.files[0])
        .endswith("/data/atrs_records.json")
    )


def test_an_import_runs_as_a_background_task(builtin_codes: None, registry: Any) -> None:
    summary = run_in_background(
        run_import, command="import_cases", data_dir=str(FIXTURES), sources=["atrs"]
    ).wait()

    assert "atrs: 4 rows read, 4 created" in summary
    assert Case.objects.filter(source="atrs").count() == 4


def test_both_sources_are_listed_with_their_licences() -> None:
    sources = {source.name: source for source in DATA_SOURCES}

    assert sources["ipsx"].licence == "EUPL-1.2"
    assert sources["atrs"].licence == "Open Government Licence v3.0"


# Sector, phase and services from what a record says (mapping.py)


@pytest.fixture
def lgsl_services(db: None) -> None:
    """The few LGSL services the test records name."""
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL"),
        codes=[
            WantedCode(code="313", label="Community alarms and Telecare"),
            WantedCode(code="524", label="Household waste collection"),
            WantedCode(code="587", label="Flytipping"),
        ],
    )


def test_records_gain_the_services_sector_and_stage_they_name_and_keep_them_on_reimport(
    builtin_codes: None, registry: Any, lgsl_services: None, tmp_path: Path
) -> None:
    data = copy_of_fixtures(tmp_path)
    records_file = data / "uk_algorithmic_transparency_records" / "atrs_records.json"
    records = json.loads(records_file.read_text(encoding="utf-8"))
    records["records"][1]["description"] = (
        "A pilot of technology enabled care for older residents. It alerts carers to falls."
    )
    records_file.write_text(json.dumps(records), encoding="utf-8")
    cases_csv = data / "ipsoeu_innovative_public_services" / "cases.csv"
    cases_csv.write_text(
        cases_csv.read_text(encoding="utf-8").replace(
            "Sensors classify street noise.",
            "Sensors classify street noise. Cameras spot illegal dumping.",
        ),
        encoding="utf-8",
    )

    call_command("import_cases", "--data-dir", str(data), stdout=StringIO())

    care = case("atrs", "testshire-county-council-adult-social-care-expenditure-forecast")
    assert sorted(care.services.values_list("code", flat=True)) == ["313"]
    assert codes(care) | {"technology": ""} == {
        "sector": "10",  # social care
        "phase": "beta",
        "status": "pilot",
        "technology": "",
    }
    noise = case("ipsx", "20006")
    assert list(noise.services.values_list("code", flat=True)) == ["587"]
    # A service is a facet of the search document, so the filter finds the case.
    assert SearchFacet.objects.filter(name="service", value="587").count() == 1

    before = everything()
    out = StringIO()
    call_command("import_cases", "--data-dir", str(data), stdout=out)
    assert everything() == before
    assert "atrs: 4 rows read, 0 created, 0 updated, 4 unchanged" in out.getvalue()
