"""Both importers on small hand-written files: what is stored, suspect values, idempotency, bad
input that changes nothing, and bodies the registry does not know."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kitbag.core.models import ImportRun
from kitbag.performance.importers import LgbfImporter, OflogImporter
from kitbag.performance.models import Indicator, Observation, Polarity, Status
from kitbag.performance.tests.factories import fixture_councils

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
OFLOG = "oflog_adult_social_care/oflog_adult_social_care_metrics.csv"
LGBF = "lgbf_scotland_performance_indicators/LGBF_ScotDataReal_ISSpatialHub.csv"


@pytest.fixture
def councils() -> None:
    fixture_councils()


def run(*args: str, data_dir: Path = FIXTURES) -> str:
    out = StringIO()
    call_command("import_performance", "--data-dir", str(data_dir), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def copy_of_fixtures(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_oflog_stores_each_council_figure_with_its_provenance(councils: None) -> None:
    report = OflogImporter(data_dir=FIXTURES).run()
    assert report.created == 10
    asc1 = Indicator.objects.get(source="oflog", code="ASC1")
    assert asc1.name == "ASC Carer Quality of Life"
    assert asc1.polarity == Polarity.HIGHER_BETTER
    assert Indicator.objects.get(code="ASC6").polarity == Polarity.CONTEXTUAL
    betaby = Observation.objects.get(indicator=asc1, gss="E06000002")
    assert (betaby.period, betaby.period_label, betaby.value) == ("2018-04-01/P1Y", "2018-19", 7.9)
    assert betaby.body.short_name == "Betaby"
    assert (betaby.published_median, betaby.council_type) == (7.6, "Unitary Authorities")
    assert betaby.import_run == ImportRun.objects.get(source="oflog")
    assert (betaby.source_file, betaby.source_row) == ("oflog_adult_social_care_metrics.csv", 3)


def test_oflog_keeps_a_missing_value_missing_and_flags_a_zero(councils: None) -> None:
    OflogImporter(data_dir=FIXTURES).run()
    missing = Observation.objects.get(indicator__code="ASC1", gss="E10000002")
    assert missing.value is None and missing.published_mads is None
    zero = Observation.objects.get(indicator__code="ASC2", gss="E06000002")
    assert zero.value == 0.0 and zero.status == Status.SUSPECT
    assert "missing data" in zero.status_reason


def test_lgbf_stores_values_groups_and_the_scotland_figure(councils: None) -> None:
    report = LgbfImporter(data_dir=FIXTURES).run()
    assert report.created == 7
    library = Indicator.objects.get(source="lgbf", code="C&L01")
    assert (library.slug, library.polarity, library.family_type) == (
        "lgbf-c-and-l01",
        Polarity.LOWER_BETTER,
        "rurality",
    )
    assert (library.numerator_multiplier, library.decimal_places) == (1000.0, 2)
    argyll = Observation.objects.get(indicator=library, gss="S12000035")
    assert (argyll.value, argyll.numerator, argyll.denominator) == (3.0, 300.0, 100.0)
    assert (argyll.family_group, argyll.published_national) == ("rurality-1", 2.5)
    # "Edinburgh City" is the registry's City of Edinburgh.
    assert Observation.objects.get(indicator=library, gss="S12000036").value is None
    looked_after = Indicator.objects.get(code="CHN01")
    assert looked_after.family_type == "deprivation" and looked_after.show_as_percent
    goldilocks = Indicator.objects.get(code="CORP03b")
    assert (goldilocks.polarity, goldilocks.midpoint) == (Polarity.MIDPOINT, 0.5)
    # A two-year aggregate is a two-year interval; its group "2" takes the type of the indicator.
    aggregate = Observation.objects.get(indicator=goldilocks)
    assert (aggregate.period, aggregate.family_group) == ("2019-04-01/P2Y", "rurality-2")


def test_lgbf_flags_a_zero_between_two_values(councils: None) -> None:
    LgbfImporter(data_dir=FIXTURES).run()
    series = Observation.objects.filter(indicator__code="CHN01").order_by("period_start")
    assert [o.status for o in series] == [Status.FINAL, Status.SUSPECT, Status.FINAL]


def test_importing_twice_changes_nothing(councils: None) -> None:
    run()
    before = list(Observation.objects.values_list("pk", "import_run_id", "value"))
    output = run()
    assert "0 created, 0 updated, 10 unchanged" in output
    assert "0 created, 0 updated, 7 unchanged" in output
    assert list(Observation.objects.values_list("pk", "import_run_id", "value")) == before


def test_a_changed_value_is_updated_with_the_new_run_as_provenance(
    councils: None, copy_of_fixtures: Path
) -> None:
    run("--source", "oflog", data_dir=copy_of_fixtures)
    path = copy_of_fixtures / OFLOG
    path.write_text(path.read_text().replace("ASC1,7.9,", "ASC1,8.1,"))
    assert "0 created, 1 updated, 9 unchanged" in run(
        "--source", "oflog", data_dir=copy_of_fixtures
    )
    changed = Observation.objects.get(indicator__code="ASC1", gss="E06000002")
    assert changed.value == 8.1
    assert changed.import_run == ImportRun.objects.filter(source="oflog").latest("started_at")


@pytest.mark.parametrize(
    ("source", "file", "old", "new", "message"),
    [
        (
            "oflog",
            OFLOG,
            "ASC1,7.9,",
            "ASC1,seven,",
            "line 3, field Value: 'seven' is not a number",
        ),
        ("oflog", OFLOG, "2018-19,E06000002", "2018/19,E06000002", "line 3, field Financial year"),
        ("oflog", OFLOG, "2018-19,E06000002", "2018-19,XX", "field Local authority code"),
        (
            "oflog",
            OFLOG,
            '2019-20,E06000003,Epsilon,LA_Raw,Unitary Authorities,North East,"Outcome, ASC Quality of Life",ASC2,0.42',
            '2019-20,E06000002,Epsilon,LA_Raw,Unitary Authorities,North East,"Outcome, ASC Quality of Life",ASC2,0.42',
            "duplicate row for ASC2 E06000002 2019-20 (first on line 7)",
        ),
        ("lgbf", LGBF, "2021-22,3.0,", "2021-22,3.0x,", "line 3, field LA_IndicatorReal"),
        (
            "lgbf",
            LGBF,
            ",Rural",
            ",Rurall",
            "field FamilyGroup: 'Rurall' is not a family-group label",
        ),
        (
            "lgbf",
            LGBF,
            "6,CORP03b",
            "6,NOPE01",
            "line 8, field Code: 'NOPE01' is not in indicator_information.csv",
        ),
    ],
)
def test_bad_input_names_file_line_and_field_and_changes_nothing(
    councils: None, copy_of_fixtures: Path, source: str, file: str, old: str, new: str, message: str
) -> None:
    run(data_dir=copy_of_fixtures)
    before = list(Observation.objects.values_list("pk", "value", "import_run_id"))
    runs = ImportRun.objects.count()
    path = copy_of_fixtures / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CommandError) as raised:
        run("--source", source, data_dir=copy_of_fixtures)
    assert message in str(raised.value)
    assert path.name in str(raised.value)
    assert list(Observation.objects.values_list("pk", "value", "import_run_id")) == before
    assert ImportRun.objects.count() == runs


def test_a_body_the_registry_does_not_know_is_rejected_with_why() -> None:
    report = OflogImporter(data_dir=FIXTURES).run()
    assert report.created == 0 and report.rejected == 10
    assert "no organisation in the registry has the GSS code E06000001" in report.rejections[0]


def test_abolished_and_successor_councils_keep_their_own_series(councils: None) -> None:
    # Gammashire (E10000001) and Deltashire are separate bodies; each figure stays with the body
    # whose GSS code the row gives, never moved to a successor.
    OflogImporter(data_dir=FIXTURES).run()
    assert Observation.objects.get(gss="E10000001").body.short_name == "Gammashire"
    assert Observation.objects.get(gss="E10000002").body.short_name == "Deltashire"
