"""Every role against every visibility, sign-off state and embargo of a partner's figure, on
every channel: the rule (``can``), the indicator page, its chart, the partnership page, the CSV,
the API's partnership observations and indicator observations. Then the narrowing: a partnership
or an indicator narrower than a figure hides it, on every channel, including the partnership
list, the API's partnership list and detail and the organisation page's section.

The expectations are written out here independently of permissions.py, as the brief states them.
Search does not index partnerships or partners' figures (nothing to leak there); there is no feed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.performance import services
from kitbag.performance.models import Observation, SignOff, Visibility
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import (
    EVERYONE,
    PARTNERS,
    ROLES,
    PartnershipWorld,
    build_partnership_world,
)

pytestmark = pytest.mark.django_db

VISIBILITIES = (Visibility.PUBLIC, Visibility.PARTNERS, Visibility.ORGANISATION)
STATES = (SignOff.DRAFT, SignOff.APPROVED, SignOff.PUBLISHED)
EMBARGOES = (False, True)
STATES_OF_A_FIGURE = [(v, s, e) for v in VISIBILITIES for s in STATES for e in EMBARGOES]


def may_see_figure(role: str, visibility: str, state: str, embargoed: bool) -> bool:
    if role == "owner":
        return True
    if role in PARTNERS:
        return visibility in (Visibility.PUBLIC, Visibility.PARTNERS)
    return visibility == Visibility.PUBLIC and state == SignOff.PUBLISHED and not embargoed


def _gss(n: int) -> str:
    return f"E05{n:06d}"


def _figures(world: PartnershipWorld) -> dict[str, tuple[str, str, bool]]:
    """One figure of each state, each about its own area so every channel can be searched."""
    owner = world.people["owner"]
    assert isinstance(owner, User)
    made: dict[str, tuple[str, str, bool]] = {}
    for n, (visibility, state, embargoed) in enumerate(STATES_OF_A_FIGURE, start=1):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=world.indicator,
                organisation=None,
                area=_gss(n),
                period=financial_year(2023),
                value=100.0 + n,
                visibility=visibility,
                embargo_until=timezone.now() + dt.timedelta(days=30) if embargoed else None,
            ),
            owner=world.organisations["owner"],
            entered_by=owner,
        )
        if state != SignOff.DRAFT:
            services.approve_figure(observation=figure, by=owner)
        if state == SignOff.PUBLISHED:
            services.publish_figure(observation=figure, by=owner)
        made[_gss(n)] = (visibility, state, embargoed)
    return made


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _chart(client: Client, world: PartnershipWorld) -> str:
    page = _page(client, reverse("performance:indicator_detail", args=[world.indicator.slug]))
    return "".join(re.findall(r"<svg.*?</svg>", page, flags=re.S))


def _api(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = json.loads(response.content)
    assert body["count"] == len(body["results"])  # one page holds them all
    return json.dumps(body["results"])


CHANNELS: dict[str, Callable[[Client, PartnershipWorld], str]] = {
    "indicator-page": lambda c, w: _page(
        c, reverse("performance:indicator_detail", args=[w.indicator.slug])
    ),
    "partnership-page": lambda c, w: _page(
        c, reverse("performance:partnership_detail", args=[w.partnership.slug])
    ),
    "csv": lambda c, w: b"".join(
        c.get(reverse("performance:figures_csv", args=[w.partnership.slug])).streaming_content  # type: ignore[attr-defined]
    ).decode(),
    "api-partnership-observations": lambda c, w: _api(
        c, reverse("api_partnership_observations", args=[w.partnership.slug])
    ),
    "api-indicator-observations": lambda c, w: _api(
        c, reverse("api_indicator_observations", args=[w.indicator.slug])
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_for_every_state_of_a_figure(role: str) -> None:
    world = build_partnership_world()
    states = _figures(world)
    person = world.people[role]
    for gss, (visibility, state, embargoed) in states.items():
        figure = Observation.objects.get(gss=gss)
        assert can(person, "view", figure) == may_see_figure(role, visibility, state, embargoed), (
            gss,
            visibility,
            state,
            embargoed,
        )


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@pytest.mark.parametrize("role", ROLES)
def test_every_channel_shows_exactly_the_figures_the_person_may_see(
    role: str, channel: str
) -> None:
    world = build_partnership_world()
    states = _figures(world)
    text = CHANNELS[channel](world.client(role), world)
    for gss, (visibility, state, embargoed) in states.items():
        expected = may_see_figure(role, visibility, state, embargoed)
        assert (gss in text) == expected, (channel, role, gss, visibility, state, embargoed)


@pytest.mark.parametrize("role", ROLES)
def test_the_chart_draws_exactly_the_figures_the_person_may_see(role: str) -> None:
    """Bars are not labelled one by one (the table beside the chart is), so count them."""
    world = build_partnership_world()
    states = _figures(world)
    expected = sum(may_see_figure(role, *state) for state in states.values())
    svg = _chart(world.client(role), world)
    assert svg.count('fill="#b1b4b6"') == expected, role
    assert (f"{expected} bodies" in svg) == (expected > 0), role


def may_see_partnership(role: str, visibility: str) -> bool:
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.PARTNERS:
        return role in PARTNERS
    return role in {"lead", "coordinator"}  # the lead is its one organisation


def may_see_indicator(role: str, partnership: str, indicator: str) -> bool:
    if not may_see_partnership(role, partnership):
        return False
    if indicator == Visibility.PUBLIC:
        return True
    if indicator == Visibility.PARTNERS:
        return role in PARTNERS
    return role == "owner"  # the indicator's owner is its one organisation


NARROWING = [(p, i) for p in VISIBILITIES for i in VISIBILITIES]


@pytest.mark.parametrize(("partnership_visibility", "indicator_visibility"), NARROWING)
def test_a_narrower_partnership_or_indicator_hides_a_public_figure_everywhere(
    partnership_visibility: str, indicator_visibility: str
) -> None:
    world = build_partnership_world(
        visibility=partnership_visibility, indicator_visibility=indicator_visibility
    )
    owner = world.people["owner"]
    assert isinstance(owner, User)
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=None,
            area="E05999999",
            period=financial_year(2023),
            value=7.0,
            visibility=Visibility.PUBLIC,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    services.approve_figure(observation=figure, by=owner)
    services.publish_figure(observation=figure, by=owner)
    slug = world.partnership.slug
    for role in ROLES:
        client = world.client(role)
        sees_partnership = may_see_partnership(role, partnership_visibility)
        sees_figure = may_see_indicator(role, partnership_visibility, indicator_visibility)
        person = world.people[role]
        where = (role, partnership_visibility, indicator_visibility)
        assert can(person, "view", world.partnership) == sees_partnership, where
        assert can(person, "view", world.indicator) == sees_figure, where
        assert can(person, "view", figure) == sees_figure, where
        listed = _page(client, reverse("performance:partnership_list"))
        assert ("Healthy Ageing Together" in listed) == sees_partnership, where
        api_list = client.get(reverse("api_partnership_list")).json()
        assert (api_list["count"] == 1) == sees_partnership, where
        detail = client.get(reverse("api_partnership_detail", args=[slug]))
        assert (detail.status_code == 200) == sees_partnership, where
        page = client.get(reverse("performance:partnership_detail", args=[slug]))
        assert (page.status_code == 200) == sees_partnership, where
        organisation_page = _page(
            client,
            reverse("registry:organisation_detail", args=[world.organisations["owner"].slug]),
        )
        assert ("Healthy Ageing Together" in organisation_page) == sees_partnership, where
        indicator_page = client.get(
            reverse("performance:indicator_detail", args=[world.indicator.slug])
        )
        assert (indicator_page.status_code == 200) == sees_figure, where
        if sees_partnership:
            assert ("E05999999" in page.content.decode()) == sees_figure, where
            assert ("FALLS1" in json.dumps(detail.json())) == sees_figure, where
            observations = client.get(reverse("api_partnership_observations", args=[slug]))
            assert ("E05999999" in observations.content.decode()) == sees_figure, where
            csv = b"".join(
                client.get(reverse("performance:figures_csv", args=[slug])).streaming_content  # type: ignore[attr-defined]
            ).decode()
            assert ("E05999999" in csv) == sees_figure, where
        api_indicators = client.get(reverse("api_indicator_list")).json()
        assert ("FALLS1" in json.dumps(api_indicators)) == sees_figure, where


SIGN_OFF_RULES = [
    ("approve", SignOff.DRAFT, frozenset({"owner"})),
    ("approve", SignOff.APPROVED, frozenset()),
    ("publish", SignOff.DRAFT, frozenset()),
    ("publish", SignOff.APPROVED, frozenset({"owner"})),
    ("publish", SignOff.PUBLISHED, frozenset()),
    ("edit", SignOff.DRAFT, frozenset({"owner"})),
    ("edit", SignOff.PUBLISHED, frozenset()),
]


@pytest.mark.parametrize(("action", "state", "allowed"), SIGN_OFF_RULES)
def test_only_verified_members_of_the_owner_sign_off_its_figures(
    action: str, state: str, allowed: frozenset[str]
) -> None:
    world = build_partnership_world()
    owner = world.people["owner"]
    assert isinstance(owner, User)
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=None,
            area="E05000001",
            period=financial_year(2023),
            value=1.0,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    Observation.objects.filter(pk=figure.pk).update(sign_off=state)
    figure.refresh_from_db()
    for role in ROLES:
        assert can(world.people[role], action, figure) == (role in allowed), role


PARTNERSHIP_RULES = [
    ("edit", frozenset({"lead", "coordinator"})),
    ("manage_members", frozenset({"lead", "coordinator"})),
    ("define_indicators", frozenset({"lead", "coordinator"})),
    ("enter_figures", frozenset({"lead", "owner", "other_partner"})),
]


@pytest.mark.parametrize(("action", "allowed"), PARTNERSHIP_RULES)
def test_partnership_rules(action: str, allowed: frozenset[str]) -> None:
    world = build_partnership_world()
    for role in ROLES:
        assert can(world.people[role], action, world.partnership) == (role in allowed), role


def test_creating_a_partnership_needs_a_verified_membership() -> None:
    world = build_partnership_world()
    allowed = EVERYONE - {"anonymous", "signed_in", "coordinator"}
    for role in ROLES:
        assert can(world.people[role], "create_partnership") == (role in allowed), role


def test_sign_off_posts_are_refused_to_everyone_but_the_owner() -> None:
    world = build_partnership_world()
    owner = world.people["owner"]
    assert isinstance(owner, User)
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=None,
            area="E05000001",
            period=financial_year(2023),
            value=1.0,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    url = reverse("performance:figure_sign_off", args=[world.partnership.slug, figure.pk])
    for role in ("other_partner", "observer", "lead", "coordinator"):
        response = world.client(role).post(url, {"step": "approve"})
        assert response.status_code == 403, role
    figure.refresh_from_db()
    assert figure.sign_off == SignOff.DRAFT
    assert world.client("owner").post(url, {"step": "approve"}).status_code == 302
    assert world.client("owner").post(url, {"step": "publish"}).status_code == 302
    figure.refresh_from_db()
    assert figure.sign_off == SignOff.PUBLISHED
    assert figure.approved_by == owner and figure.published_by == owner
