"""`kitbag export-observations` on the fixtures: the contract's columns, Kitbag's figures beside
the publisher's, and blanks where a column does not apply."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kitbag.performance.exports import CONTRACT_COLUMNS
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported() -> None:
    fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()


def export(source: str, path: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    call_command("export_observations", "--source", source, str(path), stdout=StringIO())
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames is not None
        assert tuple(reader.fieldnames[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
        return {(r["indicator"], r["period"], r["gss"]): r for r in reader}


def test_oflog_rows_carry_median_mad_distance_and_band(imported: None, tmp_path: Path) -> None:
    rows = export("oflog", tmp_path / "oflog.csv")
    assert len(rows) == 10
    betaby = rows[("ASC1", "2018-19", "E06000002")]
    # 7.3, 7.6, 7.9 and a missing value: median 7.6, raw MAD 0.3, Betaby +1 MAD.
    assert float(betaby["median"]) == pytest.approx(7.6)
    assert float(betaby["mad"]) == pytest.approx(0.3)
    assert float(betaby["mads_from_median"]) == pytest.approx(1.0)
    assert betaby["band"] == "slightly-above"
    assert betaby["wording"] == "slightly better than the England median"
    assert betaby["organisation"]  # the registry's primary code
    assert (betaby["family_group"], betaby["family_group_average"], betaby["national_value"]) == (
        "",
        "",
        "",
    )
    missing = rows[("ASC1", "2018-19", "E10000002")]
    assert (missing["value"], missing["mads_from_median"], missing["band"]) == ("", "", "")


def test_suspect_values_are_left_out_of_kitbags_figures_but_the_published_ones_stay(
    imported: None, tmp_path: Path
) -> None:
    rows = export("oflog", tmp_path / "oflog.csv")
    zero = rows[("ASC2", "2019-20", "E06000002")]
    assert zero["status"] == "suspect"
    # Kitbag's median of 0.41 and 0.42; Oflog's included the zero.
    assert float(zero["median"]) == pytest.approx(0.415)
    assert float(zero["published_median"]) == pytest.approx(0.41)


def test_lgbf_rows_carry_the_family_group_average_and_the_scotland_ratio_of_sums(
    imported: None, tmp_path: Path
) -> None:
    rows = export("lgbf", tmp_path / "lgbf.csv")
    argyll = rows[("C&L01", "2021-22", "S12000035")]
    assert (argyll["family_group"], float(argyll["family_group_average"])) == ("rurality-1", 3.0)
    # (200 + 300) x 1000 / (100 + 100): the ratio of sums with the numerator multiplier.
    assert float(argyll["national_value"]) == pytest.approx(2500.0)
    assert argyll["national_method"] == "ratio of sums"
    # Without numerators the source's own Scotland figure is used.
    looked_after = rows[("CHN01", "2020-21", "S12000033")]
    assert (float(looked_after["national_value"]), looked_after["national_method"]) == (
        0.55,
        "published",
    )


def test_exporting_before_importing_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="import-performance first"):
        call_command("export_observations", "--source", "lgbf", str(tmp_path / "x.csv"))
