"""Cases waiting for review: the list and every count of it show each role exactly the cases in
review that the permission table lets it publish (editors and admins of the lead organisation,
moderators, staff), on every channel that shows them: the rule's queryset, the list page, the
link with its count on "Your account", and the library's link. There is no API endpoint for it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.permission_world import ROLES, World, build_world, client_for, text_of
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.permissions import publishable_cases
from kitbag.cases.queries import cases_waiting_for_review, may_review_cases, review_counts
from kitbag.cases.tests.factories import code

pytestmark = pytest.mark.django_db

PUBLISHERS = frozenset({"editor", "admin", "moderator", "staff"})
# An admin of another organisation may review that organisation's cases, so the link shows.
REVIEWERS = PUBLISHERS | {"other_admin"}


def a_case(world: World, title: str, status: str, *, elsewhere: bool = False) -> Case:
    organisation = world.other_organisation if elsewhere else world.organisation
    author = world.person("other_admin") if elsewhere else world.member
    case = services.save_case(
        case=Case(
            title=title,
            summary="A chatbot answers council tax questions.",
            lead_organisation=organisation,
            phase=code("govuk-phase", "beta"),
        ),
        by=author,
    )
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("status", [s.value for s in RecordStatus])
def test_publishable_cases_agrees_with_the_publish_rule_for_every_role(
    builtin_codes: None, status: str
) -> None:
    world = build_world()
    case = a_case(world, "Council tax chatbot", status)
    for role in ROLES:
        person = world.person(role)
        assert (case in publishable_cases(person)) == can(person, "publish", case), role


def test_the_review_list_shows_each_role_exactly_the_cases_in_review_it_may_publish(
    builtin_codes: None,
) -> None:
    world = build_world()
    waiting = a_case(world, "Waiting for review here", RecordStatus.IN_REVIEW)
    a_case(world, "Still a draft here", RecordStatus.DRAFT)
    a_case(world, "Already published here", RecordStatus.PUBLISHED)
    other = a_case(world, "Waiting elsewhere", RecordStatus.IN_REVIEW, elsewhere=True)
    url = reverse("cases:review_list")
    for role in ROLES:
        person = world.person(role)
        response = client_for(person).get(url)
        if person is None:
            assert response.status_code == 302 and "/account/login/" in response["Location"]
            continue
        assert response.status_code == 200, role
        page = text_of(response)
        shown = {case.title for case in (waiting, other) if case.title in page}
        expected = {case.title for case in (waiting, other) if can(person, "publish", case)}
        assert shown == expected, role
        assert "Still a draft here" not in page and "Already published here" not in page
        assert {c.title for c in cases_waiting_for_review(viewer=person)} == expected, role
        count = re.search(r'id="review-count">([^<]*)', page)
        assert count is not None, role
        if expected:
            assert count.group(1).startswith(f"{len(expected)} case"), role
        else:
            assert count.group(1).startswith("No cases are waiting"), role
    # Roles in one organisation grant nothing in another.
    assert "Waiting elsewhere" not in text_of(client_for(world.person("editor")).get(url))
    assert "Waiting for review here" not in text_of(
        client_for(world.person("other_admin")).get(url)
    )


def test_moderators_see_how_many_wait_for_each_organisation(builtin_codes: None) -> None:
    world = build_world()
    a_case(world, "One here", RecordStatus.IN_REVIEW)
    a_case(world, "Two here", RecordStatus.IN_REVIEW)
    a_case(world, "One elsewhere", RecordStatus.IN_REVIEW, elsewhere=True)
    moderator = world.person("moderator")
    assert [(row.lead, row.count) for row in review_counts(viewer=moderator)] == [
        ("Rightshire Council", 2),
        ("Othershire Council", 1),
    ]
    page = text_of(client_for(moderator).get(reverse("cases:review_list")))
    assert "By lead organisation" in page
    assert "3 cases are waiting for your review." in page
    editor_page = text_of(client_for(world.person("editor")).get(reverse("cases:review_list")))
    assert "By lead organisation" not in editor_page  # one organisation needs no breakdown


def test_someone_who_may_review_nothing_is_told_how_to_become_an_editor(
    builtin_codes: None,
) -> None:
    world = build_world()
    a_case(world, "Waiting for review here", RecordStatus.IN_REVIEW)
    page = text_of(client_for(world.member).get(reverse("cases:review_list")))
    assert "Waiting for review here" not in page
    assert "Find out how to become an editor" in page


def _account_link(person: User | None) -> str | None:
    """The review link's count on "Your account", or None when there is no link."""
    page = text_of(client_for(person).get("/account/profile/"))
    found = re.search(r'id="review-link">.*?<strong[^>]*>(\d+)</strong>', page, re.S)
    return found.group(1) if found else None


def _library_link(person: User | None) -> str | None:
    page = text_of(client_for(person).get(reverse("cases:case_list")))
    found = re.search(r'id="review-link"[^>]*>(\d+) cases? waiting for your review', page)
    return found.group(1) if found else None


def test_the_account_page_and_the_library_link_to_the_list_with_its_count_for_reviewers_only(
    builtin_codes: None,
) -> None:
    world = build_world()
    a_case(world, "Waiting for review here", RecordStatus.IN_REVIEW)
    a_case(world, "Still a draft here", RecordStatus.DRAFT)
    for role in ROLES:
        person = world.person(role)
        expected = None
        if role in REVIEWERS:
            expected = "1" if role in PUBLISHERS else "0"
        assert may_review_cases(person) == (role in REVIEWERS), role
        if person is not None:  # "Your account" asks anyone else to sign in
            assert _account_link(person) == expected, role
        assert _library_link(person) == expected, role
