"""The people factories make the same records the sign-up and membership services would."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_person_has_a_normalised_address_and_no_usable_password_unless_given_one() -> None:
    plain = UserFactory.create(email="Jo@Camden.GOV.UK")
    assert plain.email == "Jo@camden.gov.uk"
    assert not plain.has_usable_password()
    assert not EmailAddress.objects.filter(user=plain).exists()
    assert not Membership.objects.filter(user=plain).exists()

    with_password = UserFactory.create(password="a long enough passphrase")
    assert with_password.check_password("a long enough passphrase")


def test_verified_confirms_the_address_as_allauth_would() -> None:
    user = UserFactory.create(verified=True)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)


def test_member_of_gives_an_active_membership_added_by_staff_unless_told_otherwise() -> None:
    camden = OrganisationFactory.create()
    editor = UserFactory.create(member_of=camden, member_of__role=MembershipRole.EDITOR)
    membership = Membership.objects.active().get(user=editor)
    assert (membership.organisation, membership.role, membership.method) == (
        camden,
        MembershipRole.EDITOR,
        Membership.Method.STAFF,
    )

    alone = MembershipFactory.create(method=Membership.Method.EMAIL_DOMAIN)
    assert alone.user is not None and alone.organisation.pk is not None
    assert alone.role == MembershipRole.MEMBER and alone.is_active
