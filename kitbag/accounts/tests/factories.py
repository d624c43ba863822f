"""Factories for people and their memberships, so a test says who it needs in one line.

user = UserFactory.create()                     # an unconfirmed address, no usable password
user = UserFactory.create(email="jo@camden.gov.uk", password="...", verified=True)
MembershipFactory.create(user=user, organisation=camden, role=MembershipRole.EDITOR)
editor = UserFactory.create(member_of=camden, member_of__role=MembershipRole.EDITOR)
"""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A person. `verified=True` confirms their address as allauth would; `member_of=<body>`
    gives them an active membership (`member_of__role=...`, `member_of__method=...`)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # Through the manager, which normalises the address and hashes (or disables) the password.
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def member_of(self, create: bool, extracted: Organisation | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            MembershipFactory.create(user=self, organisation=extracted, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    """An active membership of an organisation, added by staff unless `method` says otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER
    method = Membership.Method.STAFF
