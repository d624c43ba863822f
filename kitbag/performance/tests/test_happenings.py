"""A partner's published figure reaches followers who may see it, and nobody else
(kitbag/performance/happenings.py); partnerships are followable under their own rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.follows import queries as follow_queries
from kitbag.follows import services as follow_services
from kitbag.follows.models import StoredHappening
from kitbag.performance import services
from kitbag.performance.models import Observation, Visibility
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import PartnershipWorld, build_partnership_world

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _person(world: PartnershipWorld, role: str) -> User:
    person = world.people[role]
    assert isinstance(person, User)
    return person


def _published_figure(
    world: PartnershipWorld,
    capture: object,
    *,
    visibility: str,
    publish_as: str | None = None,
) -> Observation:
    owner = _person(world, "owner")
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=world.organisations["owner"],
            area="",
            period=financial_year(2023),
            value=12.5,
            visibility=visibility,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    services.approve_figure(observation=figure, by=owner)
    with capture(execute=True):  # type: ignore[operator]
        return services.publish_figure(observation=figure, by=owner, visibility=publish_as)


def _follows_with_daily_digest(person: User, *keys: str) -> None:
    for key in keys:
        follow_services.follow(user=person, key=key)
    follow_services.set_digest_frequency(user=person, frequency="daily", now=LONG_AGO)


def test_publishing_a_figure_is_one_happening_for_the_partnership_and_its_owner(
    django_capture_on_commit_callbacks: object,
) -> None:
    world = build_partnership_world()
    figure = _published_figure(
        world, django_capture_on_commit_callbacks, visibility=Visibility.PARTNERS
    )
    happening = StoredHappening.objects.get()
    assert happening.kind == "figure-published"
    assert happening.title == (
        "Ownerton Council published a figure: Emergency admissions after a fall, 2023-24"
    )
    assert happening.url == reverse("performance:partnership_detail", args=[world.partnership.slug])
    assert sorted(happening.concerns.values_list("key", flat=True)) == sorted(
        [f"partnership:{world.partnership.pk}", f"organisation:{world.organisations['owner'].pk}"]
    )
    assert (happening.visible_through_kind, happening.visible_through_id) == ("figure", figure.pk)


def test_approving_alone_announces_nothing(django_capture_on_commit_callbacks: object) -> None:
    world = build_partnership_world()
    owner = _person(world, "owner")
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=None,
            area="E05000001",
            period=financial_year(2022),
            value=1.0,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.approve_figure(observation=figure, by=owner)
    assert not StoredHappening.objects.exists()


def test_a_partners_only_figure_reaches_partners_and_never_a_non_partner(
    django_capture_on_commit_callbacks: object,
) -> None:
    world = build_partnership_world()
    partner = _person(world, "other_partner")
    outsider = _person(world, "outsider")
    owner_key = f"organisation:{world.organisations['owner'].pk}"
    _follows_with_daily_digest(partner, f"partnership:{world.partnership.pk}")
    # Anyone may follow the owner organisation: what they hear is still only what they may see.
    _follows_with_daily_digest(outsider, owner_key)

    _published_figure(world, django_capture_on_commit_callbacks, visibility=Visibility.PARTNERS)
    happening = StoredHappening.objects.get()

    assert list(follow_queries.happenings_for(partner)) == [happening]
    assert list(follow_queries.happenings_for(outsider)) == []
    run = follow_services.send_digests(
        frequency="daily", now=happening.recorded_at + dt.timedelta(days=2)
    )
    assert (run.sent, run.nothing_new) == (1, 1)
    assert [m.to for m in mail.outbox] == [["other_partner@example.org"]]
    assert "Emergency admissions after a fall" in mail.outbox[0].body


def test_a_figure_made_public_reaches_a_follower_of_its_owner(
    django_capture_on_commit_callbacks: object,
) -> None:
    world = build_partnership_world()
    someone = _person(world, "signed_in")
    follow_services.follow(user=someone, key=f"organisation:{world.organisations['owner'].pk}")
    _published_figure(
        world,
        django_capture_on_commit_callbacks,
        visibility=Visibility.PARTNERS,
        publish_as=Visibility.PUBLIC,
    )
    assert [h.kind for h in follow_queries.happenings_for(someone)] == ["figure-published"]


def test_a_private_partnership_cannot_be_followed_by_a_non_partner() -> None:
    world = build_partnership_world(visibility=Visibility.PARTNERS)
    key = f"partnership:{world.partnership.pk}"
    with pytest.raises(ValidationError):
        follow_services.follow(user=_person(world, "outsider"), key=key)
    follow_services.follow(user=_person(world, "observer"), key=key)
    followed = follow_queries.followed_things(_person(world, "observer"))
    assert [(f.key, f.name) for f in followed] == [(key, "Healthy Ageing Together")]


def test_the_partnership_page_has_a_follow_button() -> None:
    world = build_partnership_world()
    url = reverse("performance:partnership_detail", args=[world.partnership.slug])
    page = world.client("signed_in").get(url).content.decode()
    assert f'value="partnership:{world.partnership.pk}"' in page
    assert "Sign in to follow this" in world.client("anonymous").get(url).content.decode()
