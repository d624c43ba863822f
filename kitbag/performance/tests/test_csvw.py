"""The CSV of any indicator's figures and its CSVW metadata: every column described in order,
JSON that parses, the Link header and the page's links, and only what the reader may see."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.performance import csvw, services
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import PartnershipWorld, build_partnership_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PartnershipWorld:
    built = build_partnership_world()
    owner = built.people["owner"]
    assert isinstance(owner, User)
    for n, (area, publish) in enumerate(
        (("E06000001", True), ("E06000002", False), ("E06000003", True))
    ):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=built.indicator,
                organisation=None,
                area=area,
                period=financial_year(2018 + n),
                value=float(n) + 0.5,
                visibility="public",
            ),
            owner=built.organisations["owner"],
            entered_by=owner,
        )
        if publish:
            services.approve_figure(observation=figure, by=owner)
            services.publish_figure(observation=figure, by=owner)
    return built


def _csv(world: PartnershipWorld, role: str) -> tuple[list[list[str]], str]:
    response = world.client(role).get(
        reverse("performance:observations_csv", args=[world.indicator.slug])
    )
    assert response.status_code == 200
    content = response.streaming_content  # type: ignore[attr-defined]
    text = b"".join(content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text))), response["Link"]


def _metadata(world: PartnershipWorld, role: str = "anonymous") -> dict:
    response = world.client(role).get(
        reverse("performance:observations_csvw", args=[world.indicator.slug])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/csvm+json")
    return json.loads(response.content)


def test_every_csv_column_is_described_in_order(world: PartnershipWorld) -> None:
    rows, _link = _csv(world, "anonymous")
    metadata = _metadata(world)
    columns = metadata["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == rows[0]
    for column in columns:
        assert set(column) == {"name", "titles", "datatype", "dc:description", "required"}
        assert column["titles"] and column["dc:description"]
    assert set(metadata["tableSchema"]["primaryKey"]) <= set(rows[0])


def test_the_metadata_names_the_csv_the_licence_and_the_publisher(world: PartnershipWorld) -> None:
    metadata = _metadata(world)
    assert metadata["@context"] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == "http://testserver" + reverse(
        "performance:observations_csv", args=[world.indicator.slug]
    )
    assert metadata["dc:title"].startswith("FALLS1 Emergency admissions after a fall")
    assert metadata["dc:publisher"] == world.organisations["owner"].display_name
    assert metadata["dc:license"]


def test_the_csv_points_to_its_metadata(world: PartnershipWorld) -> None:
    _rows, link = _csv(world, "anonymous")
    url = "http://testserver" + reverse(
        "performance:observations_csvw", args=[world.indicator.slug]
    )
    assert link == f'<{url}>; rel="describedby"; type="application/csvm+json"'


def test_the_page_links_the_csv_and_its_metadata(world: PartnershipWorld) -> None:
    page = world.client("anonymous").get(
        reverse("performance:indicator_detail", args=[world.indicator.slug])
    )
    body = page.content.decode()
    assert reverse("performance:observations_csv", args=[world.indicator.slug]) in body
    assert reverse("performance:observations_csvw", args=[world.indicator.slug]) in body


def test_the_csv_holds_only_what_the_reader_may_see(world: PartnershipWorld) -> None:
    public, _ = _csv(world, "anonymous")
    assert [r[csvw.COLUMN_NAMES.index("gss")] for r in public[1:]] == ["E06000001", "E06000003"]
    first = dict(zip(public[0], public[1], strict=True))
    assert first["period"] == "2018-04-01/P1Y"
    assert first["period_start"] == "2018-04-01"
    assert first["value"] == "0.5"
    partner, _ = _csv(world, "other_partner")  # partners see the draft too
    assert len(partner) == 4


def test_an_indicator_the_reader_may_not_see_has_neither_file() -> None:
    world = build_partnership_world(indicator_visibility="partners")
    for name in ("observations_csv", "observations_csvw"):
        url = reverse(f"performance:{name}", args=[world.indicator.slug])
        assert world.client("outsider").get(url).status_code == 404
        assert world.client("owner").get(url).status_code == 200


def test_the_csv_reads_a_fixed_number_of_queries(
    world: PartnershipWorld, django_assert_max_num_queries
) -> None:
    client = world.client("other_partner")
    url = reverse("performance:observations_csv", args=[world.indicator.slug])
    with django_assert_max_num_queries(8):
        response = client.get(url)
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_primary_key_uses_only_columns_every_row_has(world: PartnershipWorld) -> None:
    metadata = _metadata(world)
    required = {c["name"] for c in metadata["tableSchema"]["columns"] if c["required"]}
    assert metadata["tableSchema"]["primaryKey"] == ["indicator", "period", "subject"]
    assert set(metadata["tableSchema"]["primaryKey"]) <= required
    rows, _ = _csv(world, "other_partner")
    header = rows[0]
    for row in rows[1:]:  # area figures: organisation blank, subject not
        record = dict(zip(header, row, strict=True))
        assert record["organisation"] == ""
        assert record["subject"] == f"area:{record['gss']}"
    keys = [tuple(r[header.index(k)] for k in ("indicator", "period", "subject")) for r in rows[1:]]
    assert len(keys) == len(set(keys))


def test_values_are_rounded_to_the_indicators_places_as_the_page_shows(
    world: PartnershipWorld,
) -> None:
    owner = world.people["owner"]
    assert isinstance(owner, User)
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=world.organisations["lead"],
            area="",
            period=financial_year(2022),
            value=0.1 + 0.2,  # 0.30000000000000004
            visibility="public",
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    services.approve_figure(observation=figure, by=owner)
    services.publish_figure(observation=figure, by=owner)
    rows, _ = _csv(world, "anonymous")
    record = dict(zip(rows[0], rows[-1], strict=True))
    assert record["value"] == "0.3"
    assert record["subject"] == "organisation:LEAD"


def test_decimal_text_and_plain_numbers() -> None:
    assert csvw.decimal_text(0.1 + 0.2, 3) == "0.300"
    assert csvw.decimal_text(7.25, 1) == "7.2"  # half to even, as Python formats
    assert csvw.decimal_text(-0.0001, 2) == "0.00"
    assert csvw.decimal_text(-0.5, 1) == "-0.5"
    assert csvw.decimal_text(None, 1) == ""
    assert csvw.plain_number(1234.0) == "1234"
    assert csvw.plain_number(0.1 + 0.2) == "0.3"
    assert csvw.plain_number(None) == ""


def test_a_fraction_shown_as_a_percentage_keeps_the_pages_precision() -> None:
    class Shown:
        decimal_places = 1
        show_as_percent = True

    assert csvw.value_places(Shown()) == 3
