"""Writes: projects, the RAG override, questions and answers, and duplicate suggestions found on
writing and nightly, decided by a person and never suggested again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kitbag.performance.models import Visibility
from kitbag.projects import queries, services
from kitbag.projects.models import DuplicateSuggestion, FoundBy
from kitbag.projects.tests.world import World, make_project, make_world

pytestmark = pytest.mark.django_db


def details(world: World, **fields: object) -> services.ProjectDetails:
    values: dict[str, object] = {
        "title": "Falls prevention home visits",
        "description": "Home visits to older people after a fall, with a strength and balance class.",
        "owner_organisation": world.owner,
        "partnership": world.partnership,
        "outcomes": [world.outcome],
        "area_gss": ["E07000042"],
        "status": "active",
        "start_on": dt.date(2026, 1, 1),
        "end_on": dt.date(2026, 12, 31),
        "visibility": Visibility.PARTNERS,
    }
    values.update(fields)
    return services.ProjectDetails(**values)  # type: ignore[arg-type]


def test_a_member_of_the_owner_creates_a_project_and_an_outsider_cannot() -> None:
    world = make_world()
    project = services.create_project(details=details(world), by=world.owner_member)
    assert project.slug == "falls-prevention-home-visits"
    assert list(project.outcomes.all()) == [world.outcome]
    with pytest.raises(services.NotPermitted):
        services.create_project(details=details(world), by=world.outsider)


def test_outcomes_must_be_the_partnerships() -> None:
    world = make_world()
    with pytest.raises(services.ProjectError):
        services.create_project(details=details(world, partnership=None), by=world.owner_member)


def test_an_override_needs_a_reason_and_records_who_and_when() -> None:
    world = make_world()
    project = make_project(world)
    with pytest.raises(services.ProjectError):
        services.override_rag(project=project, rating="green", reason=" ", by=world.owner_member)
    services.override_rag(
        project=project, rating="green", reason="The contract is signed.", by=world.owner_member
    )
    project.refresh_from_db()
    assert project.rag_override_by == world.owner_member and project.rag_override_at
    with pytest.raises(services.NotPermitted):
        services.override_rag(project=project, rating="red", reason="x", by=world.partner_member)


def test_a_councillor_asks_and_the_owner_answers() -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.PARTNERS)
    question = services.ask_question(project=project, text="Why is it red?", by=world.councillor)
    with pytest.raises(services.NotPermitted):
        services.answer_question(question=question, answer="x", by=world.partner_member)
    services.answer_question(question=question, answer="Recruitment.", by=world.owner_member)
    question.refresh_from_db()
    assert question.answer == "Recruitment." and question.answered_by == world.owner_member
    with pytest.raises(services.NotPermitted):
        services.ask_question(project=project, text="?", by=world.partner_member)


def test_writing_a_project_like_another_suggests_the_pair(
    django_capture_on_commit_callbacks: object,
) -> None:
    world = make_world()
    earlier = make_project(world, area_gss=["E07000042"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        project = services.create_project(details=details(world), by=world.owner_member)
    suggestion = DuplicateSuggestion.objects.get()
    assert {suggestion.first_id, suggestion.second_id} == {earlier.pk, project.pk}
    assert suggestion.found_by == FoundBy.WRITING
    assert "shared outcomes" in suggestion.reasons


def test_a_dismissed_pair_is_never_suggested_again() -> None:
    world = make_world()
    make_project(world, area_gss=["E07000042"])
    make_project(world, area_gss=["E07000042"])
    assert services.record_all_duplicates() == 1
    suggestion = DuplicateSuggestion.objects.get()
    services.decide_suggestion(
        suggestion=suggestion,
        state="not_related",
        reason="Different client groups.",
        by=world.coordinator,
    )
    assert services.record_all_duplicates() == 0
    for project in (suggestion.first, suggestion.second):
        services.record_duplicates_of(project_id=project.pk)
    assert DuplicateSuggestion.objects.get().state == "not_related"
    assert queries.similar_projects(world.owner_member, suggestion.first) == []


def test_a_decision_needs_the_coordinator_and_a_reason() -> None:
    world = make_world()
    first = make_project(world)
    second = make_project(world, owner_organisation=world.partner)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=second, score=0.9, found_by="nightly"
    )
    with pytest.raises(services.NotPermitted):
        services.decide_suggestion(
            suggestion=suggestion, state="combine", reason="x", by=world.owner_member
        )
    with pytest.raises(services.ProjectError):
        services.decide_suggestion(
            suggestion=suggestion, state="combine", reason="", by=world.coordinator
        )


def test_a_similar_project_the_viewer_may_not_see_is_disclosed_only_by_its_owner() -> None:
    world = make_world()
    mine = make_project(world, visibility=Visibility.PUBLIC, area_gss=["E07000042"])
    theirs = make_project(
        world,
        area_gss=["E07000042"],
        visibility=Visibility.ORGANISATION,
        title="Secret falls pilot",
        owner_organisation=world.outsider_org,
        partnership=None,
    )
    services.record_all_duplicates()
    similar = queries.similar_projects(world.owner_member, mine)
    assert len(similar) == 1 and not similar[0].disclosed
    assert similar[0].owner_name == "Leeds City Council"
    client = Client()
    client.force_login(world.owner_member)
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "A similar project owned by Leeds City Council: ask their coordinator" in page
    assert "Secret falls pilot" not in page
    assert theirs.slug not in page
    # The public learns nothing of suggestions, even on a public project.
    assert "similar project" not in Client().get(mine.get_absolute_url()).content.decode()
    # Its owner sees it named.
    assert queries.similar_projects(world.outsider, theirs)[0].disclosed


def test_the_nightly_command_queues_pairs_for_the_coordinator() -> None:
    world = make_world()
    make_project(world)
    make_project(world)
    out = StringIO()
    call_command("find_duplicate_projects", stdout=out)
    assert "1 new pairs" in out.getvalue()
    assert len(queries.open_suggestions_for(world.coordinator)) == 1
    assert queries.open_suggestions_for(world.partner_member) == []
