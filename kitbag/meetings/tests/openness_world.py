"""A small world for the openness tests: councils in each nation and one person in each role."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.meetings.models import OpennessReport, PolicyStatus
from kitbag.meetings.openness import services as openness_services
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

PASSPHRASE = "violet lantern river song"


@dataclass
class World:
    riverside: Organisation  # England
    glen: Organisation  # Scotland
    cwm: Organisation  # Wales
    lough: Organisation  # Northern Ireland
    reporter: User
    other: User  # signed in, no role
    member: User  # Riverside, member role
    editor: User  # Riverside, editor role
    admin: User  # Riverside, admin role
    outsider_editor: User  # an editor of Glen, not of Riverside
    moderator: User
    staff: User


@cache
def _password_hash() -> str:
    # Hashing is slow on purpose; a dozen people per test need it done once, not a dozen times.
    return make_password(PASSPHRASE)


def person(email: str, **extra: object) -> User:
    user = UserFactory.create(email=email, **extra)
    user.password = _password_hash()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def member_of(user: User, council: Organisation, role: str) -> User:
    MembershipFactory.create(
        user=user, organisation=council, role=role, method=Membership.Method.EMAIL_DOMAIN
    )
    return user


def make_world() -> World:
    # Transactional tests (browser journeys) flush the table the data migration filled.
    openness_services.load_law()
    riverside = OrganisationFactory.create(
        name="Riverside District Council", short_name="Riverside", slug="riverside", code="RIV"
    )
    glen = OrganisationFactory.create(
        name="Glen Council", short_name="Glen", slug="glen", code="GLN", nation="Scotland"
    )
    cwm = OrganisationFactory.create(
        name="Cwm County Borough Council", short_name="Cwm", slug="cwm", code="CWM", nation="Wales"
    )
    lough = OrganisationFactory.create(
        name="Lough District Council",
        short_name="Lough",
        slug="lough",
        code="LGH",
        nation="Northern Ireland",
    )
    return World(
        riverside=riverside,
        glen=glen,
        cwm=cwm,
        lough=lough,
        reporter=person("reporter@example.org"),
        other=person("other@example.org"),
        member=member_of(person("member@riverside.gov.uk"), riverside, MembershipRole.MEMBER),
        editor=member_of(person("editor@riverside.gov.uk"), riverside, MembershipRole.EDITOR),
        admin=member_of(person("admin@riverside.gov.uk"), riverside, MembershipRole.ADMIN),
        outsider_editor=member_of(person("editor@glen.gov.scot"), glen, MembershipRole.EDITOR),
        moderator=person("moderator@kitbag.example", is_moderator=True),
        staff=person("staff@kitbag.example", is_staff=True),
    )


def a_report(world: World, **overrides: object) -> OpennessReport:
    import datetime as dt

    values: dict[str, object] = {
        "council": world.riverside,
        "by": world.reporter,
        "activity": "filming",
        "observed_on": dt.date(2025, 3, 3),
        "narrative": "I tried to film the planning committee and the chair told me to stop.",
        "committee_name": "Planning Committee",
        "claimed_status": PolicyStatus.PROHIBITED,
        "evidence_url": "https://example.org/video",
    }
    values.update(overrides)
    return openness_services.submit_report(**values)  # type: ignore[arg-type]
