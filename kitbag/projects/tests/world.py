"""A small world for the projects' tests: two partner councils and an outsider, a partnership
with a coordinator and a councillor, and a person of each kind a rule names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.performance.models import Outcome, Partnership, PartnershipMember, Visibility
from kitbag.projects.models import Councillor, Milestone, Project
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

TODAY = dt.date(2026, 6, 1)


@dataclass
class World:
    owner: Organisation
    partner: Organisation
    outsider_org: Organisation
    partnership: Partnership
    outcome: Outcome
    owner_member: User
    partner_member: User
    outsider: User
    coordinator: User
    councillor: User


def make_world() -> World:
    owner = OrganisationFactory.create(name="Mid Devon District Council", short_name="Mid Devon")
    partner = OrganisationFactory.create(name="Devon and Cornwall Police", short_name="DC Police")
    outsider_org = OrganisationFactory.create(name="Leeds City Council", short_name="Leeds")
    coordinator = UserFactory.create(email="coordinator@example.org", verified=True)
    partnership = Partnership.objects.create(
        name="Mid Devon Community Safety Partnership",
        slug="mid-devon-csp",
        coordinator=coordinator,
    )
    for organisation in (owner, partner):
        PartnershipMember.objects.create(
            partnership=partnership, organisation=organisation, joined_on=dt.date(2024, 4, 1)
        )
    outcome = Outcome.objects.create(
        partnership=partnership, title="Fewer older people in crisis", slug="older-people"
    )
    councillor = UserFactory.create(email="cllr@example.org", verified=True)
    Councillor.objects.create(partnership=partnership, user=councillor, council=owner)
    return World(
        owner=owner,
        partner=partner,
        outsider_org=outsider_org,
        partnership=partnership,
        outcome=outcome,
        owner_member=UserFactory.create(verified=True, member_of=owner),
        partner_member=UserFactory.create(verified=True, member_of=partner),
        outsider=UserFactory.create(verified=True, member_of=outsider_org),
        coordinator=coordinator,
        councillor=councillor,
    )


def make_project(world: World, *, visibility: str = Visibility.PUBLIC, **fields: Any) -> Project:
    defaults: dict[str, Any] = {
        "title": f"Falls prevention at home ({visibility})",
        "slug": f"falls-prevention-{visibility}-{Project.objects.count()}",
        "description": "Home visits to older people after a fall, with a strength and balance class.",
        "owner_organisation": world.owner,
        "partnership": world.partnership,
        "status": "active",
        "budget": Decimal("100000"),
        "spend_to_date": Decimal("50000"),
        "start_on": dt.date(2026, 1, 1),
        "end_on": dt.date(2026, 12, 31),
        "visibility": visibility,
    }
    defaults.update(fields)
    project = Project.objects.create(**defaults)
    project.outcomes.add(world.outcome)
    return project


def add_slipped_milestone(project: Project, *, days_late: int = 45) -> Milestone:
    return Milestone.objects.create(
        project=project,
        title="Recruit the falls team",
        due_on=dt.date.today() - dt.timedelta(days=days_late),
    )
