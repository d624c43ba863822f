"""A small world for the follows tests: a council with an editor, a draft case, a reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases import services as case_services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.tests.factories import CaseFactory
from kitbag.follows import services
from kitbag.follows.models import StoredHappening
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

# A moment inside a London day, and the run that sends that day's digest the next morning.
DAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
NEXT_MORNING = dt.datetime(2026, 12, 8, 6, 30, tzinfo=dt.UTC)


@dataclass
class World:
    council: Organisation
    editor: User
    reader: User
    draft: Case


def build_world() -> World:
    council = OrganisationFactory.create(name="Camden Council", slug="camden")
    editor = UserFactory.create(
        email="editor@camden.gov.uk", member_of=council, member_of__role=MembershipRole.EDITOR
    )
    reader = UserFactory.create(email="reader@example.org")
    draft = CaseFactory.create(
        title="Digital parking permits",
        slug="digital-parking-permits",
        lead_organisation=council,
        status=RecordStatus.IN_REVIEW,
        owner=editor,
    )
    return World(council=council, editor=editor, reader=reader, draft=draft)


def publish(world: World, case: Case | None = None, *, at: dt.datetime = DAY) -> Case:
    """Publish a case, as if Kitbag heard of it `at` (the digests go by when it was recorded)."""
    published = case_services.move_case(case=case or world.draft, action="publish", by=world.editor)
    recorded_at(at)
    return published


def recorded_at(moment: dt.datetime) -> None:
    """Date the latest happening `moment`, as if it had been recorded then."""
    latest = StoredHappening.objects.order_by("-pk").first()
    assert latest is not None
    StoredHappening.objects.filter(pk=latest.pk).update(recorded_at=moment)


def reader_gets_daily_digests(world: World, *, since: dt.datetime = DAY) -> None:
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    services.set_digest_frequency(
        user=world.reader, frequency="daily", now=since - dt.timedelta(hours=1)
    )
