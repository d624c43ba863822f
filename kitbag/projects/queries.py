"""Reads that the pages, the API, the organisation section and the duplicate finder share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from kitbag.accounts.permissions import Viewer
from kitbag.performance.models import OutcomeIndicator, Partnership
from kitbag.projects import overlap, rag
from kitbag.projects.models import (
    Councillor,
    DuplicateSuggestion,
    Milestone,
    Project,
    Question,
    Rating,
    SuggestionState,
)
from kitbag.projects.permissions import (
    combinable_suggestions,
    decidable_suggestions,
    visible_projects,
)
from kitbag.projects.search_documents import DOC_TYPE, text_of
from kitbag.registry.queries import gss_areas_around
from kitbag.search.models import SearchDocument
from kitbag.semantic import queries as semantic


@dataclass(frozen=True)
class ProjectFilters:
    organisation: str = ""  # the owner's slug
    partnership: str = ""  # slug
    status: str = ""
    service: str = ""  # LGSL code
    priority: bool = False


def projects_for(viewer: Viewer, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Visible projects with what a list row shows, in a fixed number of queries. A project
    combined into another is in no list: it lives on in the one that stayed."""
    filters = filters or ProjectFilters()
    found = visible_projects(viewer).filter(combined_into__isnull=True)
    if filters.organisation:
        found = found.filter(owner_organisation__slug=filters.organisation)
    if filters.partnership:
        found = found.filter(partnership__slug=filters.partnership)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.service:
        found = found.filter(services__code=filters.service)
    if filters.priority:
        found = found.filter(is_priority=True)
    return _with_what_a_page_shows(found.distinct()).order_by("title", "pk")


def _with_what_a_page_shows(found: QuerySet[Project]) -> QuerySet[Project]:
    return found.select_related(
        "owner_organisation", "partnership", "rag_override_by", "combined_into__owner_organisation"
    ).prefetch_related(
        "partner_organisations",
        "services",
        "outcomes",
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
    )


def project_detail(viewer: Viewer, slug: str) -> Project | None:
    """A project the viewer may see, combined ones included (their page sends readers on)."""
    return (
        _with_what_a_page_shows(visible_projects(viewer))
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("asked_by", "answered_by"),
            )
        )
        .filter(slug=slug)
        .first()
    )


def rag_of(project: Project, *, today: dt.date | None = None) -> rag.RagResult:
    """Uses the prefetched milestones when there are."""
    return rag.compute_rag(
        status=project.status,
        milestones=[
            rag.MilestoneDates(title=m.title, due_on=m.due_on, done_on=m.done_on)
            for m in project.milestones.all()
        ],
        budget=project.budget,
        spend_to_date=project.spend_to_date,
        start_on=project.start_on,
        end_on=project.end_on,
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class RatedProject:
    project: Project
    computed: rag.RagResult
    override: str  # Rating value or ""

    @property
    def shown(self) -> str:
        """The rating the page leads with: the override when there is one."""
        if self.override:
            return self.override
        return self.computed.rating.label if self.computed.rating else ""

    @property
    def unanswered(self) -> int:
        """From the prefetched questions."""
        return sum(1 for question in self.project.questions.all() if not question.answer)


def rated(projects: Iterable[Project], *, today: dt.date | None = None) -> list[RatedProject]:
    return [
        RatedProject(project=p, computed=rag_of(p, today=today), override=p.rag_override)
        for p in projects
    ]


def priority_projects(viewer: Viewer, partnership: Partnership) -> list[RatedProject]:
    found = projects_for(
        viewer, ProjectFilters(partnership=partnership.slug, priority=True)
    ).prefetch_related(
        Prefetch("questions", queryset=Question.objects.select_related("asked_by", "answered_by"))
    )
    return rated(found)


def overseen_partnerships(viewer: Viewer) -> list[Partnership]:
    """Partnerships whose oversight page the viewer may open: as coordinator or councillor."""
    from kitbag.accounts.permissions import Actor

    actor = Actor.of(viewer)
    if actor.user is None:
        return []
    as_councillor = Councillor.objects.filter(user=actor.user, ended_at__isnull=True).values(
        "partnership_id"
    )
    return list(
        Partnership.objects.filter(Q(coordinator=actor.user) | Q(pk__in=as_councillor)).order_by(
            "name"
        )
    )


def current_councillors(partnership: Partnership) -> list[Councillor]:
    return list(
        Councillor.objects.filter(partnership=partnership, ended_at__isnull=True)
        .select_related("user", "council")
        .order_by("user__email")
    )


def organisation_projects(viewer: Viewer, organisation_id: int) -> list[RatedProject]:
    return rated(projects_for(viewer).filter(owner_organisation_id=organisation_id))


def project_figures() -> list[tuple[str, int]]:
    return [("Public projects", visible_projects(None).count())]


# --- Duplicates ------------------------------------------------------------------------------


def facts_of(projects: Sequence[Project]) -> dict[int, overlap.ProjectFacts]:
    """What the overlap score reads, for many projects in four queries."""
    ids = [p.pk for p in projects]
    outcomes: dict[int, set[int]] = {pk: set() for pk in ids}
    services: dict[int, set[int]] = {pk: set() for pk in ids}
    for project_id, outcome_id in Project.outcomes.through.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "outcome_id"):
        outcomes[project_id].add(outcome_id)
    for project_id, code_id in Project.services.through.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "code_id"):
        services[project_id].add(code_id)
    reach = gss_areas_around({code for p in projects for code in (p.area_gss or ())})
    indicators_of: dict[int, set[int]] = {}
    for outcome_id, indicator_id in OutcomeIndicator.objects.filter(
        outcome_id__in={o for found in outcomes.values() for o in found}
    ).values_list("outcome_id", "indicator_id"):
        indicators_of.setdefault(outcome_id, set()).add(indicator_id)
    return {
        p.pk: overlap.ProjectFacts(
            key=p.pk,
            text=text_of(p),
            outcomes=frozenset(outcomes[p.pk]),
            indicators=frozenset(
                i for outcome_id in outcomes[p.pk] for i in indicators_of.get(outcome_id, ())
            ),
            services=frozenset(services[p.pk]),
            areas=frozenset(p.area_gss or ()),
            area_reach=frozenset(
                related for code in (p.area_gss or ()) for related in reach.get(code, {code})
            ),
            start_on=p.start_on,
            end_on=p.end_on,
        )
        for p in projects
    }


def project_vectors(project_ids: Iterable[int]) -> dict[int, np.ndarray]:
    """Unit vectors of the projects' texts from the similarity service; empty when it is off."""
    held = semantic.matrix(DOC_TYPE)
    if held is None:
        return {}
    documents = dict(
        SearchDocument.objects.filter(
            doc_type=DOC_TYPE, object_id__in=[str(pk) for pk in project_ids]
        ).values_list("pk", "object_id")
    )
    found: dict[int, np.ndarray] = {}
    for document_id, object_id in documents.items():
        row = held.position.get(document_id)
        if row is not None:
            vector = held.rows[row]
            norm = float(np.linalg.norm(vector))
            found[int(object_id)] = vector / norm if norm else vector
    return found


def candidate_projects() -> QuerySet[Project]:
    """Projects worth comparing: closed ones are done with, combined ones live on in another."""
    return (
        Project.objects.exclude(status="closed")
        .filter(combined_into__isnull=True)
        .select_related("owner_organisation", "partnership")
    )


def suggestions_about(project: Project) -> QuerySet[DuplicateSuggestion]:
    return (
        DuplicateSuggestion.objects.filter(Q(first=project) | Q(second=project))
        .select_related(*_SIDES)
        .order_by("-score", "pk")
    )


def open_suggestions_for(viewer: Viewer) -> list[DuplicateSuggestion]:
    """The queue: open suggestions the viewer may decide, asked of the database once (the same
    rule as ``can(viewer, "decide", suggestion)``), never per suggestion; and pairs someone else
    decided to combine that the viewer may merge (they may edit both). A pair one of whose
    projects was combined into another is done with."""
    waiting = Q(pk__in=decidable_suggestions(viewer).filter(state=SuggestionState.OPEN)) | Q(
        pk__in=combinable_suggestions(viewer).filter(state=SuggestionState.COMBINE)
    )
    return list(
        DuplicateSuggestion.objects.filter(
            waiting,
            first__combined_into__isnull=True,
            second__combined_into__isnull=True,
        )
        .select_related(*_SIDES)
        .order_by("-score", "pk")
    )


_SIDES = (
    "first__owner_organisation",
    "second__owner_organisation",
    "first__partnership",
    "second__partnership",
)


def visible_project_ids(viewer: Viewer, projects: Iterable[Project]) -> set[int]:
    """Which of these projects the viewer may see, in one query."""
    ids = {p.pk for p in projects}
    if not ids:
        return set()
    return set(visible_projects(viewer).filter(pk__in=ids).values_list("pk", flat=True))


def disclosed_pairs(
    viewer: Viewer, suggestions: Sequence[DuplicateSuggestion]
) -> list[list[SimilarProject]]:
    """Both sides of each suggestion as the viewer may learn of them, in one query for all."""
    seen = visible_project_ids(viewer, [p for s in suggestions for p in (s.first, s.second)])
    return [[_disclosed(s, s.first, seen), _disclosed(s, s.second, seen)] for s in suggestions]


def rating_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Rating.choices]


@dataclass(frozen=True)
class SimilarProject:
    """One side of a suggested pair as a person may learn of it: the project itself when they may
    see it; otherwise only whose it is ("a similar project owned by X: ask their coordinator")."""

    suggestion: DuplicateSuggestion
    project: Project | None
    owner_name: str

    @property
    def disclosed(self) -> bool:
        return self.project is not None


def _disclosed(suggestion: DuplicateSuggestion, other: Project, seen: set[int]) -> SimilarProject:
    return SimilarProject(
        suggestion=suggestion,
        project=other if other.pk in seen else None,
        owner_name=other.owner_organisation.name,
    )


def similar_projects(viewer: Viewer, project: Project) -> list[SimilarProject]:
    """The open and related suggestions about a project, each other side disclosed or not."""
    suggestions = list(suggestions_about(project).exclude(state="not_related"))
    others = [s.second if s.first_id == project.pk else s.first for s in suggestions]
    seen = visible_project_ids(viewer, others)
    return [_disclosed(s, other, seen) for s, other in zip(suggestions, others, strict=True)]


# --- A project being written, before it is stored -----------------------------------------------

DRAFT_KEY = 0  # no stored project has primary key 0


@dataclass(frozen=True)
class DraftMatch:
    """A stored project like the one being written, as the writer may learn of it: the project
    when they may see it; otherwise only whose it is."""

    project: Project | None
    owner_name: str
    reasons: tuple[str, ...]
    score: float

    @property
    def disclosed(self) -> bool:
        return self.project is not None


def similar_to_draft(
    viewer: Viewer,
    *,
    title: str,
    description: str,
    outcomes: Iterable[int],
    services: Iterable[int],
    area_gss: Iterable[str],
    start_on: dt.date | None,
    end_on: dt.date | None,
    limit: int = 5,
) -> list[DraftMatch]:
    """Open projects that the one being written may duplicate, scored as the stored pairs are
    (overlap.py), best first. Nothing is written: this is the check before saving."""
    others = list(candidate_projects())
    if not others:
        return []
    facts = facts_of(others)
    outcome_ids = frozenset(outcomes)
    areas = frozenset(code.strip().upper() for code in area_gss if code.strip())
    reach = gss_areas_around(areas)
    text = f"{title}. {description}"
    draft = overlap.ProjectFacts(
        key=DRAFT_KEY,
        text=text,
        outcomes=outcome_ids,
        indicators=frozenset(
            OutcomeIndicator.objects.filter(outcome_id__in=outcome_ids).values_list(
                "indicator_id", flat=True
            )
        ),
        services=frozenset(services),
        areas=areas,
        area_reach=frozenset(related for code in areas for related in reach.get(code, {code})),
        start_on=start_on,
        end_on=end_on,
    )
    vectors = project_vectors(facts)
    query = semantic.encode_query(text) if vectors else None
    if query is not None:
        norm = float(np.linalg.norm(query))
        query = query / norm if norm else query
    found = []
    for other in others:
        vector = vectors.get(other.pk)
        cosine = float(query @ vector) if query is not None and vector is not None else None
        scored = overlap.overlap(draft, facts[other.pk], text_similarity=cosine)
        if scored.suggested:
            found.append((scored, other))
    found.sort(key=lambda item: (-item[0].score, item[1].pk))
    best = found[:limit]
    seen = visible_project_ids(viewer, [other for _scored, other in best])
    return [
        DraftMatch(
            project=other if other.pk in seen else None,
            owner_name=other.owner_organisation.name,
            reasons=tuple(scored.reasons()),
            score=scored.score,
        )
        for scored, other in best
    ]
