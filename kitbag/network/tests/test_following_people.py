"""Following a person from their page: the button, a private profile never followable, and what
they do (a case they own published, an event they organise) reaching their followers only while
their profile is public."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.accounts.models import Profile
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases import services as case_services
from kitbag.cases.models import RecordStatus
from kitbag.cases.tests.factories import CaseFactory
from kitbag.follows import queries as follow_queries
from kitbag.follows.models import Follow, StoredHappening
from kitbag.network.tests.factories import Lgsl, person, profile_of

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_reader_follows_a_person_from_their_page(lgsl: Lgsl) -> None:
    helper = person(name="Ada Helper")
    reader = UserFactory.create()
    page = f"/people/{profile_of(helper).pk}/"
    html = signed_in(reader).get(page).content.decode()
    assert f'value="person:{helper.pk}"' in html and "Follow" in html
    response = signed_in(reader).post(
        "/following/follow/", {"key": f"person:{helper.pk}", "action": "follow", "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(user=reader, key=f"person:{helper.pk}").exists()
    assert "Stop following" in signed_in(reader).get(page).content.decode()
    # Not on one's own page; a sign-in link for someone not signed in.
    assert f'value="person:{helper.pk}"' not in signed_in(helper).get(page).content.decode()
    assert "Sign in to follow this" in Client().get(page).content.decode()


def test_a_private_profile_can_never_be_followed(lgsl: Lgsl) -> None:
    hidden = person(name="Secret Sam", public=False)
    reader = UserFactory.create()
    assert signed_in(reader).get(f"/people/{profile_of(hidden).pk}/").status_code == 404
    response = signed_in(reader).post(
        "/following/follow/", {"key": f"person:{hidden.pk}", "action": "follow"}
    )
    assert response.status_code == 400
    assert not Follow.objects.exists()


def _follow(reader: Any, helper: Any) -> None:
    from kitbag.follows import services as follow_services

    follow_services.follow(user=reader, key=f"person:{helper.pk}")


def test_a_case_a_person_owns_reaches_their_followers_only_while_their_profile_is_public(
    lgsl: Lgsl,
) -> None:
    from kitbag.registry.tests.factories import OrganisationFactory

    council = OrganisationFactory.create()
    helper = person(name="Ada Helper", organisation=council)
    reader = UserFactory.create()
    _follow(reader, helper)
    editor = UserFactory.create(member_of=council, member_of__role="editor")
    case = CaseFactory.create(
        title="Chatbot pilot",
        lead_organisation=council,
        owner=helper,
        status=RecordStatus.IN_REVIEW,
    )
    case_services.move_case(case=case, action="publish", by=editor)
    assert [h.title for h in follow_queries.happenings_for(reader)] == [
        StoredHappening.objects.get().title
    ]
    # Made private: their next case names them to nobody.
    Profile.objects.filter(user=helper).update(is_public=False)
    later = CaseFactory.create(
        title="Second pilot", lead_organisation=council, owner=helper, status=RecordStatus.IN_REVIEW
    )
    case_services.move_case(case=later, action="publish", by=editor)
    second = StoredHappening.objects.order_by("-pk").first()
    assert second is not None
    assert f"person:{helper.pk}" not in set(second.concerns.values_list("key", flat=True))


def test_an_event_a_person_organises_reaches_their_followers(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Any
) -> None:
    from kitbag.events import services as event_services
    from kitbag.events.tests.test_services import details

    helper = person(name="Ada Helper")
    reader = UserFactory.create()
    _follow(reader, helper)
    with django_capture_on_commit_callbacks(execute=True):
        draft = event_services.create_event(
            details=details(title="Bins unconference"), by=helper, organiser_name="Ada Helper"
        )
    assert not follow_queries.happenings_for(reader)  # a draft is announced to no one
    with django_capture_on_commit_callbacks(execute=True):
        event_services.publish_event(event=draft, by=helper)
    titles = [h.title for h in follow_queries.happenings_for(reader)]
    assert len(titles) == 1 and "Bins unconference" in titles[0]
