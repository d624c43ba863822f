"""The indicators and observations in the API, on the fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.performance.importers import IMPORTERS
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported() -> None:
    fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()


def get(path: str, **query: Any) -> Any:
    response = Client().get(path, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_indicators_are_listed_with_polarity_and_evaluation_only(imported: None) -> None:
    body = get("/api/v1/indicators", source="oflog")
    assert [i["code"] for i in body["results"]] == ["ASC1", "ASC2", "ASC6"]
    asc1 = body["results"][0]
    assert (asc1["polarity"], asc1["evaluation_only"]) == ("higher", True)
    assert asc1["observations_url"].endswith("/api/v1/indicators/oflog-asc1/observations")
    assert get("/api/v1/indicators")["count"] == 6


def test_observations_carry_kitbags_comparison_beside_the_publishers(imported: None) -> None:
    body = get("/api/v1/indicators/oflog-asc1/observations", period="2018-19")
    assert body["count"] == 4
    by_gss = {o["gss"]: o for o in body["results"]}
    betaby = by_gss["E06000002"]
    assert betaby["median"] == pytest.approx(7.6)
    assert betaby["mads_from_median"] == pytest.approx(1.0)
    assert (betaby["band"], betaby["wording"]) == (
        "slightly-above",
        "slightly better than the England median",
    )
    assert betaby["published_median"] == 7.6
    assert (betaby["source_file"], betaby["source_row"]) == (
        "oflog_adult_social_care_metrics.csv",
        3,
    )


def test_observations_filter_by_organisation_code(imported: None) -> None:
    code = get("/api/v1/indicators/oflog-asc1/observations")["results"][1]["organisation"]
    body = get("/api/v1/indicators/oflog-asc1/observations", organisation=code)
    assert {o["organisation"] for o in body["results"]} == {code}


def test_an_unknown_indicator_or_source_is_an_error() -> None:
    assert Client().get("/api/v1/indicators/nope/observations").status_code == 404
    assert Client().get("/api/v1/indicators", {"source": "nope"}).status_code == 400
