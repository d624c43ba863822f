"""Targets on a partnership indicator and the straight-line trend on its page: who may set a
target (page and form), and the chart and table that draw both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.performance import services
from kitbag.performance.models import Target
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import (
    ROLES,
    PartnershipWorld,
    build_partnership_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PartnershipWorld:
    return build_partnership_world()


def _owner(world: PartnershipWorld) -> User:
    person = world.people["owner"]
    assert isinstance(person, User)
    return person


def _published(world: PartnershipWorld, values: list[float], area: str = "E06000001") -> None:
    owner = _owner(world)
    for n, value in enumerate(values):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=world.indicator,
                organisation=None,
                area=area,
                period=financial_year(2016 + n),
                value=value,
                visibility="public",
            ),
            owner=world.organisations["owner"],
            entered_by=owner,
        )
        services.approve_figure(observation=figure, by=owner)
        services.publish_figure(observation=figure, by=owner)


def _page(world: PartnershipWorld, role: str = "anonymous", query: str = "") -> str:
    url = reverse("performance:indicator_detail", args=[world.indicator.slug]) + query
    response = world.client(role).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=list(ROLES))
def test_only_verified_members_of_the_owning_organisation_set_targets(
    world: PartnershipWorld, role: str
) -> None:
    may = role == "owner"
    assert can(world.people[role], "set_target", world.indicator) is may
    url = reverse("performance:target_set", args=[world.indicator.slug])
    client = world.client(role)
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302  # to sign in
    else:
        assert response.status_code == (200 if may else 403)
    posted = client.post(url, {"financial_year": "2022", "area": "E06000001", "value": "3.5"})
    assert Target.objects.exists() is may
    if may:
        assert posted.status_code == 302
    assert ("Set a target" in _page(world, role)) is may


def test_the_owner_sets_and_replaces_a_target_through_the_form(world: PartnershipWorld) -> None:
    client = world.client("owner")
    url = reverse("performance:target_set", args=[world.indicator.slug])
    data = {"financial_year": "2022", "area": "e06000001", "value": "3.5", "note": "Halve it"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "value": "3.0"}).status_code == 302
    target = Target.objects.get()
    assert (target.gss, target.period, target.value, target.note) == (
        "E06000001",
        "2022-04-01/P1Y",
        3.0,
        "Halve it",
    )
    assert target.set_by == _owner(world)


def test_the_form_says_what_is_wrong(world: PartnershipWorld) -> None:
    url = reverse("performance:target_set", args=[world.indicator.slug])
    response = world.client("owner").post(url, {"period": "soon", "value": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Error:" in body
    assert "Give an organisation or an area" in body
    assert not Target.objects.exists()


def test_an_imported_indicator_has_no_targets(world: PartnershipWorld) -> None:
    world.indicator.partnership = None
    assert can(world.people["owner"], "set_target", world.indicator) is False
    with pytest.raises(ValueError, match="partnership"):
        services.set_target(
            indicator=world.indicator,
            organisation=None,
            area="E06000001",
            period=financial_year(2022),
            value=1.0,
            note="",
            set_by=_owner(world),
        )


def test_the_page_draws_the_trend_and_targets_and_marks_them_in_the_table(
    world: PartnershipWorld,
) -> None:
    _published(world, [10.0, 9.0, 8.0, 7.0])
    services.set_target(
        indicator=world.indicator,
        organisation=None,
        area="E06000001",
        period=financial_year(2021),
        value=5.5,
        note="",
        set_by=_owner(world),
    )
    page = _page(world)
    assert "a straight-line trend, not a prediction." in page
    assert 'stroke-dasharray="2 4"' in page  # the trend's dotted line
    assert "Triangles: targets." in page
    # The table says the same without the picture: figures, the trend's three periods, the target.
    rows = page.split('id="trend-caption"')[1].split("</table>")[0]
    for period, kind, value in (
        ("2019-20", "figure", "7.0"),
        ("2020-21", "forecast", "6.0"),
        ("2021-22", "forecast", "5.0"),
        ("2021-22", "target", "5.5"),
        ("2022-23", "forecast", "4.0"),
    ):
        assert (
            f'<th scope="row" class="govuk-table__header">{period}</th>\n'
            f'      <td class="govuk-table__cell">{kind}</td>\n'
            f'      <td class="govuk-table__cell govuk-table__cell--numeric">{value}</td>'
        ) in rows


def test_too_few_figures_draw_no_trend_and_say_so(world: PartnershipWorld) -> None:
    _published(world, [10.0, 9.0])
    page = _page(world)
    assert "Fewer than three figures: no trend is drawn." in page
    assert 'stroke-dasharray="2 4"' not in page
    assert ">forecast<" not in page


def test_the_reader_chooses_whose_series_to_see(world: PartnershipWorld) -> None:
    _published(world, [1.0, 2.0, 3.0], area="E06000001")
    _published(world, [30.0, 20.0, 10.0], area="E06000002")
    page = _page(world, query="?subject=gss:E06000002")
    assert "E06000002: trend and targets" in page
    assert ">0.0<" in page  # 10 less 10 a year: the trend's first period
    # Anything else falls back to the first subject, never an error.
    assert "E06000001: trend and targets" in _page(world, query="?subject=nonsense")


def test_targets_are_seen_only_by_those_who_may_see_the_indicator() -> None:
    world = build_partnership_world(indicator_visibility="partners")
    _published(world, [10.0, 9.0, 8.0])
    services.set_target(
        indicator=world.indicator,
        organisation=None,
        area="E06000001",
        period=financial_year(2020),
        value=6.5,
        note="",
        set_by=_owner(world),
    )
    url = reverse("performance:indicator_detail", args=[world.indicator.slug])
    assert world.client("anonymous").get(url).status_code == 404
    assert world.client("outsider").get(url).status_code == 404
    assert ">6.5<" in world.client("other_partner").get(url).content.decode()


def test_the_page_reads_a_fixed_number_of_queries(
    world: PartnershipWorld, django_assert_max_num_queries
) -> None:
    _published(world, [10.0, 9.0, 8.0, 7.0], area="E06000001")
    _published(world, [1.0, 2.0, 3.0, 4.0], area="E06000002")
    url = reverse("performance:indicator_detail", args=[world.indicator.slug])
    client = world.client("other_partner")
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
