"""Writes: projects and milestones, the RAG override, councillors' questions and answers, and
duplicate suggestions with the person's decision. One transaction each; permission asked here so
that the pages, the API and commands cannot differ."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.core.background import run_in_background
from kitbag.performance.models import Outcome, Partnership, Visibility
from kitbag.projects import overlap, queries
from kitbag.projects.models import (
    Councillor,
    DuplicateSuggestion,
    FoundBy,
    Milestone,
    Project,
    ProjectStatus,
    Question,
    Rating,
    SuggestionState,
)
from kitbag.projects.search_documents import reindex
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code


class NotPermitted(PermissionError):
    pass


class ProjectError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _require(user: User | None, action: str, obj: object | None) -> None:
    if not can(user, action, obj):
        raise NotPermitted(_("You are not allowed to do this."))


@dataclass(frozen=True)
class ProjectDetails:
    title: str
    owner_organisation: Organisation
    description: str = ""
    partnership: Partnership | None = None
    partner_organisations: Sequence[Organisation] = field(default_factory=tuple)
    outcomes: Sequence[Outcome] = field(default_factory=tuple)
    services: Sequence[Code] = field(default_factory=tuple)
    area_gss: Sequence[str] = field(default_factory=tuple)
    status: str = ProjectStatus.PROPOSED
    budget: Decimal | None = None
    spend_to_date: Decimal | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    visibility: str = Visibility.PARTNERS
    is_priority: bool = False


def _check(details: ProjectDetails) -> None:
    if not details.title.strip():
        raise ProjectError(_("Enter the project's title."), field="title")
    if details.start_on and details.end_on and details.end_on < details.start_on:
        raise ProjectError(_("The end date must be on or after the start date."), field="end_on")
    for outcome in details.outcomes:
        if details.partnership is None or outcome.partnership_id != details.partnership.pk:
            raise ProjectError(_("Choose outcomes of the project's partnership."), field="outcomes")
    if details.budget is not None and details.budget < 0:
        raise ProjectError(_("The budget cannot be negative."), field="budget")
    if details.spend_to_date is not None and details.spend_to_date < 0:
        raise ProjectError(_("Spend to date cannot be negative."), field="spend_to_date")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "project"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(project: Project, details: ProjectDetails) -> None:
    project.title = details.title.strip()
    project.description = details.description.strip()
    project.owner_organisation = details.owner_organisation
    project.partnership = details.partnership
    project.area_gss = sorted({code.strip().upper() for code in details.area_gss if code.strip()})
    project.status = details.status
    project.budget = details.budget
    project.spend_to_date = details.spend_to_date
    project.start_on = details.start_on
    project.end_on = details.end_on
    project.visibility = details.visibility
    project.is_priority = details.is_priority


def _look_for_duplicates_soon(project: Project) -> None:
    # After the commit, so that the embedding written on commit (registered first) is there; in
    # this process without a broker, so the page after saving already shows what was found.
    from kitbag.projects.tasks import look_for_duplicates_of

    transaction.on_commit(lambda: run_in_background(look_for_duplicates_of, project_id=project.pk))


@transaction.atomic
def create_project(*, details: ProjectDetails, by: User) -> Project:
    _require(by, "edit", Project(owner_organisation=details.owner_organisation))
    _check(details)
    project = Project(slug=_unique_slug(details.title), created_by=by)
    _apply(project, details)
    project.save()
    _set_relations(project, details)
    reindex(project)
    _look_for_duplicates_soon(project)
    return project


@transaction.atomic
def update_project(*, project: Project, details: ProjectDetails, by: User) -> Project:
    _require(by, "edit", project)
    # Moving a project to another owner needs the right to edit for that owner too.
    _require(by, "edit", Project(owner_organisation=details.owner_organisation))
    _check(details)
    _apply(project, details)
    project.save()
    _set_relations(project, details)
    reindex(project)
    _look_for_duplicates_soon(project)
    return project


def _set_relations(project: Project, details: ProjectDetails) -> None:
    project.partner_organisations.set(
        [o for o in details.partner_organisations if o.pk != project.owner_organisation_id]
    )
    project.outcomes.set(details.outcomes)
    project.services.set(details.services)


@transaction.atomic
def add_milestone(*, project: Project, title: str, due_on: dt.date, by: User) -> Milestone:
    _require(by, "edit", project)
    if not title.strip():
        raise ProjectError(_("Enter the milestone."), field="title")
    return Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)


@transaction.atomic
def mark_milestone_done(*, milestone: Milestone, done_on: dt.date, by: User) -> Milestone:
    _require(by, "edit", milestone.project)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def override_rag(*, project: Project, rating: str, reason: str, by: User) -> Project:
    """Set a person's rating over the computed one (rating "" clears it)."""
    _require(by, "override_rag", project)
    if rating and rating not in Rating.values:
        raise ProjectError(_("Choose red, amber or green."), field="rating")
    if rating and not reason.strip():
        raise ProjectError(_("Say why the rating is not the computed one."), field="reason")
    project.rag_override = rating
    project.rag_override_reason = reason.strip() if rating else ""
    project.rag_override_by = by if rating else None
    project.rag_override_at = timezone.now() if rating else None
    project.save(
        update_fields=[
            "rag_override",
            "rag_override_reason",
            "rag_override_by",
            "rag_override_at",
            "updated_at",
        ]
    )
    return project


# --- Councillors ---------------------------------------------------------------------------------


@transaction.atomic
def name_councillor(
    *, partnership: Partnership, user: User, council: Organisation | None, by: User
) -> Councillor:
    """The coordinator names a councillor for the partnership."""
    if not (by.pk == partnership.coordinator_id or by.is_staff):
        raise NotPermitted(_("Only the partnership's coordinator names its councillors."))
    councillor, _created = Councillor.objects.get_or_create(
        partnership=partnership,
        user=user,
        ended_at=None,
        defaults={"council": council, "added_by": by},
    )
    return councillor


@transaction.atomic
def ask_question(*, project: Project, text: str, by: User) -> Question:
    _require(by, "ask_question", project)
    if not text.strip():
        raise ProjectError(_("Enter your question."), field="text")
    return Question.objects.create(project=project, asked_by=by, text=text.strip())


@transaction.atomic
def answer_question(*, question: Question, answer: str, by: User) -> Question:
    _require(by, "answer_question", question.project)
    if not answer.strip():
        raise ProjectError(_("Enter the answer."), field="answer")
    question.answer = answer.strip()
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question


# --- Duplicates ----------------------------------------------------------------------------------


def _pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _score_pairs(
    pairs: Sequence[tuple[int, int]], facts: dict[int, overlap.ProjectFacts], vectors: dict
) -> list[tuple[tuple[int, int], overlap.Overlap]]:
    scored = []
    for a, b in pairs:
        cosine = float(vectors[a] @ vectors[b]) if a in vectors and b in vectors else None
        found = overlap.overlap(facts[a], facts[b], text_similarity=cosine)
        if found.suggested:
            scored.append(((a, b), found))
    return scored


def _record(
    scored: Sequence[tuple[tuple[int, int], overlap.Overlap]], *, found_by: str
) -> list[DuplicateSuggestion]:
    """New pairs only: a pair that was ever suggested (decided or not) is never written again."""
    known = set(
        DuplicateSuggestion.objects.filter(first_id__in={a for (a, _b), _o in scored}).values_list(
            "first_id", "second_id"
        )
    )
    made = []
    for (a, b), found in scored:
        key = _pair_key(a, b)
        if key in known:
            continue
        try:
            with transaction.atomic():
                made.append(
                    DuplicateSuggestion.objects.create(
                        first_id=key[0],
                        second_id=key[1],
                        score=found.score,
                        reasons=found.reasons(),
                        found_by=found_by,
                    )
                )
        except IntegrityError:  # another process recorded the same pair in between
            continue
        known.add(key)
    return made


def record_duplicates_of(*, project_id: int) -> int:
    """Compare one project with every other open project; returns how many pairs were new."""
    project = queries.candidate_projects().filter(pk=project_id).first()
    if project is None:
        return 0
    others = list(queries.candidate_projects().exclude(pk=project_id))
    facts = queries.facts_of([project, *others])
    vectors = queries.project_vectors(facts)
    scored = _score_pairs([_pair_key(project_id, o.pk) for o in others], facts, vectors)
    with transaction.atomic():
        return len(_record(scored, found_by=FoundBy.WRITING))


def record_all_duplicates() -> int:
    """The nightly check over every pair of open projects (about 60 microseconds a pair on the
    benchmark machine: 1,000 projects, half a million pairs, in about 30 seconds); returns how
    many pairs were new."""
    projects = list(queries.candidate_projects())
    facts = queries.facts_of(projects)
    vectors = queries.project_vectors(facts)
    ids = sorted(facts)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    scored = _score_pairs(pairs, facts, vectors)
    with transaction.atomic():
        return len(_record(scored, found_by=FoundBy.NIGHTLY))


@transaction.atomic
def decide_suggestion(
    *, suggestion: DuplicateSuggestion, state: str, reason: str, by: User
) -> DuplicateSuggestion:
    _require(by, "decide", suggestion)
    if state not in {SuggestionState.COMBINE, SuggestionState.RELATED, SuggestionState.NOT_RELATED}:
        raise ProjectError(_("Choose combine, related or not related."), field="state")
    if not reason.strip():
        raise ProjectError(_("Say why."), field="reason")
    suggestion.state = state
    suggestion.decision_reason = reason.strip()
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    return suggestion
