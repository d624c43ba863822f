"""Writes: projects, the RAG override, questions and answers, and duplicate suggestions found on
writing and nightly, decided by a person and never suggested again."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kitbag.accounts.models import AuditEvent, Membership
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.factories import UserFactory
from kitbag.follows.models import Follow
from kitbag.performance.models import Partnership, Visibility
from kitbag.projects import overlap, queries, services
from kitbag.projects.models import (
    Councillor,
    DuplicateSuggestion,
    FoundBy,
    Milestone,
    Project,
    Question,
)
from kitbag.projects.tests.world import World, make_project, make_world
from kitbag.registry.models import Identifier, IdentifierScheme, Organisation, ParentLink
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.models import Code, CodeList

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


# --- Area overlap through the registry's hierarchy ------------------------------------------------


def _council(world: World, name: str, gss: str) -> Organisation:
    body = OrganisationFactory.create(name=name)
    Identifier.objects.create(organisation=body, scheme=IdentifierScheme.GSS, value=gss)
    return body


def test_a_county_wide_project_overlaps_a_district_project_in_the_county() -> None:
    world = make_world()
    county = _council(world, "Devon County Council", "E10000008")
    mid_devon = _council(world, "Mid Devon District Council", "E07000042")
    _council(world, "Leeds City Council (area)", "E08000035")
    ParentLink.objects.create(child=mid_devon, parent=county, relation="county")
    # Texts that only just clear the floor, so that the area decides.
    county_wide = make_project(world, area_gss=["E10000008"], partnership=None)
    in_district = make_project(world, area_gss=["E07000042"], partnership=None)
    elsewhere = make_project(world, area_gss=["E08000035"], partnership=None)
    facts = queries.facts_of([county_wide, in_district, elsewhere])
    assert overlap.areas_overlap(facts[county_wide.pk], facts[in_district.pk])
    assert not overlap.areas_overlap(facts[in_district.pk], facts[elsewhere.pk])
    assert not overlap.areas_overlap(facts[county_wide.pk], facts[elsewhere.pk])
    services.record_all_duplicates()
    pairs = {frozenset((s.first_id, s.second_id)): s for s in DuplicateSuggestion.objects.all()}
    together = pairs[frozenset((county_wide.pk, in_district.pk))]
    assert "overlapping area" in together.reasons
    apart = pairs.get(frozenset((in_district.pk, elsewhere.pk)))
    assert apart is None or apart.score < together.score


# --- Combining two projects -------------------------------------------------------------------------


def _pair(world: World, **second: Any) -> tuple[Project, Project, DuplicateSuggestion]:
    keep = make_project(world, title="Falls prevention at home", area_gss=["E07000042"])
    other = make_project(world, title="Home visits after a fall", area_gss=["E07000041"], **second)
    first, last = sorted((keep, other), key=lambda p: p.pk)
    suggestion = DuplicateSuggestion.objects.create(
        first=first, second=last, score=0.9, found_by="nightly"
    )
    return keep, other, suggestion


def test_combine_by_someone_who_may_edit_both_merges_the_projects() -> None:
    world = make_world()
    keep, other, suggestion = _pair(world)
    service = Code.objects.create(
        code_list=CodeList.objects.get_or_create(slug="lgsl-services", defaults={"name": "LGSL"})[
            0
        ],
        code="1041",
        label="Falls prevention",
    )
    other.services.add(service)
    other.partner_organisations.add(world.partner)
    Milestone.objects.create(project=other, title="Recruit", due_on=dt.date(2026, 3, 1))
    Question.objects.create(project=other, asked_by=world.councillor, text="When?")
    Follow.objects.create(user=world.partner_member, key=f"project:{other.pk}")
    Follow.objects.create(user=world.councillor, key=f"project:{other.pk}")
    Follow.objects.create(user=world.councillor, key=f"project:{keep.pk}")
    # An outsider following the (public) combined project may not see a partners-only kept one.
    Project.objects.filter(pk=keep.pk).update(visibility=Visibility.PARTNERS)
    Follow.objects.create(user=world.outsider, key=f"project:{other.pk}")
    decision = services.decide_suggestion(
        suggestion=suggestion,
        state="combine",
        reason="The same falls team.",
        keep=keep,
        by=world.owner_member,
    )
    assert decision.combined_into == keep
    keep.refresh_from_db()
    other.refresh_from_db()
    assert other.combined_into == keep and other.combined_by == world.owner_member
    assert list(keep.milestones.values_list("title", flat=True)) == ["Recruit"]
    assert list(keep.questions.values_list("text", flat=True)) == ["When?"]
    assert list(keep.services.all()) == [service]
    assert set(keep.partner_organisations.all()) == {world.partner}
    assert list(keep.outcomes.all()) == [world.outcome]
    assert keep.area_gss == ["E07000041", "E07000042"]
    # Kept for the audit trail, never deleted, and the event says who combined what.
    assert Project.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PROJECTS_COMBINED)
    assert event.actor == world.owner_member
    assert event.detail == {
        "kept": keep.pk,
        "combined": other.pk,
        "milestones": 1,
        "questions": 1,
        "follows": 1,
    }
    # Followers of the combined project follow the kept one, once each.
    assert sorted(Follow.objects.values_list("user_id", "key")) == sorted(
        [
            (world.partner_member.pk, f"project:{keep.pk}"),
            (world.councillor.pk, f"project:{keep.pk}"),
            (world.outsider.pk, f"project:{other.pk}"),
        ]
    )
    suggestion.refresh_from_db()
    assert suggestion.state == "combine"
    # The combined project is in no list and no longer compared.
    assert other not in queries.projects_for(world.owner_member)
    assert other not in queries.candidate_projects()


def test_combine_needs_the_one_to_keep_and_changes_nothing_without_it() -> None:
    world = make_world()
    keep, other, suggestion = _pair(world)
    with pytest.raises(services.ProjectError) as error:
        services.decide_suggestion(
            suggestion=suggestion, state="combine", reason="Same.", by=world.owner_member
        )
    assert error.value.field == "keep"
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.state == "open" and other.combined_into is None
    outsider = make_project(world, title="Elsewhere")
    with pytest.raises(services.ProjectError):
        services.decide_suggestion(
            suggestion=suggestion,
            state="combine",
            reason="Same.",
            keep=outsider,
            by=world.owner_member,
        )


def test_only_someone_who_may_edit_both_combines() -> None:
    world = make_world()
    keep, other, _suggestion = _pair(world, owner_organisation=world.partner)
    for person in (world.owner_member, world.partner_member, world.coordinator):
        with pytest.raises(services.NotPermitted):
            services.combine_projects(keep=keep, other=other, reason="Same.", by=person)
    other.refresh_from_db()
    assert other.combined_into is None
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PROJECTS_COMBINED).exists()


def test_combine_by_a_coordinator_is_recorded_and_the_coordinators_are_told(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    world = make_world()
    other_coordinator = UserFactory.create(email="other-coordinator@example.org", verified=True)
    elsewhere = Partnership.objects.create(
        name="Devon Health and Wellbeing", slug="devon-hwb", coordinator=other_coordinator
    )
    keep, other, suggestion = _pair(world, owner_organisation=world.partner, partnership=elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_suggestion(
            suggestion=suggestion,
            state="combine",
            reason="The same falls team.",
            keep=keep,
            by=world.coordinator,
        )
    assert decision.combined_into is None and decision.told == 1
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.state == "combine" and suggestion.decided_by == world.coordinator
    assert other.combined_into is None
    # The other coordinator is told; the one deciding is not mailed about their own decision.
    assert [m.to for m in mailoutbox] == [["other-coordinator@example.org"]]
    assert keep.title in mailoutbox[0].body and other.title in mailoutbox[0].body
    # The owners may combine it later: a member of both owners decides again and it merges.
    both = UserFactory.create(verified=True, member_of=world.owner)
    Membership.objects.create(user=both, organisation=world.partner, role="member")
    assert can(both, "combine", suggestion)
    # It waits in their queue, and no longer in the coordinator's.
    assert queries.open_suggestions_for(both) == [suggestion]
    assert queries.open_suggestions_for(world.coordinator) == []
    services.decide_suggestion(
        suggestion=suggestion, state="combine", reason="Agreed.", keep=keep, by=both
    )
    other.refresh_from_db()
    assert other.combined_into == keep


# --- Councillors ----------------------------------------------------------------------------------


def test_the_coordinator_names_and_removes_a_councillor_audited() -> None:
    world = make_world()
    person = UserFactory.create(email="new-cllr@example.org", verified=True)
    project = make_project(world, visibility=Visibility.PARTNERS)
    assert not can(person, "view", project)
    councillor = services.name_councillor(
        partnership=world.partnership, user=person, council=world.owner, by=world.coordinator
    )
    assert can(person, "view", project) and can(person, "oversee", world.partnership)
    named = AuditEvent.objects.get(kind=AuditEvent.Kind.COUNCILLOR_NAMED)
    assert named.subject == person and named.actor == world.coordinator
    assert named.organisation == world.owner
    assert "new-cllr" not in str(named.detail)
    # Naming again changes nothing and records nothing more.
    services.name_councillor(
        partnership=world.partnership, user=person, council=None, by=world.coordinator
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.COUNCILLOR_NAMED).count() == 1
    services.remove_councillor(councillor=councillor, by=world.coordinator)
    assert not can(person, "view", project) and not can(person, "oversee", world.partnership)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.COUNCILLOR_REMOVED).count() == 1
    councillor.refresh_from_db()
    assert councillor.ended_at is not None  # kept: their questions still name the role


def test_only_the_coordinator_names_councillors_for_a_member_council() -> None:
    world = make_world()
    person = UserFactory.create(verified=True)
    for someone in (world.owner_member, world.partner_member, world.councillor, world.outsider):
        with pytest.raises(services.NotPermitted):
            services.name_councillor(
                partnership=world.partnership, user=person, council=None, by=someone
            )
    with pytest.raises(services.ProjectError) as error:
        services.name_councillor(
            partnership=world.partnership,
            user=person,
            council=world.outsider_org,
            by=world.coordinator,
        )
    assert error.value.field == "council"
    assert not Councillor.objects.filter(user=person).exists()
    councillor = Councillor.objects.get(user=world.councillor)
    with pytest.raises(services.NotPermitted):
        services.remove_councillor(councillor=councillor, by=world.owner_member)


def test_a_coordinator_told_of_a_combine_reads_only_the_titles_they_may_see(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    world = make_world()
    other_coordinator = UserFactory.create(email="other-coordinator@example.org", verified=True)
    elsewhere = Partnership.objects.create(
        name="Devon Health and Wellbeing", slug="devon-hwb", coordinator=other_coordinator
    )
    hidden = make_project(world, title="Secret falls pilot", visibility=Visibility.ORGANISATION)
    theirs = make_project(
        world, title="Falls clinic", owner_organisation=world.partner, partnership=elsewhere
    )
    suggestion = DuplicateSuggestion.objects.create(
        first=hidden, second=theirs, score=0.9, found_by="nightly"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_suggestion(
            suggestion=suggestion, state="combine", reason="Same.", by=world.coordinator
        )
    (mail,) = mailoutbox
    assert "Falls clinic" in mail.body and "Secret falls pilot" not in mail.body
    assert "A project owned by Mid Devon District Council" in mail.body
