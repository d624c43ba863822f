"""One of every role, for the permission tests: two organisations, and a person in each role.

Every personal object in the tests (profile, membership, token, personal data) belongs to the
member, so "the owner" is always the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

ROLES = [
    "anonymous",
    "signed_in",
    "member",
    "editor",
    "admin",
    "other_admin",
    "moderator",
    "staff",
]
EVERYONE = frozenset(ROLES)


@dataclass
class World:
    organisation: Organisation
    other_organisation: Organisation
    people: dict[str, User | None]

    def person(self, role: str) -> User | None:
        return self.people[role]

    @property
    def member(self) -> User:
        member = self.people["member"]
        assert member is not None
        return member


def build_world() -> World:
    organisation = OrganisationFactory.create(name="Rightshire Council", slug="rightshire")
    other = OrganisationFactory.create(name="Othershire Council", slug="othershire")
    people: dict[str, User | None] = {"anonymous": None}
    for role in ROLES[1:]:
        people[role] = UserFactory.create(
            email=f"{role.replace('_', '-')}@example.org",
            is_moderator=role == "moderator",
            is_staff=role == "staff",
        )
    for role, organisation_, membership_role in [
        ("member", organisation, MembershipRole.MEMBER),
        ("editor", organisation, MembershipRole.EDITOR),
        ("admin", organisation, MembershipRole.ADMIN),
        ("other_admin", other, MembershipRole.ADMIN),
    ]:
        MembershipFactory.create(
            user=people[role],
            organisation=organisation_,
            role=membership_role,
        )
    return World(organisation=organisation, other_organisation=other, people=people)


def client_for(person: User | None) -> Client:
    """A test client signed in as `person` (None: nobody signed in)."""
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def text_of(response: Any) -> str:
    """A page's HTML as text."""
    return str(response.content.decode())
