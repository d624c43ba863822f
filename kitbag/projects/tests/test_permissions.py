"""The projects' permission table: every visibility against every kind of person, asked through
can() and through visible_projects(), which must agree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kitbag.accounts.permissions import Viewer, can
from kitbag.performance.models import Visibility
from kitbag.projects.models import DuplicateSuggestion
from kitbag.projects.permissions import (
    combinable_suggestions,
    decidable_suggestions,
    visible_projects,
)
from kitbag.projects.tests.world import World, make_project, make_world

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "owner_member", "partner_member", "outsider", "coordinator", "councillor")

MAY_VIEW: dict[str, set[str]] = {
    Visibility.PUBLIC: set(PEOPLE),
    Visibility.PARTNERS: {"owner_member", "partner_member", "coordinator", "councillor"},
    Visibility.ORGANISATION: {"owner_member"},
}


def person(world: World, who: str) -> Viewer:
    return AnonymousUser() if who == "anonymous" else getattr(world, who)


@pytest.mark.parametrize("visibility", [v.value for v in Visibility])
@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_see_a_project(visibility: str, who: str) -> None:
    world = make_world()
    project = make_project(world, visibility=visibility)
    viewer = person(world, who)
    expected = who in MAY_VIEW[visibility]
    assert can(viewer, "view", project) is expected
    assert visible_projects(viewer).filter(pk=project.pk).exists() is expected


def test_a_named_partner_organisation_sees_a_partners_only_project_outside_a_partnership() -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.PARTNERS, partnership=None)
    project.outcomes.clear()
    assert not can(world.outsider, "view", project)
    project.partner_organisations.add(world.outsider_org)
    assert can(world.outsider, "view", project)
    assert visible_projects(world.outsider).filter(pk=project.pk).exists()


def test_a_partner_that_left_the_partnership_no_longer_sees_its_partners_only_projects() -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.PARTNERS)
    world.partnership.members.filter(organisation=world.partner).update(left_on="2026-01-01")
    assert not can(world.partner_member, "view", project)
    assert not visible_projects(world.partner_member).filter(pk=project.pk).exists()


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_owners_members_edit_override_and_answer(who: str) -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.PUBLIC)
    viewer = person(world, who)
    for action in ("edit", "override_rag", "answer_question"):
        assert can(viewer, action, project) is (who == "owner_member"), action


@pytest.mark.parametrize("who", PEOPLE)
def test_only_councillors_ask_and_only_coordinator_and_councillors_oversee(who: str) -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.PARTNERS)
    viewer = person(world, who)
    assert can(viewer, "ask_question", project) is (who == "councillor")
    assert can(viewer, "oversee", world.partnership) is (who in {"councillor", "coordinator"})


def test_a_councillor_cannot_ask_about_a_project_they_may_not_see() -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.ORGANISATION)
    assert not can(world.councillor, "ask_question", project)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_coordinator_decides_a_suggestion_between_partnership_projects(who: str) -> None:
    world = make_world()
    first = make_project(world)
    second = make_project(world, owner_organisation=world.partner)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.9, found_by="nightly"
    )
    assert can(person(world, who), "decide", suggestion) is (who == "coordinator")


def test_without_a_partnership_the_owners_members_decide() -> None:
    world = make_world()
    first = make_project(world, partnership=None)
    second = make_project(world, partnership=None, owner_organisation=world.outsider_org)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.9, found_by="nightly"
    )
    assert can(world.owner_member, "decide", suggestion)
    assert can(world.outsider, "decide", suggestion)
    assert not can(world.partner_member, "decide", suggestion)
    assert not can(world.coordinator, "decide", suggestion)


# Who may decide a pair, by the pair's shape: (first's owner, first in the partnership,
# second's owner, second in the partnership) -> the people who may decide.
PAIRS: dict[str, tuple[str, bool, str, bool, set[str]]] = {
    "both in the partnership, one owner": (
        "owner",
        True,
        "owner",
        True,
        {"coordinator", "owner_member"},  # the owner's member may edit both
    ),
    "both in the partnership, two owners": ("owner", True, "partner", True, {"coordinator"}),
    "one in the partnership": ("owner", True, "outsider_org", False, {"coordinator"}),
    "neither in a partnership": (
        "owner",
        False,
        "outsider_org",
        False,
        {"owner_member", "outsider"},
    ),
}


@pytest.mark.parametrize("shape", list(PAIRS))
def test_who_may_decide_a_pair_asked_once_or_one_by_one(shape: str) -> None:
    world = make_world()
    first_owner, first_in, second_owner, second_in, expected = PAIRS[shape]
    first = make_project(
        world,
        owner_organisation=getattr(world, first_owner),
        partnership=world.partnership if first_in else None,
    )
    second = make_project(
        world,
        owner_organisation=getattr(world, second_owner),
        partnership=world.partnership if second_in else None,
    )
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.9, found_by="nightly"
    )
    for who in PEOPLE:
        viewer = person(world, who)
        assert can(viewer, "decide", suggestion) is (who in expected), who
        assert decidable_suggestions(viewer).filter(pk=suggestion.pk).exists() is (
            who in expected
        ), who


def test_only_someone_who_may_edit_both_may_combine() -> None:
    world = make_world()
    first = make_project(world)
    second = make_project(world)
    across = make_project(world, owner_organisation=world.partner)
    same = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.9, found_by="nightly"
    )
    apart = DuplicateSuggestion.objects.create(
        first=first, second=across, score=0.9, found_by="nightly"
    )
    assert can(world.owner_member, "combine", same)
    for who in PEOPLE:
        viewer = person(world, who)
        for suggestion in (same, apart):
            expected = who == "owner_member" and suggestion == same
            assert can(viewer, "combine", suggestion) is expected, who
            assert combinable_suggestions(viewer).filter(pk=suggestion.pk).exists() is expected


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_coordinator_names_councillors(who: str) -> None:
    world = make_world()
    assert can(person(world, who), "name_councillors", world.partnership) is (who == "coordinator")
