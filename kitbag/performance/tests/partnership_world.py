"""A partnership for tests: a lead, two partners and an observer, each with a verified member,
a coordinator who belongs to none of them, an outsider and a plain signed-in person."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.performance import services
from kitbag.performance.models import Indicator, MemberRole, Partnership, Visibility
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

# Who asks, in the matrix's order.
ROLES = (
    "anonymous",
    "signed_in",
    "outsider",
    "owner",
    "other_partner",
    "observer",
    "lead",
    "coordinator",
)
PARTNERS = frozenset({"owner", "other_partner", "observer", "lead", "coordinator"})
EVERYONE = frozenset(ROLES)


@dataclass
class PartnershipWorld:
    partnership: Partnership
    indicator: Indicator
    organisations: dict[str, Organisation]
    people: dict[str, User | None]

    def client(self, role: str) -> Client:
        client = Client()
        person = self.people[role]
        if person is not None:
            client.force_login(person)
        return client


def _member(organisation: Organisation, email: str) -> User:
    user = User.objects.create_user(email)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=MembershipRole.MEMBER,
        method=Membership.Method.STAFF,
    )
    return user


def build_partnership_world(
    *,
    visibility: str = Visibility.PUBLIC,
    indicator_visibility: str = Visibility.PUBLIC,
) -> PartnershipWorld:
    organisations = {
        name: OrganisationFactory.create(name=f"{label} Council", short_name=label, code=code)
        for name, label, code in (
            ("lead", "Leadshire", "LEAD"),
            ("owner", "Ownerton", "OWNR"),
            ("other_partner", "Otherby", "OTHR"),
            ("observer", "Watchford", "WTCH"),
            ("outsider", "Faraway", "FARA"),
        )
    }
    people: dict[str, User | None] = {
        "anonymous": None,
        "signed_in": User.objects.create_user("someone@example.org"),
        "coordinator": User.objects.create_user("coordinator@example.org"),
    }
    for name in ("lead", "owner", "other_partner", "observer", "outsider"):
        people[name] = _member(organisations[name], f"{name}@example.org")
    coordinator = people["coordinator"]
    assert coordinator is not None
    partnership = services.create_partnership(
        name="Healthy Ageing Together",
        description="Fewer older people in crisis.",
        lead=organisations["lead"],
        coordinator=coordinator,
        visibility=visibility,
        area_description="Midshire",
    )
    for name, role in (
        ("owner", MemberRole.PARTNER),
        ("other_partner", MemberRole.PARTNER),
        ("observer", MemberRole.OBSERVER),
    ):
        services.add_member(partnership=partnership, organisation=organisations[name], role=role)
    outcome = services.create_outcome(partnership=partnership, title="Fewer falls at home")
    indicator = services.define_indicator(
        partnership=partnership,
        code="FALLS1",
        name="Emergency admissions after a fall",
        owner=organisations["owner"],
        created_by=coordinator,
        polarity="lower",
        decimal_places=1,
        visibility=indicator_visibility,
        outcomes=[outcome],
    )
    return PartnershipWorld(
        partnership=partnership,
        indicator=indicator,
        organisations=organisations,
        people=people,
    )
