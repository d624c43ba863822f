"""The pages: visibility on each (list, detail, organisation section, search), forms, the
oversight page, the duplicate queue, and a fixed number of queries on list and detail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kitbag.accounts.tests.factories import UserFactory
from kitbag.performance.models import Visibility
from kitbag.projects import services
from kitbag.projects.models import Councillor, DuplicateSuggestion, Milestone, Project, Question
from kitbag.projects.search_documents import DOC_TYPE, reindex
from kitbag.projects.tests.world import World, add_slipped_milestone, make_project, make_world
from kitbag.search.queries import search

pytestmark = pytest.mark.django_db


def client_for(user: object | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def three(world: World) -> dict[str, object]:
    return {v: make_project(world, visibility=v, title=f"Project {v}") for v in Visibility.values}


def test_the_list_and_detail_show_only_what_the_reader_may_see(
    world: World, three: dict[str, object]
) -> None:
    cases = {
        None: {"public"},
        world.outsider: {"public"},
        world.partner_member: {"public", "partners"},
        world.owner_member: {"public", "partners", "organisation"},
    }
    for user, expected in cases.items():
        client = client_for(user)
        listed = client.get(reverse("projects:project_list")).content.decode()
        for visibility, project in three.items():
            assert (f"Project {visibility}" in listed) is (visibility in expected)
            status = client.get(project.get_absolute_url()).status_code  # type: ignore[attr-defined]
            assert status == (200 if visibility in expected else 404)


def test_the_organisation_section_shows_only_what_the_reader_may_see(
    world: World, three: dict[str, object]
) -> None:
    url = reverse("registry:organisation_detail", kwargs={"slug": world.owner.slug})
    public = Client().get(url).content.decode()
    assert "Project public" in public and "Project partners" not in public
    partner = client_for(world.partner_member).get(url).content.decode()
    assert "Project partners" in partner and "Project organisation" not in partner
    assert "Project organisation" in client_for(world.owner_member).get(url).content.decode()


def test_only_public_projects_are_found_by_a_public_search(
    world: World, three: dict[str, object]
) -> None:
    for project in three.values():
        reindex(project)  # type: ignore[arg-type]
    found = search(query="project", doc_type=DOC_TYPE, public_only=True)
    assert [hit.object_id for hit in found.hits] == [str(three["public"].pk)]  # type: ignore[attr-defined]
    everything = search(query="project", doc_type=DOC_TYPE, public_only=False)
    assert everything.total == 3


def test_the_detail_shows_the_computed_rating_and_the_override_with_its_reason(
    world: World,
) -> None:
    project = make_project(world)
    add_slipped_milestone(project, days_late=45)
    services.override_rag(
        project=project,
        rating="amber",
        reason="The team starts next week.",
        by=world.owner_member,
    )
    page = Client().get(project.get_absolute_url()).content.decode()
    assert "Computed rating" in page and "govuk-tag--red" in page
    assert "govuk-tag--orange" in page and "The team starts next week." in page
    assert "45 days late" in page
    assert world.owner_member.email not in page


def test_the_list_and_the_detail_make_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world.owner_member)
    project = make_project(world)
    client.get(reverse("projects:project_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("projects:project_list"))
        client.get(project.get_absolute_url())
    for n in range(12):
        extra = make_project(world, title=f"More {n}")
        add_slipped_milestone(extra)
        extra.partner_organisations.add(world.partner)
        Question.objects.create(project=project, asked_by=world.councillor, text=f"Q{n}")
        Milestone.objects.create(project=project, title=f"M{n}", due_on="2026-03-01")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("projects:project_list")).status_code == 200
        assert client.get(project.get_absolute_url()).status_code == 200


NEW_PROJECT = {
    "title": "Home visits after a fall",
    "description": "Home visits to older people after a fall, with a strength and balance class.",
    "status": "active",
    "start_on": "2026-01-01",
    "end_on": "2026-12-31",
    "visibility": "partners",
    "area_codes": "E07000042",
}


def _new_project(world: World, **fields: object) -> dict[str, object]:
    return {
        **NEW_PROJECT,
        "owner_organisation": world.owner.pk,
        "partnership": world.partnership.pk,
        "outcomes": [world.outcome.pk],
        **fields,
    }


def test_similar_projects_are_shown_before_saving_and_nothing_typed_is_lost(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    make_project(world, visibility=Visibility.PARTNERS, title="Falls prevention home visits")
    hidden = make_project(
        world,
        visibility=Visibility.ORGANISATION,
        owner_organisation=world.partner,
        title="Home visits after a fall, with officers",
    )
    client = client_for(world.owner_member)
    assert client.get(reverse("projects:project_create")).status_code == 200
    before = Project.objects.count()
    check = client.post(reverse("projects:project_create"), _new_project(world))
    page = check.content.decode()
    assert check.status_code == 200 and Project.objects.count() == before
    assert "Similar projects already exist" in page and "Check before saving" in page
    assert "Falls prevention home visits" in page
    # The partner's organisation-only project is named only by its owner.
    assert hidden.title not in page
    assert "A similar project owned by Devon and Cornwall Police: ask their coordinator" in page
    # Everything typed is still in the form.
    assert 'value="Home visits after a fall"' in page and "strength and balance class" in page
    assert 'value="E07000042"' in page and 'value="2026-12-31"' in page
    assert "Save the project anyway" in page and "Stop: do not save it" in page
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            reverse("projects:project_create"), _new_project(world, save_anyway="1")
        )
    assert saved.status_code == 302 and Project.objects.count() == before + 1
    page = client.get(saved["Location"]).content.decode()
    assert "Similar projects already exist" in page and "Falls prevention home visits" in page


def test_a_project_like_no_other_is_saved_at_once(world: World) -> None:
    make_project(world, title="Falls prevention home visits")
    response = client_for(world.owner_member).post(
        reverse("projects:project_create"),
        _new_project(
            world,
            title="Library opening hours",
            description="Longer opening at the central library on Saturdays.",
            outcomes=[],
            area_codes="",
        ),
    )
    assert response.status_code == 302


def test_the_form_says_what_is_wrong(world: World) -> None:
    client = client_for(world.owner_member)
    page = client.post(
        reverse("projects:project_create"),
        {
            "title": "",
            "owner_organisation": world.owner.pk,
            "status": "active",
            "visibility": "public",
            "area_codes": "nowhere",
        },
    ).content.decode()
    assert "There is a problem" in page and "is not a GSS code" in page


def test_someone_with_no_membership_cannot_add_a_project() -> None:
    from kitbag.accounts.tests.factories import UserFactory

    client = client_for(UserFactory.create(verified=True))
    assert client.get(reverse("projects:project_create")).status_code == 403


def test_the_oversight_page_is_for_councillors_and_the_coordinator(world: World) -> None:
    red = make_project(world, visibility=Visibility.PARTNERS, is_priority=True, title="Red one")
    add_slipped_milestone(red)
    make_project(world, title="Not a priority")
    url = reverse("projects:oversight", kwargs={"slug": world.partnership.slug})
    page = client_for(world.councillor).get(url).content.decode()
    assert "Red one" in page and "Not a priority" not in page and "govuk-tag--red" in page
    assert client_for(world.coordinator).get(url).status_code == 200
    listed = client_for(world.councillor).get(reverse("projects:project_list")).content.decode()
    assert url in listed
    assert (
        url
        not in client_for(world.partner_member)
        .get(reverse("projects:project_list"))
        .content.decode()
    )
    assert client_for(world.partner_member).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_questions_are_seen_by_partners_and_by_the_public_only_on_public_projects(
    world: World,
) -> None:
    project = make_project(world, visibility=Visibility.PARTNERS)
    client_for(world.councillor).post(
        reverse("projects:question_ask", kwargs={"slug": project.slug}),
        {"text": "Why is recruitment late?"},
    )
    assert Question.objects.filter(project=project).count() == 1
    assert (
        "Why is recruitment late?"
        in client_for(world.partner_member).get(project.get_absolute_url()).content.decode()
    )
    assert Client().get(project.get_absolute_url()).status_code == 404
    # A partner who is not a councillor cannot ask.
    response = client_for(world.partner_member).post(
        reverse("projects:question_ask", kwargs={"slug": project.slug}), {"text": "Me too?"}
    )
    assert response.status_code == 403


def test_the_coordinator_decides_a_suggestion_in_the_queue(world: World) -> None:
    first, second = make_project(world), make_project(world)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.8, found_by="nightly", reasons=["shared outcomes"]
    )
    client = client_for(world.coordinator)
    assert "Pair 1" in client.get(reverse("projects:duplicate_queue")).content.decode()
    url = reverse("projects:duplicate_decide", kwargs={"pk": suggestion.pk})
    client.post(url, {"state": "related", "reason": "Same people, different service."})
    suggestion.refresh_from_db()
    assert suggestion.state == "related" and suggestion.decided_by == world.coordinator
    assert "Nothing is waiting" in client.get(reverse("projects:duplicate_queue")).content.decode()
    assert client_for(world.partner_member).get(url).status_code == 404


def test_the_list_filters_as_the_api_does(world: World) -> None:
    make_project(world, title="Priority one", is_priority=True)
    make_project(world, title="Paused one", status="paused")
    page = Client().get(reverse("projects:project_list"), {"priority": "1"}).content.decode()
    assert "Priority one" in page and "Paused one" not in page
    page = Client().get(reverse("projects:project_list"), {"status": "paused"}).content.decode()
    assert "Paused one" in page and "Priority one" not in page


def test_the_duplicate_queue_asks_permission_once_however_many_suggestions(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    def add_pairs(n: int) -> None:
        for i in range(n):
            first = make_project(world, title=f"Ours {i}", visibility=Visibility.ORGANISATION)
            second = make_project(
                world,
                title=f"Theirs {i}",
                owner_organisation=world.partner if i % 2 else world.outsider_org,
                partnership=world.partnership if i % 2 else None,
                visibility=Visibility.ORGANISATION,
            )
            DuplicateSuggestion.objects.create(
                first=first, second=second, score=0.7, found_by="nightly"
            )

    client = client_for(world.coordinator)
    url = reverse("projects:duplicate_queue")
    add_pairs(2)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        page = client.get(url).content.decode()
    assert page.count("Decide<span") == 2
    add_pairs(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Decide<span") == 22
    # The coordinator may see none of these organisation-only projects: each is named by owner.
    assert "Ours 3" not in page
    assert "A similar project owned by Mid Devon District Council: ask their coordinator" in page


def test_combining_through_the_decision_page_sends_readers_of_the_other_on(world: World) -> None:
    keep = make_project(world, title="Falls prevention at home")
    other = make_project(world, title="Home visits after a fall")
    suggestion = DuplicateSuggestion.objects.create(
        first=keep, second=other, score=0.8, found_by="nightly", reasons=["shared outcomes"]
    )
    url = reverse("projects:duplicate_decide", kwargs={"pk": suggestion.pk})
    client = client_for(world.owner_member)
    page = client.get(url).content.decode()
    assert "which project stays?" in page
    # Combine without choosing which stays: told what is wrong, nothing changed.
    page = client.post(url, {"state": "combine", "reason": "Same team."}).content.decode()
    assert "Choose which project stays." in page and "There is a problem" in page
    other.refresh_from_db()
    assert other.combined_into is None
    response = client.post(url, {"state": "combine", "reason": "Same team.", "keep": keep.pk})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    other.refresh_from_db()
    assert other.combined_into == keep
    sent_on = client.get(other.get_absolute_url())
    assert sent_on.status_code == 302 and sent_on["Location"].startswith(keep.get_absolute_url())
    landed = client.get(sent_on["Location"]).content.decode()
    assert "“Home visits after a fall” was combined into this project." in landed
    listed = client.get(reverse("projects:project_list")).content.decode()
    assert "Falls prevention at home" in listed and "Home visits after a fall" not in listed
    # Someone who may not see the projects learns nothing from the old address.
    assert client_for(world.outsider).get(other.get_absolute_url()).status_code in {302, 404}
    assert Client().get(keep.get_absolute_url()).status_code in {200, 404}


def test_a_coordinator_deciding_combine_is_told_the_owners_must_merge(world: World) -> None:
    first = make_project(world)
    second = make_project(world, owner_organisation=world.partner)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.8, found_by="nightly"
    )
    url = reverse("projects:duplicate_decide", kwargs={"pk": suggestion.pk})
    client = client_for(world.coordinator)
    page = client.get(url).content.decode()
    assert "which project stays?" not in page and "coordinators are told" in page
    response = client.post(url, {"state": "combine", "reason": "Same."}, follow=True)
    assert "coordinators have been told" in response.content.decode()
    second.refresh_from_db()
    assert second.combined_into is None


def test_the_coordinator_names_and_removes_councillors_on_a_page(world: World) -> None:
    url = reverse("projects:councillors", kwargs={"slug": world.partnership.slug})
    for someone in (world.owner_member, world.partner_member, world.councillor, world.outsider):
        assert client_for(someone).get(url).status_code == 404
        assert client_for(someone).post(url, {"email": someone.email}).status_code == 404
    assert Client().get(url).status_code == 302
    client = client_for(world.coordinator)
    page = client.get(url).content.decode()
    assert "cllr@example.org" in page and "1 councillor" in page
    # By address.
    new = UserFactory.create(email="new-cllr@example.org", verified=True)
    response = client.post(url, {"email": "NEW-cllr@example.org", "council": world.owner.pk})
    assert response.status_code == 302
    assert Councillor.objects.filter(user=new, ended_at__isnull=True).exists()
    # From the members of the partner organisations.
    response = client.post(url, {"member": world.partner_member.pk})
    assert response.status_code == 302
    assert Councillor.objects.filter(user=world.partner_member, ended_at__isnull=True).exists()
    # Bad input: what is wrong and where, nothing changed.
    before = Councillor.objects.count()
    for data, message in (
        ({"email": "nobody@example.org"}, "No Kitbag account has this address"),
        ({}, "Enter their email address or choose a member, not both."),
        ({"email": new.email, "member": world.owner_member.pk}, "not both"),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"email": new.email, "council": world.outsider_org.pk}, "Select a valid choice"),
    ):
        page = client.post(url, data).content.decode()
        assert "There is a problem" in page and message in page, data
    assert Councillor.objects.count() == before
    # The new councillor sees the oversight page; the coordinator's page lists them.
    oversight = reverse("projects:oversight", kwargs={"slug": world.partnership.slug})
    assert client_for(new).get(oversight).status_code == 200
    page = client_for(new).get(oversight).content.decode()
    assert "3 councillors oversee this partnership" in page
    assert "new-cllr@example.org" not in page and "Name or remove councillors" not in page
    assert "Name or remove councillors" in client.get(oversight).content.decode()
    # Removing ends the role: the page is closed to them again.
    named = Councillor.objects.get(user=new, ended_at__isnull=True)
    remove = reverse(
        "projects:councillor_remove", kwargs={"slug": world.partnership.slug, "pk": named.pk}
    )
    assert client_for(world.partner_member).post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    assert client_for(new).get(oversight).status_code == 404
