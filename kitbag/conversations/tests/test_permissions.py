"""The conversations' rows of the permission table, for every kind of person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.factories import UserFactory
from kitbag.conversations.models import Conversation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PEOPLE = (
    "anonymous",
    "signed-in",
    "member",
    "editor",
    "admin",
    "other-member",
    "moderator",
    "staff",
)
EXPECTED = {
    # action: who may, of PEOPLE
    "create_conversation": {"member", "editor", "admin", "staff"},
    "organise": {"member", "editor", "admin", "staff"},
    "moderate": {"member", "editor", "admin", "moderator", "staff"},
}


def _people(council):
    other = OrganisationFactory.create()
    return {
        "anonymous": AnonymousUser(),
        "signed-in": UserFactory.create(),
        "member": UserFactory.create(member_of=council),
        "editor": UserFactory.create(member_of=council, member_of__role=MembershipRole.EDITOR),
        "admin": UserFactory.create(member_of=council, member_of__role=MembershipRole.ADMIN),
        "other-member": UserFactory.create(member_of=other, member_of__role=MembershipRole.ADMIN),
        "moderator": UserFactory.create(is_moderator=True),
        "staff": UserFactory.create(is_staff=True),
    }


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_who_may_start_run_and_moderate_a_conversation(action):
    council = OrganisationFactory.create()
    conversation = Conversation.objects.create(slug="c", title="C", owner=council)
    target = council if action == "create_conversation" else conversation
    people = _people(council)
    allowed = {name for name in PEOPLE if can(people[name], action, target)}
    assert allowed == EXPECTED[action]


def test_an_imported_conversation_without_an_owner_is_run_by_staff_only():
    conversation = Conversation.objects.create(slug="imported", title="Imported")
    people = _people(OrganisationFactory.create())
    assert {n for n in PEOPLE if can(people[n], "organise", conversation)} == {"staff"}


def test_nobody_takes_part_in_a_closed_conversation():
    council = OrganisationFactory.create()
    conversation = Conversation.objects.create(slug="c", title="C", owner=council)
    people = _people(council)
    assert all(can(people[n], "take_part", conversation) for n in PEOPLE)
    conversation.allow_anonymous = False
    assert not can(people["anonymous"], "take_part", conversation)
    conversation.closed_at = timezone.now()
    assert not any(can(people[n], "take_part", conversation) for n in PEOPLE)
