"""Consultations for tests: a document, a published consultation, people who comment."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.consultations import services
from kitbag.consultations.models import Consultation, ModerationMode
from kitbag.registry.models import Organisation

DOCUMENT = """# Library hours

We propose to open the Central Library on Sundays from eleven until four.

The community libraries would close on Monday mornings and open two evenings instead.

## Self-service

The smallest libraries would open with self-service access for card holders.
"""

REVISED = """# Library hours

We propose to open the Central Library on Sundays from eleven until four.

The community libraries would close on Monday and Wednesday mornings and open two evenings instead.

## Self-service

Everything about staffing will be decided by a separate review next spring with unions.
"""


def person(email: str, *, name: str | None = "Sam", **extra: Any) -> User:
    user = User.objects.create_user(email, **extra)
    if name:
        services.set_participation(user=user, display_name=name)
    return user


def member(organisation: Organisation, email: str, role: str = MembershipRole.EDITOR) -> User:
    user = User.objects.create_user(email)
    Membership.objects.create(
        user=user, organisation=organisation, role=role, method=Membership.Method.STAFF
    )
    return user


def consultation(
    organisation: Organisation,
    *,
    publish: bool = True,
    slug: str = "library-hours",
    moderation: str = ModerationMode.POST,
    document: str = DOCUMENT,
) -> Consultation:
    made = services.create_consultation(
        organisation=organisation,
        details=services.Details(
            title="Library opening hours", summary="New hours.", moderation=moderation
        ),
        document=document,
        by=None,
        slug=slug,
        check_permission=False,
    )
    if publish:
        services.publish_consultation(consultation=made, by=None, check_permission=False)
    return made


def paragraph_key(consultation: Consultation, position: int, number: int | None = None) -> str:
    version = (
        consultation.versions.get(number=number)
        if number
        else consultation.versions.order_by("-number").first()
    )
    assert version is not None
    return version.paragraphs.get(position=position).key
