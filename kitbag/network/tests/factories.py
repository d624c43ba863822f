"""People for the network tests, in a line each.

helper = person(name="Ada Officer", public=True, services=["524"], tags=["chatbots"],
                offers=[Offer.MENTOR], accepts_messages=True, organisation=camden)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from kitbag.accounts.models import Membership, Profile, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.network import services
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Lgsl:
    bins: Code
    missed_bins: Code
    council_tax: Code


def lgsl_services() -> Lgsl:
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=(
            WantedCode("524", "Bin collection"),
            WantedCode("1139", "Missed bin collection"),
            WantedCode("59", "Council tax payment"),
        ),
    )
    by_code = {c.code: c for c in Code.objects.filter(code_list__slug="lgsl-services")}
    return Lgsl(bins=by_code["524"], missed_bins=by_code["1139"], council_tax=by_code["59"])


def person(
    *,
    name: str = "",
    email: str | None = None,
    public: bool = True,
    job_title: str = "",
    help_with: str = "",
    services_known: Sequence[str] = (),
    tags: Sequence[str] = (),
    offers: Sequence[str] = (),
    accepts_messages: bool = False,
    organisation: Organisation | None = None,
) -> User:
    """A signed-up person with a confirmed address (so they can sign in) and a profile."""
    with transaction.atomic():
        user = UserFactory.create(
            **({"email": email} if email else {}), password=PASSWORD, verified=True
        )
        if organisation is not None:
            MembershipFactory.create(user=user, organisation=organisation)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": name,
                "job_title": job_title,
                "help_with": help_with,
                "organisation": organisation,
                "is_public": public,
            },
        )
        if services_known or tags or offers or accepts_messages:
            services.save_help_offer(
                user=user,
                services=list(
                    Code.objects.filter(code_list__slug="lgsl-services", code__in=services_known)
                ),
                tags=tags,
                offers=offers,
                accepts_messages=accepts_messages,
            )
    return user


def profile_of(user: User) -> Profile:
    return Profile.objects.get(user=user)


def addresses_of(user: User) -> set[str]:
    return {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}


def end_memberships(user: User) -> None:
    from django.utils import timezone

    for membership in Membership.objects.active().filter(user=user):
        membership.ended_at = timezone.now()
        membership.end_reason = Membership.EndReason.LEFT
        membership.save()
