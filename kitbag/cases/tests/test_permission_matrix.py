"""Every role against every case state and action, on every channel, from one expectation table.

As in kitbag/accounts/tests/test_permission_matrix.py: each row names an object, a check and the
roles that must get through; every other role must be refused. The world's organisation leads
every case; "other_admin" is an admin of another organisation (a verified member elsewhere).
Channels: the rule itself ("can ..."), the case page, search, the API (list, detail, search,
similar), the CSV and JSON downloads and the Atom feed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.permission_world import EVERYONE, ROLES, World, build_world
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.permissions import visible_cases
from kitbag.cases.queries import CaseSearch, search_cases
from kitbag.cases.tests.factories import code

pytestmark = pytest.mark.django_db

LEAD_MEMBERS = frozenset({"member", "editor", "admin"})
EDITORS = LEAD_MEMBERS | {"moderator", "staff"}
PUBLISHERS = frozenset({"editor", "admin", "moderator", "staff"})
NOBODY: frozenset[str] = frozenset()
# "member" owns every case in these tests (they wrote it).

EXPECTED: list[tuple[str, str, frozenset[str]]] = [
    ("published", "can view", EVERYONE),
    ("published", "can view_history", EVERYONE),
    ("published", "can edit", EDITORS),
    ("published", "can publish", PUBLISHERS),
    ("published", "can archive", PUBLISHERS),
    ("published", "can flag_needs_update", EDITORS),
    ("published", "can confirm", EDITORS),
    ("published", "can transfer_ownership", frozenset({"member", "editor", "admin", "staff"})),
    # A verified member anywhere (other_admin's organisation, or the lead's own people).
    ("published", "can record_adoption", frozenset({"member", "editor", "admin", "other_admin"})),
    ("published", "can relate", EDITORS),
    ("draft", "can view", EDITORS),
    ("draft", "can view_history", EDITORS),
    ("draft", "can edit", EDITORS),
    ("draft", "can submit_for_review", EDITORS),
    ("draft", "can publish", PUBLISHERS),
    ("draft", "can record_adoption", NOBODY),
    ("in-review", "can view", EDITORS),
    ("in-review", "can publish", PUBLISHERS),
    ("in-review", "can return_to_draft", PUBLISHERS),
    ("needs-update", "can view", EVERYONE),
    ("archived", "can view", EVERYONE),
    ("archived", "can record_adoption", frozenset({"member", "editor", "admin", "other_admin"})),
    # Search is a public channel: drafts are found on "Your cases", never through search.
    ("published", "search", EVERYONE),
    ("needs-update", "search", EVERYONE),
    ("draft", "search", NOBODY),
    ("in-review", "search", NOBODY),
]


def _case(world: World, status: str) -> Case:
    case = services.save_case(
        case=Case(
            title="Council tax chatbot answers residents overnight",
            summary="A chatbot answers council tax questions.",
            lead_organisation=world.organisation,
            phase=code("govuk-phase", "beta"),
        ),
        by=world.member,
    )
    if status != RecordStatus.DRAFT:
        Case.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
        services.reindex_case(case=case)
    return case


def _search(case: Case, person: User | None) -> bool:
    found = search_cases(search_for=CaseSearch.from_params({"q": "chatbot"}), viewer=person)
    return case.pk in {hit.case.pk for hit in found.hits}


def _check(check: str) -> Callable[[Case, User | None], bool]:
    if check.startswith("can "):
        action = check.removeprefix("can ")
        return lambda case, person: can(person, action, case)
    if check == "search":
        return _search
    raise AssertionError(f"unknown check {check!r}")


@pytest.mark.parametrize(("status", "check", "allowed"), EXPECTED)
def test_each_role_gets_exactly_what_the_table_says(
    builtin_codes: None, status: str, check: str, allowed: frozenset[str]
) -> None:
    world = build_world()
    case = _case(world, status)
    outcome = {role: _check(check)(case, world.person(role)) for role in ROLES}
    assert {role for role, ok in outcome.items() if ok} == set(allowed)


@pytest.mark.parametrize("status", [s.value for s in RecordStatus])
def test_visible_cases_agrees_with_the_view_rule_for_every_role(
    builtin_codes: None, status: str
) -> None:
    world = build_world()
    case = _case(world, status)
    for role in ROLES:
        person = world.person(role)
        assert (case in visible_cases(person)) == can(person, "view", case), role


def _client_for(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _shows(response: Any, case: Case) -> bool:
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    if response["Content-Type"].startswith("application/json"):
        return str(case.uuid) in text or f'"id": {case.pk}' in text or case.slug in text
    return case.slug in text or case.title in text


@pytest.mark.parametrize("status", ["draft", "in-review"])
def test_drafts_never_leak_through_any_public_channel(builtin_codes: None, status: str) -> None:
    world = build_world()
    case = _case(world, status)
    urls = {
        "list": reverse("cases:case_list") + "?q=chatbot",
        "csv": reverse("cases:case_list_csv") + "?q=chatbot",
        "json": reverse("cases:case_list_json") + "?q=chatbot",
        "feed": reverse("cases:case_feed") + "?q=chatbot",
    }
    for role in ROLES:
        client = _client_for(world.person(role))
        for channel, url in urls.items():
            response = client.get(url)
            assert not _shows(response, case), (role, channel)


def test_a_published_case_appears_on_every_public_channel(builtin_codes: None) -> None:
    world = build_world()
    case = _case(world, RecordStatus.PUBLISHED)
    client = Client()
    for url in (
        reverse("cases:case_list") + "?q=chatbot",
        reverse("cases:case_list_csv") + "?q=chatbot",
        reverse("cases:case_list_json") + "?q=chatbot",
        reverse("cases:case_feed") + "?q=chatbot",
        reverse("cases:case_detail", kwargs={"slug": case.slug}),
    ):
        assert _shows(client.get(url), case), url


def test_the_case_page_of_a_draft_is_shown_only_to_those_who_may_see_it(
    builtin_codes: None,
) -> None:
    world = build_world()
    case = _case(world, RecordStatus.DRAFT)
    url = reverse("cases:case_detail", kwargs={"slug": case.slug})
    seen = {role for role in ROLES if _client_for(world.person(role)).get(url).status_code == 200}
    assert seen == set(EDITORS)


def test_the_api_never_shows_a_draft(builtin_codes: None) -> None:
    world = build_world()
    case = _case(world, RecordStatus.DRAFT)
    for role in ROLES:
        client = _client_for(world.person(role))
        listing = client.get("/api/v1/cases?q=chatbot")
        assert listing.status_code == 200, role
        assert str(case.uuid) not in listing.content.decode(), role
        detail = client.get(f"/api/v1/cases/{case.uuid}")
        assert detail.status_code == 404, role
        assert json.loads(detail.content), role
