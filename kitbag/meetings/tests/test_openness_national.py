"""The national view (hex map, counts by nation, the table, filters, CSV and JSON) and the
openness API (rules, councils, one council's history), paginated like every list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kitbag.meetings.openness import queries as openness_queries
from kitbag.meetings.openness import services as openness_services
from kitbag.meetings.openness.services import PolicyChange
from kitbag.meetings.tests.openness_world import World, make_world
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path: Path, settings: Any) -> World:
    world = make_world()
    settings.KITBAG_DATA_DIR = str(tmp_path)
    hexjson = tmp_path / registry_queries.COUNCIL_HEXJSON
    hexjson.parent.mkdir(parents=True)
    codes = {"E07000001": (0, 0), "S12000001": (1, 2), "W06000001": (0, 1), "N09000001": (2, 0)}
    hexjson.write_text(
        json.dumps(
            {
                "layout": "odd-r",
                "hexes": {k: {"q": q, "r": r, "n": k} for k, (q, r) in codes.items()},
            }
        )
    )
    for council, gss in zip(
        [world.riverside, world.glen, world.cwm, world.lough], codes, strict=True
    ):
        IdentifierFactory.create(organisation=council, scheme=IdentifierScheme.GSS, value=gss)
    openness_services.record_policy(
        council=world.riverside,
        activity="filming",
        change=PolicyChange(status="prohibited", evidence_url="https://riverside.example/so"),
        by=world.editor,
    )
    openness_services.record_policy(
        council=world.glen,
        activity="filming",
        change=PolicyChange(status="allowed-with-conditions", conditions="From the gallery"),
        by=world.moderator,
    )
    return world


def test_the_national_page_has_a_map_counts_by_nation_and_a_table_of_every_council(
    world: World, client: Client
) -> None:
    response = client.get("/meetings/openness/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert html.count("<polygon") == 4
    assert 'aria-label="Riverside District Council: Prohibited"' in html
    assert 'aria-label="Cwm County Borough Council: Unknown (no council policy recorded)"' in html
    assert 'stroke="#0b0c0c" stroke-width="3"' in html  # Riverside is stricter than the law
    assert "4 councils" in html
    for name in (
        "Riverside District Council",
        "Glen Council",
        "Cwm County Borough Council",
        "Lough District Council",
    ):
        assert f">{name}</a></th>" in html


def test_the_counts_by_nation_tally_the_status_of_the_chosen_activity(world: World) -> None:
    rows = openness_queries.national_table()
    counts = {c.nation: c for c in openness_queries.counts_by_nation(rows, activity="filming")}
    assert counts["England"].by_status["prohibited"] == 1 and counts["England"].stricter == 1
    assert counts["Scotland"].by_status["allowed-with-conditions"] == 1
    assert counts["Scotland"].recorded == 1 and counts["Wales"].recorded == 0
    assert counts["Wales"].by_status["unknown"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nation=Scotland", {"Glen Council"}),
        ("activity=filming&status=prohibited", {"Riverside District Council"}),
        ("activity=filming&status=allowed", set()),
        ("activity=written-commentary&status=allowed", {"Riverside District Council"}),
        ("status=allowed-with-conditions", {"Glen Council"}),
        (
            "nation=Atlantis&status=nonsense",
            {
                "Riverside District Council",
                "Glen Council",
                "Cwm County Borough Council",
                "Lough District Council",
            },
        ),
    ],
)
def test_the_filters_choose_councils_by_nation_activity_and_status(
    world: World, client: Client, query: str, expected: set[str]
) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/meetings/openness/openness.csv?{query}")
                .getvalue()
                .decode("utf-8-sig")
            )
        )
    )
    assert {row["council"] for row in rows} == expected
    html = client.get(f"/meetings/openness/?{query}").content.decode()
    for name in expected:
        assert f">{name}</a></th>" in html


def test_the_csv_has_a_row_per_council_and_activity_saying_where_each_status_comes_from(
    world: World, client: Client
) -> None:
    response = client.get("/meetings/openness/openness.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 4 * 7
    riverside = {row["activity"]: row for row in rows if row["council_slug"] == "riverside"}
    assert riverside["filming"]["status"] == "prohibited"
    assert riverside["filming"]["source"] == "policy"
    assert riverside["filming"]["origin"] == "council-policy"
    assert riverside["filming"]["stricter_than_law"] == "true"
    assert riverside["filming"]["evidence_url"] == "https://riverside.example/so"
    assert riverside["photography"]["source"] == "law"
    assert riverside["photography"]["origin"] == "statutory-position"
    assert riverside["photography"]["status"] == "allowed"
    assert riverside["photography"]["legal_position"] == "statutory-right"
    assert "SI 2014/2095" in riverside["photography"]["law"]
    assert riverside["oral-commentary"]["source"] == "unknown"
    assert riverside["oral-commentary"]["status"] == "unknown"
    assert riverside["oral-commentary"]["law"] == ""
    # Wales's duty to broadcast full council, and Northern Ireland's to publish its recordings.
    cwm = {row["activity"]: row for row in rows if row["council_slug"] == "cwm"}
    assert (cwm["council-webcast"]["status"], cwm["council-webcast"]["source"]) == (
        "allowed",
        "law",
    )
    assert cwm["council-webcast"]["law"] == (
        "Local Government and Elections (Wales) Act 2021, section 46"
    )
    assert cwm["filming"]["source"] == "unknown"
    lough = {row["activity"]: row for row in rows if row["council_slug"] == "lough"}
    assert lough["published-recordings"]["source"] == "law"
    assert "(Northern Ireland) 2014, section 47" in lough["published-recordings"]["law"]
    assert lough["council-webcast"]["source"] == "unknown"


def test_the_json_download_matches_the_csv_and_filters_by_activity(
    world: World, client: Client
) -> None:
    response = client.get("/meetings/openness/openness.json?activity=filming")
    data = response.json()
    assert data["count"] == 4 and {r["activity"] for r in data["results"]} == {"filming"}
    glen = next(r for r in data["results"] if r["council_slug"] == "glen")
    assert glen["conditions"] == "From the gallery" and glen["verified_by"] == "a moderator"


def test_the_national_table_takes_a_fixed_number_of_queries(world: World) -> None:
    for n in range(20):
        OrganisationFactory.create(name=f"Extra Council {n}", slug=f"extra-{n}")
    with CaptureQueriesContext(connection) as few:
        openness_queries.national_table()
    for n in range(20, 60):
        OrganisationFactory.create(name=f"Extra Council {n}", slug=f"extra-{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(openness_queries.national_table()) == 64
    assert len(many) == len(few) <= 4


def test_former_councils_are_not_in_the_national_view(world: World) -> None:
    OrganisationFactory.create(
        name="Old District Council", slug="old", end_date=dt.date(2020, 3, 31)
    )
    assert "Old District Council" not in {
        row.council.name for row in openness_queries.national_table()
    }


# --- The API ------------------------------------------------------------------------------------


def test_the_rules_api_lists_the_law_paginated_and_filtered(world: World, client: Client) -> None:
    data = client.get("/api/v1/openness/rules?page_size=10").json()
    assert data["count"] == 28 and len(data["results"]) == 10 and data["next"]
    wales = client.get("/api/v1/openness/rules?nation=Wales&activity=council-webcast").json()
    assert wales["count"] == 1
    assert wales["results"][0]["position"] == "statutory-duty"
    assert wales["results"][0]["in_force_from"] == "2022-05-05"
    assert client.get("/api/v1/openness/rules?nation=Atlantis").status_code == 400


def test_the_councils_api_is_the_national_table(world: World, client: Client) -> None:
    data = client.get("/api/v1/openness/councils?page_size=2").json()
    assert data["count"] == 4 and len(data["results"]) == 2 and data["next"]
    only = client.get("/api/v1/openness/councils?activity=filming&status=prohibited").json()
    assert [r["slug"] for r in only["results"]] == ["riverside"]
    row = only["results"][0]
    assert row["stricter_than_law"] is True and row["organisation"] == "RIV"
    filming = next(a for a in row["activities"] if a["activity"] == "filming")
    assert filming == {
        "activity": "filming",
        "status": "prohibited",
        "origin": "council-policy",
        "source": "policy",
        "law": "",
        "stricter_than_law": True,
        "legal_position": "statutory-right",
        "version": 1,
    }
    assert client.get("/api/v1/openness/councils?status=maybe").status_code == 400


def test_the_council_api_gives_each_activity_with_the_law_and_every_version(
    world: World, client: Client
) -> None:
    openness_services.record_policy(
        council=world.riverside,
        activity="filming",
        change=PolicyChange(status="allowed", evidence_url="https://riverside.example/new"),
        by=world.admin,
    )
    data = client.get("/api/v1/openness/councils/RIV").json()
    assert data["slug"] == "riverside" and len(data["activities"]) == 7
    filming = next(a for a in data["activities"] if a["activity"] == "filming")
    assert [v["version"] for v in filming["history"]] == [2, 1]
    assert [v["current"] for v in filming["history"]] == [True, False]
    assert (
        filming["history"][1]["status"] == "prohibited" and filming["history"][1]["superseded_at"]
    )
    assert filming["position"]["status"] == "allowed"
    assert filming["law"]["instrument"].startswith("The Openness of Local Government Bodies")
    assert "editor@" not in json.dumps(data) and "admin@" not in json.dumps(data)
    assert client.get("/api/v1/openness/councils/riverside").json()["organisation"] == "RIV"
    assert client.get("/api/v1/openness/councils/NOPE").status_code == 404


def test_the_api_says_where_each_answer_comes_from_and_names_the_law(
    world: World, client: Client
) -> None:
    cwm = client.get("/api/v1/openness/councils/CWM").json()
    positions = {a["activity"]: a["position"] for a in cwm["activities"]}
    webcast = positions["council-webcast"]
    assert (webcast["status"], webcast["source"], webcast["origin"]) == (
        "allowed",
        "law",
        "statutory-position",
    )
    assert webcast["law"] == "Local Government and Elections (Wales) Act 2021, section 46"
    assert (positions["filming"]["status"], positions["filming"]["source"]) == (
        "unknown",
        "unknown",
    )
    glen = client.get("/api/v1/openness/councils?nation=Scotland").json()["results"][0]
    filming = next(a for a in glen["activities"] if a["activity"] == "filming")
    assert filming["source"] == "policy" and filming["law"] == ""


def test_conditions_that_would_run_as_a_spreadsheet_formula_are_neutralised(
    world: World, client: Client
) -> None:
    openness_services.record_policy(
        council=world.cwm,
        activity="filming",
        change=PolicyChange(status="allowed-with-conditions", conditions='=HYPERLINK("x")'),
        by=world.moderator,
    )
    body = client.get("/meetings/openness/openness.csv?nation=Wales&activity=filming")
    rows = list(csv.DictReader(io.StringIO(body.getvalue().decode("utf-8-sig"))))
    assert rows[0]["conditions"] == '\'=HYPERLINK("x")'
