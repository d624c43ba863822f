"""What the public may see changes on every cached page and API answer as soon as a write commits.

Public pages are cached for anonymous readers (core/page_cache.py). A case withdrawn from the public
must be gone from all of them in the very next request, and a case just published must be there;
so must an adoption recorded or removed. Each write runs inside
`django_capture_on_commit_callbacks(execute=True)`, which does what its commit would.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from kitbag.accounts.tests.permission_world import World, build_world
from kitbag.cases import services
from kitbag.cases.models import Case
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.services import write_code_list

pytestmark = pytest.mark.django_db

TITLE = "Potholes reported by photograph"

# Every public page and API answer that lists a case, whether cached or not.
CHANNELS: dict[str, Callable[[Case], str]] = {
    "organisation page": lambda case: "/organisations/rightshire/",
    "case list": lambda case: "/cases/?q=potholes",
    "case feed": lambda case: "/cases/feed.atom?q=potholes",
    "case download": lambda case: "/cases/download.json?q=potholes",
    "cases API": lambda case: "/api/v1/cases?q=potholes",
    "organisation API": lambda case: "/api/v1/organisations/rightshire",
}


@pytest.fixture
def world(db: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> World:
    with django_capture_on_commit_callbacks(execute=True):
        for builtin in BUILTIN_LISTS:
            write_code_list(wanted=builtin.list, codes=builtin.codes)
        return build_world()


def shown(case: Case) -> dict[str, bool]:
    """Whether each channel shows the case, read twice so a cached answer is what is checked."""
    found = {}
    for name, url in CHANNELS.items():
        client = Client()
        client.get(url(case))
        response = client.get(url(case))
        assert response.status_code == 200, name
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        # The slug, in every link to the case: the title may be split by search highlights.
        found[name] = f"/cases/{case.slug}/" in body.decode()
    return found


def published(world: World) -> Case:
    case = CaseFactory.create(title=TITLE, lead_organisation=world.organisation)
    services.reindex_case(case=case)
    return case


def test_a_withdrawn_case_is_gone_from_every_cached_page_at_once(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = published(world)
    before = shown(case)
    # The organisation's API record does not list cases; every other channel does.
    assert before == {name: name != "organisation API" for name in CHANNELS}
    assert Client().get(case.get_absolute_url()).status_code == 200

    moderator = world.person("moderator")
    # Archived cases stay public; taken back to draft from the archive, one is withdrawn.
    services.move_case(case=case, action="archive", by=moderator, reason="Superseded")
    with django_capture_on_commit_callbacks(execute=True):
        services.move_case(case=case, action="return_to_draft", by=moderator)

    assert shown(case) == dict.fromkeys(CHANNELS, False)
    assert Client().get(case.get_absolute_url()).status_code == 404


def test_a_newly_published_case_is_on_every_cached_page_at_once(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory.create(
            title=TITLE, lead_organisation=world.organisation, status="in-review"
        )
        services.reindex_case(case=case)
    assert not any(shown(case).values())

    with django_capture_on_commit_callbacks(execute=True):
        services.move_case(case=case, action="publish", by=world.person("moderator"))

    assert shown(case) == {name: name != "organisation API" for name in CHANNELS}


def test_an_adoption_shows_on_the_adopters_cached_page_at_once(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = published(world)
    adopter = world.person("other_admin")
    assert adopter is not None
    adopter_page = f"/organisations/{world.other_organisation.slug}/"
    Client().get(adopter_page)
    assert f"/cases/{case.slug}/" not in Client().get(adopter_page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        adoption = services.record_adoption(
            case=case,
            adopter=world.other_organisation,
            status=code("adoption-status", "live"),
            by=adopter,
        )
    assert f"/cases/{case.slug}/" in Client().get(adopter_page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_adoption(adoption=adoption, by=adopter)
    assert f"/cases/{case.slug}/" not in Client().get(adopter_page).content.decode()
