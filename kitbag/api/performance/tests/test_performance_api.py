"""The indicators and observations in the API, on the fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.performance import services
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.partnership_world import build_partnership_world
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


@pytest.mark.parametrize("slug", ["oflog-asc1", "lgbf-c-and-l01"])
def test_an_evaluation_only_sources_figures_are_refused_saying_why(
    imported: None, slug: str
) -> None:
    response = Client().get(f"/api/v1/indicators/{slug}/observations", {"period": "2018-19"})
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "evaluation only" in detail and "does not republish" in detail


def test_a_partnership_indicators_figures_are_served_compared(imported: None) -> None:
    world = build_partnership_world()
    owner = world.people["owner"]
    assert owner is not None
    for n, area in enumerate(("E06000001", "E06000002", "E06000003")):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=world.indicator,
                organisation=None,
                area=area,
                period=financial_year(2020),
                value=float(n + 1),
                visibility="public",
            ),
            owner=world.organisations["owner"],
            entered_by=owner,
        )
        services.approve_figure(observation=figure, by=owner)
        services.publish_figure(observation=figure, by=owner)
    body = get(f"/api/v1/indicators/{world.indicator.slug}/observations")
    assert [o["gss"] for o in body["results"]] == ["E06000001", "E06000002", "E06000003"]
    assert body["results"][0]["median"] == pytest.approx(2.0)
    assert body["results"][0]["rank"] == 1  # lower is better


def test_an_unknown_indicator_or_source_is_an_error() -> None:
    assert Client().get("/api/v1/indicators/nope/observations").status_code == 404
    assert Client().get("/api/v1/indicators", {"source": "nope"}).status_code == 400


def _targeted_world(**visibility: str) -> Any:
    world = build_partnership_world(**visibility)
    owner = world.people["owner"]
    assert owner is not None
    for year, value in ((2024, 9.0), (2025, 8.0)):
        services.set_target(
            indicator=world.indicator,
            organisation=None,
            area="E06000001",
            period=financial_year(year),
            value=value,
            note="Down a point a year.",
            set_by=owner,
        )
    return world


def test_a_partnerships_targets_are_in_the_api_beside_its_figures() -> None:
    world = _targeted_world()
    partnership = get(f"/api/v1/partnerships/{world.partnership.slug}")
    assert partnership["targets_url"].endswith(
        f"/api/v1/partnerships/{world.partnership.slug}/targets"
    )
    body = get(f"/api/v1/partnerships/{world.partnership.slug}/targets", indicator="FALLS1")
    assert [(t["period_label"], t["value"], t["gss"]) for t in body["results"]] == [
        ("2024-25", 9.0, "E06000001"),
        ("2025-26", 8.0, "E06000001"),
    ]
    first = body["results"][0]
    assert (first["indicator"], first["organisation"], first["period_interval"]) == (
        "FALLS1",
        None,
        "2024-04-01/P1Y",
    )
    assert first["note"] == "Down a point a year."
    assert (
        get(f"/api/v1/partnerships/{world.partnership.slug}/targets", indicator="NOPE")["count"]
        == 0
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("signed_in", False),
        ("outsider", False),
        ("observer", True),
        ("owner", True),
        ("coordinator", True),
    ],
)
def test_targets_follow_the_indicators_visibility_as_its_figures_do(role: str, sees: bool) -> None:
    world = _targeted_world(indicator_visibility="partners")
    response = world.client(role).get(f"/api/v1/partnerships/{world.partnership.slug}/targets")
    assert response.status_code == 200
    assert response.json()["count"] == (2 if sees else 0)


def test_a_hidden_partnerships_targets_are_not_found() -> None:
    world = _targeted_world(visibility="partners")
    url = f"/api/v1/partnerships/{world.partnership.slug}/targets"
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("lead").get(url).json()["count"] == 2
