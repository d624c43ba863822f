"""The case importers on the real open data in KITBAG_DATA_DIR, imported once for this module.

The registry and the vocabularies are imported first, as `make import` does, so leads resolve
against the real registry.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kitbag.cases.importers import IMPORTERS, CaseImportReport
from kitbag.cases.models import Case, CaseIdentifier, CaseRevision
from kitbag.core.models import ImportRun
from kitbag.follows.models import StoredHappening
from kitbag.registry.importers import IMPORTERS as REGISTRY_IMPORTERS
from kitbag.registry.models import Organisation
from kitbag.search.models import SearchDocument, SearchSynonym
from kitbag.search.services import remove_document
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.services import load_builtin_lists

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def reports(
    django_db_setup: None, django_db_blocker: Any, real_data_dir: Path
) -> Iterator[dict[str, Any]]:
    # Imported outside the tests' transactions so it is done once; removed at the end so the
    # other test modules find the empty database they expect.
    with django_db_blocker.unblock():
        for importer in REGISTRY_IMPORTERS:
            importer(data_dir=real_data_dir).run()
        LgslImporter(data_dir=real_data_dir).run()
        load_builtin_lists()
        imported: dict[str, Any] = {i.source: i(data_dir=real_data_dir).run() for i in IMPORTERS}
    yield imported
    with django_db_blocker.unblock():
        for document in SearchDocument.objects.filter(doc_type="case"):
            remove_document(doc_type="case", object_id=document.object_id)
        Case.objects.all().delete()
        StoredHappening.objects.all().delete()  # what the import announced to followers
        SearchSynonym.objects.all().delete()  # the LGSL import's former names
        Code.objects.update(parent=None)  # a parent is protected from deletion before its children
        CodeList.objects.all().delete()
        Organisation.objects.all().delete()
        ImportRun.objects.all().delete()


def test_the_real_data_gives_853_ipsx_and_136_atrs_cases(reports: dict[str, Any]) -> None:
    assert reports["ipsx"].created == 853
    assert reports["atrs"].created == 136
    assert Case.objects.filter(source="ipsx").count() == 853
    assert Case.objects.filter(source="atrs").count() == 136
    assert CaseIdentifier.objects.filter(scheme="ipsx").count() == 853
    assert SearchDocument.objects.filter(doc_type="case", is_public=True).count() == 989


def test_each_ipsx_case_is_found_by_its_id_column(
    reports: dict[str, Any], real_data_dir: Path
) -> None:
    path = real_data_dir / "ipsoeu_innovative_public_services" / "cases.csv"
    with path.open(encoding="utf-8-sig", newline="") as file:
        ids = {row["id"]: row["name"] for row in csv.DictReader(file)}

    identifiers = dict(
        CaseIdentifier.objects.filter(scheme="ipsx").values_list("value", "case__title")
    )
    assert set(identifiers) == set(ids)
    assert identifiers["10142"] == "Amelia - Chatbot helping local residents find city services"


def test_uk_ipsx_leads_that_the_registry_knows_resolve(reports: dict[str, Any]) -> None:
    report: CaseImportReport = reports["ipsx"]

    assert report.resolved + len(report.unresolved) == 40  # the cases coded GB
    assert report.resolved >= 15
    enfield = Case.objects.get(identifiers__scheme="ipsx", identifiers__value="10142")
    assert enfield.lead_organisation is not None
    assert enfield.lead_organisation.name == "London Borough of Enfield"
    dvsa = Case.objects.get(identifiers__scheme="ipsx", identifiers__value="10636")
    assert dvsa.lead_organisation is not None  # "Driver and Vehicle Standards Agency (DVSA)"
    assert dvsa.lead_organisation.code == "driver-and-vehicle-standards-agency"
    # No lead outside the UK is resolved, even where a name could match.
    assert not Case.objects.filter(source="ipsx", lead_organisation__isnull=False).exclude(
        country_code="GB"
    )


def test_most_atrs_publishing_bodies_resolve(reports: dict[str, Any]) -> None:
    report: CaseImportReport = reports["atrs"]

    # 87 with the 2017 register alone; GOV.UK's organisations API adds the departments since.
    assert report.resolved >= 120
    assert report.resolved + len(report.unresolved) == 136
    hmrc = Case.objects.get(identifiers__scheme="atrs", identifiers__value="hmrc-ask-hmrc-online")
    assert hmrc.lead_organisation is not None
    assert hmrc.lead_organisation.name == "HM Revenue & Customs"
    for acronym in ("DSIT", "DESNZ", "DBT", "MHCLG"):
        assert acronym not in report.unresolved_names
    led_by_dsit = Case.objects.filter(source="atrs", lead_organisation_name="DSIT")
    assert led_by_dsit.exists()
    assert {case.lead_organisation.code for case in led_by_dsit if case.lead_organisation} == {
        "department-for-science-innovation-and-technology"
    }


def test_every_ipsx_case_has_a_sector_phase_and_status(reports: dict[str, Any]) -> None:
    ipsx = Case.objects.filter(source="ipsx")

    assert not ipsx.filter(sector__isnull=True).exists()
    assert not ipsx.filter(phase__isnull=True).exists()
    assert not ipsx.filter(operational_status__isnull=True).exists()
    assert ipsx.filter(technologies__code="blockchain").count() == 167


def test_a_second_import_of_the_real_data_changes_nothing(
    reports: dict[str, Any], real_data_dir: Path
) -> None:
    revisions = CaseRevision.objects.count()
    documents = list(SearchDocument.objects.order_by("pk").values_list())
    out = StringIO()

    call_command("import_cases", "--data-dir", str(real_data_dir), stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "rows read" in line]
    assert len(lines) == 2
    assert all(" 0 created, 0 updated," in line for line in lines), lines
    assert CaseRevision.objects.count() == revisions
    assert list(SearchDocument.objects.order_by("pk").values_list()) == documents


def test_the_mapping_tables_give_the_measured_services_sectors_and_stages(
    reports: dict[str, Any],
) -> None:
    # The figures of decision 0036: before it, no imported case had a service, and no ATRS
    # record a sector or a stage. A change to mapping.py changes them on purpose.
    with_service = Case.objects.filter(services__isnull=False).distinct()
    assert with_service.filter(source="ipsx").count() == 74
    assert with_service.filter(source="atrs").count() == 11
    atrs = Case.objects.filter(source="atrs")
    assert atrs.filter(sector__isnull=False).count() == 128
    assert atrs.filter(phase__isnull=False).count() == 2


def test_uk_cases_have_their_nation_and_a_uk_wide_department_is_under_every_nation(
    reports: dict[str, Any],
) -> None:
    from kitbag.cases.search_documents import nations

    uk = Case.objects.filter(country_code="GB").select_related("lead_organisation")
    assert uk.count() == 176
    found = {case.pk: nations(case) for case in uk}
    assert all("United Kingdom" in values for values in found.values())
    dwp = uk.filter(lead_organisation_name="DWP").first()
    assert dwp is not None
    assert found[dwp.pk] == ["United Kingdom", "England", "Scotland", "Wales", "Northern Ireland"]
