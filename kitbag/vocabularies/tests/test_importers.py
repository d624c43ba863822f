from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kitbag.core.models import ImportRun
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.tests.fixtures import FIXTURES, FOLDER, copy_of_fixtures

pytestmark = pytest.mark.django_db


def import_fixtures(data_dir: Path = FIXTURES) -> str:
    out = StringIO()
    call_command("import_vocabularies", "--data-dir", str(data_dir), stdout=out)
    return out.getvalue()


def test_importing_loads_every_service_and_function() -> None:
    import_fixtures()

    assert Code.objects.in_list("lgsl-services").count() == 5
    assert Code.objects.in_list("lgsl-functions").count() == 5
    bursary = Code.objects.in_list("lgsl-services").get(code="1614")
    assert bursary.label == "16 to 19 bursary fund"
    assert bursary.description == "Help with the costs of education, for those aged 16 to 19."
    assert bursary.source_created == dt.date(2013, 4, 3)
    assert Code.objects.in_list("lgsl-services").get(code="1").description == (
        "Courses for adults – day and evening."
    )
    services = CodeList.objects.get(slug="lgsl-services")
    assert services.publisher == "LG Inform Plus (esd standards)"
    assert services.version.startswith("LGSL 4.x")


def test_functions_form_a_two_level_hierarchy() -> None:
    import_fixtures()

    functions = Code.objects.in_list("lgsl-functions")
    assert list(functions.roots().values_list("code", flat=True)) == ["1", "6"]
    advice = functions.get(code="1")
    assert list(functions.children_of(advice).values_list("label", flat=True)) == [
        "Advice and welfare rights",
        "Benefits",
    ]
    assert functions.get(code="7").parent == functions.get(code="6")


def test_codes_keep_the_order_of_the_file() -> None:
    import_fixtures()

    assert list(Code.objects.in_list("lgsl-services").values_list("code", flat=True)) == [
        "1614",
        "1512",
        "372",
        "1",
        "58",
    ]


def test_a_services_code_and_a_functions_code_may_share_a_number() -> None:
    import_fixtures()

    lgsl = Code.objects.filter(code_list__slug__in=["lgsl-services", "lgsl-functions"])
    assert lgsl.filter(code="1").count() == 2


def test_importing_records_an_import_run() -> None:
    output = import_fixtures()

    run = ImportRun.objects.get(source="lgsl")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.created, run.updated, run.unchanged) == (10, 10, 0, 0)
    assert run.location == str(FIXTURES / FOLDER / "lgsl_services.csv")
    assert "lgsl: 10 rows read, 10 created, 0 updated, 0 unchanged, 0 rejected" in output


def test_importing_twice_changes_nothing() -> None:
    import_fixtures()
    before = list(Code.objects.order_by("pk").values_list())

    output = import_fixtures()

    assert list(Code.objects.order_by("pk").values_list()) == before
    second = ImportRun.objects.filter(source="lgsl").latest()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    assert "0 codes created, 0 updated" in output


def test_a_changed_label_is_updated_in_place(tmp_path: Path) -> None:
    import_fixtures()
    data = copy_of_fixtures(tmp_path)
    services = data / FOLDER / "lgsl_services.csv"
    services.write_text(services.read_text().replace("Allotments,", "Allotment plots,"))

    import_fixtures(data)

    assert Code.objects.in_list("lgsl-services").get(code="58").label == "Allotment plots"
    run = ImportRun.objects.filter(source="lgsl").latest()
    assert (run.created, run.updated, run.unchanged) == (0, 1, 9)


def test_a_code_dropped_by_the_publisher_is_kept_but_deprecated(tmp_path: Path) -> None:
    import_fixtures()
    data = copy_of_fixtures(tmp_path)
    services = data / FOLDER / "lgsl_services.csv"
    lines = services.read_text().splitlines(keepends=True)
    services.write_text("".join(line for line in lines if not line.startswith("58,")))

    import_fixtures(data)

    allotments = Code.objects.in_list("lgsl-services").get(code="58")
    assert allotments.is_deprecated
    assert Code.objects.in_list("lgsl-services").current().count() == 4

    import_fixtures()

    allotments.refresh_from_db()
    assert not allotments.is_deprecated


def test_unless_imported_skips_lgsl_once_it_has_been_imported() -> None:
    import_fixtures()
    out = StringIO()

    call_command(
        "import_vocabularies", "--data-dir", str(FIXTURES), "--unless-imported", stdout=out
    )

    assert "lgsl: already imported on" in out.getvalue()
    assert ImportRun.objects.filter(source="lgsl").count() == 1


def test_the_importer_can_be_run_without_the_command() -> None:
    report = LgslImporter(data_dir=FIXTURES).run()

    assert (report.rows_read, report.created) == (10, 10)
