"""The events' rows of the permission table, role by role (the pages and API are tested in
test_views.py and kitbag/api/events/tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events.models import Event, Interest, Session, SignUp, SignUpStatus
from kitbag.events.tests.factories import (
    EventFactory,
    SessionFactory,
    UnconferenceFactory,
    in_days,
)
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    people: dict[str, Any]
    unconference: Event
    past: Event
    session: Session


def build() -> World:
    council = OrganisationFactory.create()
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "signed in": UserFactory.create(),
        "member": UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER),
        "admin": UserFactory.create(member_of=council, member_of__role=MembershipRole.ADMIN),
        "staff": UserFactory.create(is_staff=True),
        "host": UserFactory.create(),
        "interested": UserFactory.create(),
        "attendee": UserFactory.create(),
        "deactivated member": UserFactory.create(member_of=council, is_active=False),
    }
    unconference = UnconferenceFactory.create(organisation=council, organiser=None)
    past = UnconferenceFactory.create(
        organisation=council, organiser=None, starts_at=in_days(-2), ends_at=in_days(-2, 17)
    )
    session = SessionFactory.create(event=unconference, host=people["host"])
    Interest.objects.create(session=session, user=people["interested"])
    SignUp.objects.create(
        event=unconference, user=people["attendee"], status=SignUpStatus.CONFIRMED
    )
    return World(people=people, unconference=unconference, past=past, session=session)


ORGANISERS = {"member", "admin", "staff"}
SIGNED_IN = {"signed in", "member", "admin", "staff", "host", "interested", "attendee"}
EVERYONE = SIGNED_IN | {"anonymous", "deactivated member"}

# (action, object, who may)
EXPECTED: list[tuple[str, str, set[str]]] = [
    ("view", "unconference", EVERYONE),
    ("organise", "unconference", ORGANISERS),
    ("add_link", "past", ORGANISERS),
    ("arrange_grid", "unconference", ORGANISERS),
    ("sign_up", "unconference", SIGNED_IN),
    ("sign_up", "past", set()),
    ("pitch", "unconference", SIGNED_IN),
    ("pitch", "past", set()),
    ("view", "session", EVERYONE),
    ("mark_interest", "session", SIGNED_IN),
    ("edit_notes", "session", ORGANISERS | {"host", "interested", "attendee"}),
]


def test_each_role_may_do_exactly_what_the_table_says() -> None:
    world = build()
    objects: dict[str, object] = {
        "unconference": world.unconference,
        "past": world.past,
        "session": world.session,
    }
    for action, name, allowed in EXPECTED:
        for role, user in world.people.items():
            assert can(user, action, objects[name]) is (role in allowed), (role, action, name)


def test_a_person_organising_an_event_organises_it_and_nobody_else_does() -> None:
    event = EventFactory.create()
    assert isinstance(event.organiser, User)
    assert can(event.organiser, "organise", event)
    assert not can(UserFactory.create(), "organise", event)


def test_only_members_organise_for_their_organisation() -> None:
    council = OrganisationFactory.create()
    member = UserFactory.create(member_of=council)
    assert can(member, "organise_event", council)
    assert not can(UserFactory.create(), "organise_event", council)
    assert can(UserFactory.create(), "create_event", None)
    assert not can(AnonymousUser(), "create_event", None)
