"""What used a resource: partnerships and events beside cases and consultations, each shown only
to whoever may see it, recorded and removed on the resource's page by whoever may edit the thing,
and listed as "Resources used" on the thing's own page; on the page, the API and search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.accounts.models import AuditEvent, MembershipRole, User
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.tests.factories import CaseFactory
from kitbag.events.tests.factories import EventFactory
from kitbag.performance import services as performance_services
from kitbag.performance.permissions import editable_partnerships
from kitbag.performance.tests.partnership_world import (
    ROLES,
    PartnershipWorld,
    build_partnership_world,
)
from kitbag.resources import services
from kitbag.resources.models import Resource, Use
from kitbag.resources.used_by import editable_choices, may_record

pytestmark = pytest.mark.django_db


def _resource(title: str = "Falls prevention toolkit") -> Resource:
    return services.recommend(
        person=UserFactory.create(),
        url="https://example.org/falls-toolkit",
        title=title,
        tags=["falls"],
    )


def _person(world: PartnershipWorld, role: str) -> User:
    person = world.people[role]
    assert isinstance(person, User)
    return person


@pytest.fixture
def world() -> PartnershipWorld:
    return build_partnership_world(visibility="partners")


def test_a_coordinator_records_that_their_partnership_used_a_resource(
    world: PartnershipWorld,
) -> None:
    resource = _resource()
    client = world.client("coordinator")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Say what of yours used it" in page and "Healthy Ageing Together" in page
    key = f"partnership:{world.partnership.pk}"
    response = client.post(f"/resources/{resource.pk}/used-by/", {"used_by": key})
    assert response.status_code == 302
    use = Use.objects.get()
    assert use.key == key and use.added_by == _person(world, "coordinator")
    shown = client.get(resource.get_absolute_url()).content.decode()
    assert "Partnership:" in shown and "Healthy Ageing Together" in shown
    partnership_page = client.get(
        f"/performance/partnerships/{world.partnership.slug}/"
    ).content.decode()
    assert "Resources used" in partnership_page and "Falls prevention toolkit" in partnership_page


@pytest.mark.parametrize("role", ROLES)
def test_a_partners_only_partnerships_use_is_shown_only_to_those_who_may_see_it(
    world: PartnershipWorld, role: str
) -> None:
    resource = _resource()
    services.record_use(resource=resource, key=f"partnership:{world.partnership.pk}", by=None)
    may_see = can(world.people[role], "view", world.partnership)
    page = world.client(role).get(resource.get_absolute_url()).content.decode()
    assert ("Healthy Ageing Together" in page) is may_see, role
    api = world.client(role).get(f"/api/v1/resources/{resource.pk}").json()
    assert bool(api["used_by"]) is may_see, role


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_a_partnership_record_its_use(
    world: PartnershipWorld, role: str
) -> None:
    resource = _resource()
    key = f"partnership:{world.partnership.pk}"
    may_edit = can(world.people[role], "edit", world.partnership)
    assert may_record(world.people[role], key) is may_edit
    # The queryset the form lists from agrees with the one rule.
    listed = editable_partnerships(world.people[role]).filter(pk=world.partnership.pk).exists()
    assert listed is may_edit
    response = world.client(role).post(f"/resources/{resource.pk}/used-by/", {"used_by": key})
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    elif may_edit:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert "Choose a case, consultation, partnership or event you may edit" in (
            response.content.decode()
        )
    assert Use.objects.exists() is may_edit


def test_removing_a_use_is_for_its_recorder_or_editors_and_is_audited(
    world: PartnershipWorld,
) -> None:
    resource = _resource()
    key = f"partnership:{world.partnership.pk}"
    use = services.say_used(resource=resource, key=key, by=_person(world, "coordinator"))
    url = f"/resources/{resource.pk}/used-by/{use.pk}/remove/"
    assert world.client("owner").post(url).status_code == 403
    assert world.client("anonymous").post(url).status_code == 302
    assert Use.objects.filter(pk=use.pk).exists()
    page = world.client("lead").get(resource.get_absolute_url()).content.decode()
    assert "Remove" in page
    assert world.client("lead").post(url).status_code == 302
    assert not Use.objects.exists()
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.RESOURCE_USE_REMOVED)
    assert audit.actor == _person(world, "lead")
    assert audit.detail == {"resource_id": resource.pk, "key": key}


def test_the_form_offers_each_persons_own_cases_consultations_partnerships_and_events() -> None:
    from kitbag.registry.tests.factories import OrganisationFactory

    council = OrganisationFactory.create(name="Camden")
    editor = UserFactory.create(member_of=council, member_of__role=MembershipRole.EDITOR)
    CaseFactory.create(title="Our chatbot", lead_organisation=council)
    CaseFactory.create(title="Someone else's case")
    EventFactory.create(title="Our meetup", organisation=council, organiser=None)
    EventFactory.create(title="Their meetup")
    performance_services.create_partnership(
        name="Camden and friends", description="", lead=council, coordinator=UserFactory.create()
    )
    groups = {
        label: [name for _key, name in choices] for _k, label, choices in editable_choices(editor)
    }
    assert groups == {
        "Case": ["Our chatbot"],
        "Event": ["Our meetup"],
        "Partnership": ["Camden and friends"],
    }
    assert editable_choices(UserFactory.create()) == []
    resource = _resource()
    client = Client()
    client.force_login(editor)
    outsider_case = CaseFactory.create(title="Not ours")
    refused = client.post(
        f"/resources/{resource.pk}/used-by/", {"used_by": f"case:{outsider_case.uuid}"}
    )
    assert refused.status_code == 400 and not Use.objects.exists()
    assert "There is a problem" in refused.content.decode()


def test_an_events_use_is_shown_to_anyone_and_on_the_events_page() -> None:
    event = EventFactory.create(title="Camp 2026")
    resource = _resource("Camp toolkit")
    assert event.organiser is not None
    services.say_used(resource=resource, key=f"event:{event.pk}", by=event.organiser)
    assert "Camp 2026" in Client().get(resource.get_absolute_url()).content.decode()
    event_page = Client().get(event.get_absolute_url()).content.decode()
    assert "Resources used" in event_page and "Camp toolkit" in event_page
    # Not for the public to add to.
    assert "Recommend a link this event used" not in event_page
    organiser = Client()
    organiser.force_login(event.organiser)
    assert (
        "Recommend a link this event used"
        in organiser.get(event.get_absolute_url()).content.decode()
    )


def test_a_case_page_lists_resources_it_used_but_never_a_private_bookmark() -> None:
    case = CaseFactory.create(title="Missed bins chatbot")
    public = _resource("Chatbot guide")
    owner = UserFactory.create()
    private = services.recommend(
        person=owner, url="https://example.org/secret", title="My secret notes", is_private=True
    )
    services.record_use(resource=public, key=f"case:{case.uuid}", by=None)
    services.record_use(resource=private, key=f"case:{case.uuid}", by=owner)
    page = Client().get(case.get_absolute_url()).content.decode()
    assert "Chatbot guide" in page and "My secret notes" not in page
    mine = Client()
    mine.force_login(owner)
    assert "My secret notes" in mine.get(case.get_absolute_url()).content.decode()


def test_a_page_with_no_resources_used_and_no_editor_has_no_such_section() -> None:
    case = CaseFactory.create()
    assert 'id="resources-used"' not in Client().get(case.get_absolute_url()).content.decode()


def test_a_link_added_from_a_partnerships_page_is_recorded_as_used_by_it(
    world: PartnershipWorld,
) -> None:
    key = f"partnership:{world.partnership.pk}"
    page = world.client("coordinator").get(f"/performance/partnerships/{world.partnership.slug}/")
    assert f"/resources/add/?used_by=partnership%3A{world.partnership.pk}" in page.content.decode()
    form = world.client("coordinator").get("/resources/add/", {"used_by": key}).content.decode()
    assert "It will be shown as used by Healthy Ageing Together" in form
    answer = world.client("coordinator").post(
        "/resources/add/",
        {"url": "https://example.org/new", "title": "New guide", "used_by": key},
    )
    assert answer.status_code == 302
    assert Use.objects.get().key == key
    # Someone who may not edit it is told so, and nothing is saved.
    refused = world.client("owner").post(
        "/resources/add/",
        {"url": "https://example.org/other", "title": "Other", "used_by": key},
    )
    assert refused.status_code == 200
    assert "You may only say that a thing you may edit used a link" in refused.content.decode()
    assert Resource.objects.count() == 1 and Use.objects.count() == 1


def test_the_editable_lists_agree_with_the_one_edit_rule_for_cases_consultations_and_events() -> (
    None
):
    from kitbag.cases.permissions import editable_cases
    from kitbag.consultations.models import Consultation
    from kitbag.consultations.permissions import editable_consultations
    from kitbag.events.permissions import organised_events
    from kitbag.registry.tests.factories import OrganisationFactory

    council = OrganisationFactory.create()
    elsewhere = OrganisationFactory.create()
    people: list[Any] = [
        None,
        UserFactory.create(),
        UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER),
        UserFactory.create(member_of=council, member_of__role=MembershipRole.EDITOR),
        UserFactory.create(member_of=elsewhere, member_of__role=MembershipRole.ADMIN),
        UserFactory.create(is_staff=True),
        UserFactory.create(is_moderator=True),
    ]
    owner = UserFactory.create()
    people.append(owner)
    case = CaseFactory.create(lead_organisation=council, owner=owner, status="draft")
    consultation = Consultation.objects.create(
        organisation=council, title="Bins", slug="bins", created_by=owner
    )
    ours = EventFactory.create(organisation=council, organiser=None)
    theirs = EventFactory.create(organiser=owner)
    for person in people:
        assert editable_cases(person).filter(pk=case.pk).exists() is can(person, "edit", case)
        assert editable_consultations(person).filter(pk=consultation.pk).exists() is can(
            person, "edit", consultation
        )
        for event in (ours, theirs):
            assert organised_events(person).filter(pk=event.pk).exists() is can(
                person, "organise", event
            )
