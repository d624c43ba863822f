"""Both importers on the real files in KITBAG_DATA_DIR, after the registry, as `make import` runs.

The figures checked are those of the reference (docs/reference/performance-statistics.md in the
shared docs): 6,376 Oflog rows for 157 councils, 35,466 LGBF rows for 32 councils.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kitbag.core.models import ImportRun
from kitbag.follows.models import StoredHappening
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.models import Indicator, Observation, Status
from kitbag.registry.importers import IMPORTERS as REGISTRY_IMPORTERS
from kitbag.registry.models import Organisation

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def reports(
    django_db_setup: None, django_db_blocker: Any, real_data_dir: Path
) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        for importer in REGISTRY_IMPORTERS:
            importer(data_dir=real_data_dir).run()
        imported = {i.source: i(data_dir=real_data_dir).run() for i in IMPORTERS}
    yield imported
    with django_db_blocker.unblock():
        Observation.objects.all().delete()
        StoredHappening.objects.all().delete()  # what the import announced to followers
        Indicator.objects.all().delete()
        Organisation.objects.all().delete()
        ImportRun.objects.all().delete()


def test_every_oflog_row_is_stored_against_its_own_council(reports: dict[str, Any]) -> None:
    assert reports["oflog"].rows_read == 6376
    assert reports["oflog"].rejected == 0, reports["oflog"].rejections[:5]
    assert Observation.objects.filter(indicator__source="oflog").count() == 6376
    assert (
        Observation.objects.filter(indicator__source="oflog").values("gss").distinct().count()
        == 157
    )
    assert Observation.objects.filter(indicator__source="oflog", value__isnull=True).count() == 298


def test_abolished_councils_and_their_successors_are_kept_apart(reports: dict[str, Any]) -> None:
    dorset_cc = Observation.objects.filter(gss="E10000009").values("organisation").distinct()
    dorset = Observation.objects.filter(gss="E06000059").values("organisation").distinct()
    assert dorset_cc.count() == dorset.count() == 1
    assert dorset_cc.get() != dorset.get()
    assert not Observation.objects.filter(gss="E06000058", period_label="2018-19").exists()
    assert Observation.objects.filter(gss="E06000028", period_label="2018-19").exists()


def test_the_asc2_2019_20_zeros_and_scillys_asc5_are_suspect(reports: dict[str, Any]) -> None:
    suspect = Observation.objects.filter(indicator__source="oflog", status=Status.SUSPECT)
    assert sorted(suspect.values_list("indicator__code", "period_label", "gss")) == sorted(
        [
            ("ASC2", "2019-20", gss)
            for gss in ("E06000041", "E09000001", "E10000016", "E06000053", "E08000009")
        ]
        + [("ASC5", "2016-17", "E06000053")]
    )


def test_every_lgbf_row_is_stored_against_a_scottish_council(reports: dict[str, Any]) -> None:
    assert reports["lgbf"].rows_read == 35466
    assert reports["lgbf"].rejected == 0, reports["lgbf"].rejections[:5]
    stored = Observation.objects.filter(indicator__source="lgbf")
    assert stored.count() == 35466
    assert stored.values("gss").distinct().count() == 32
    assert Indicator.objects.filter(source="lgbf").count() == 108
    assert stored.filter(gss="S12000036").exists()  # "Edinburgh City"
    assert Indicator.objects.get(source="lgbf", code="CHN01").family_type == "rurality"
    assert Indicator.objects.get(source="lgbf", code="CORP04").family_type == "deprivation"
    assert stored.get(indicator__code="CLIM05", gss="S12000017", period_label="2019-20").status == (
        Status.SUSPECT
    )


def test_importing_the_real_files_again_changes_nothing(
    reports: dict[str, Any], real_data_dir: Path
) -> None:
    for importer in IMPORTERS:
        again = importer(data_dir=real_data_dir).run()
        assert (again.created, again.updated) == (0, 0)
