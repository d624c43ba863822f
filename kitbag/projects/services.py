"""Writes: projects and milestones, the RAG override, councillors' questions and answers, and
duplicate suggestions with the person's decision. One transaction each; permission asked here so
that the pages, the API and commands cannot differ."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import AuditEvent, User
from kitbag.accounts.permissions import can, require
from kitbag.core.background import run_in_background
from kitbag.core.happenings import key_of, move_key

# Callers catch this as services.NotPermitted: what each service raises is named on it.
from kitbag.core.refusals import NotPermitted as NotPermitted
from kitbag.core.refusals import RuleRefused
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


class ProjectError(RuleRefused):
    pass


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
    require(by, "edit", Project(owner_organisation=details.owner_organisation))
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
    require(by, "edit", project)
    if project.combined_into_id is not None:
        raise ProjectError(
            _("This project was combined into another: change that one."), field="title"
        )
    # Moving a project to another owner needs the right to edit for that owner too.
    require(by, "edit", Project(owner_organisation=details.owner_organisation))
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
    require(by, "edit", project)
    if not title.strip():
        raise ProjectError(_("Enter the milestone."), field="title")
    return Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)


@transaction.atomic
def mark_milestone_done(*, milestone: Milestone, done_on: dt.date, by: User) -> Milestone:
    require(by, "edit", milestone.project)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def override_rag(*, project: Project, rating: str, reason: str, by: User) -> Project:
    """Set a person's rating over the computed one (rating "" clears it)."""
    require(by, "override_rag", project)
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


def _councillor_council(partnership: Partnership, council: Organisation | None) -> None:
    if (
        council is not None
        and not partnership.members.filter(organisation=council, left_on__isnull=True).exists()
    ):
        raise ProjectError(
            _("Choose a council that is a member of the partnership."), field="council"
        )


@transaction.atomic
def name_councillor(
    *, partnership: Partnership, user: User, council: Organisation | None, by: User
) -> Councillor:
    """The coordinator names a person (with a Kitbag account) as one of the partnership's
    councillors: they then see its partners-only projects and ask about its priority ones."""
    if not can(by, "name_councillors", partnership):
        raise NotPermitted(_("Only the partnership's coordinator names its councillors."))
    if not user.is_active:
        raise ProjectError(_("That account is closed."), field="email")
    _councillor_council(partnership, council)
    councillor, created = Councillor.objects.get_or_create(
        partnership=partnership,
        user=user,
        ended_at=None,
        defaults={"council": council, "added_by": by},
    )
    if created:
        record_audit_event(
            AuditEvent.Kind.COUNCILLOR_NAMED,
            subject=user,
            actor=by,
            organisation=council,
            partnership=partnership.pk,
            councillor=councillor.pk,
        )
    return councillor


@transaction.atomic
def remove_councillor(*, councillor: Councillor, by: User) -> Councillor:
    """End a councillor's role (the row stays: their questions and the audit trail name it)."""
    if not can(by, "name_councillors", councillor.partnership):
        raise NotPermitted(_("Only the partnership's coordinator removes its councillors."))
    if councillor.ended_at is not None:
        return councillor
    councillor.ended_at = timezone.now()
    councillor.save(update_fields=["ended_at"])
    record_audit_event(
        AuditEvent.Kind.COUNCILLOR_REMOVED,
        subject=councillor.user,
        actor=by,
        organisation=councillor.council,
        partnership=councillor.partnership_id,
        councillor=councillor.pk,
    )
    return councillor


@transaction.atomic
def ask_question(*, project: Project, text: str, by: User) -> Question:
    require(by, "ask_question", project)
    if not text.strip():
        raise ProjectError(_("Enter your question."), field="text")
    return Question.objects.create(project=project, asked_by=by, text=text.strip())


@transaction.atomic
def answer_question(*, question: Question, answer: str, by: User) -> Question:
    require(by, "answer_question", question.project)
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


@dataclass(frozen=True)
class Decision:
    suggestion: DuplicateSuggestion
    # The project that stayed, when "combine" merged the two; None otherwise.
    combined_into: Project | None = None
    # Coordinators told that someone else must combine them (their count; no addresses).
    told: int = 0


@transaction.atomic
def decide_suggestion(
    *,
    suggestion: DuplicateSuggestion,
    state: str,
    reason: str,
    by: User,
    keep: Project | None = None,
) -> Decision:
    """Record a person's decision on a pair. "Combine" by someone who may edit both projects,
    with the one to keep chosen, merges them (``combine_projects``); by anyone else it is
    recorded as a decision and the coordinators are told, so that the owners merge them."""
    require(by, "decide", suggestion)
    if state not in {SuggestionState.COMBINE, SuggestionState.RELATED, SuggestionState.NOT_RELATED}:
        raise ProjectError(_("Choose combine, related or not related."), field="state")
    if not reason.strip():
        raise ProjectError(_("Say why."), field="reason")
    merging = state == SuggestionState.COMBINE and can(by, "combine", suggestion)
    if merging and keep is None:
        raise ProjectError(_("Choose which project stays."), field="keep")
    if keep is not None and keep.pk not in {suggestion.first_id, suggestion.second_id}:
        raise ProjectError(_("Choose one of the two projects to stay."), field="keep")
    suggestion.state = state
    suggestion.decision_reason = reason.strip()
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    if merging:
        assert keep is not None  # for the type checker: refused above
        other = suggestion.second if keep.pk == suggestion.first_id else suggestion.first
        kept = combine_projects(keep=keep, other=other, reason=reason, by=by)
        return Decision(suggestion=suggestion, combined_into=kept)
    told = _tell_coordinators(suggestion, by=by) if state == SuggestionState.COMBINE else 0
    return Decision(suggestion=suggestion, told=told)


def _tell_coordinators(suggestion: DuplicateSuggestion, *, by: User) -> int:
    """Email the coordinators of both projects' partnerships (not the person deciding) that the
    two were found to be one piece of work and that their owners should combine them. Each is
    told only the titles they may see; a project they may not is named by its owner alone."""
    projects = (suggestion.first, suggestion.second)
    coordinators = {
        p.partnership.coordinator.pk: p.partnership.coordinator
        for p in projects
        if p.partnership is not None
        and p.partnership.coordinator is not None
        and p.partnership.coordinator.pk != by.pk
        and p.partnership.coordinator.email
    }
    if not coordinators:
        return 0
    subject = f"[{settings.SERVICE_NAME}] " + _("Two projects should be combined")
    url = settings.SITE_URL.rstrip("/") + reverse(
        "projects:duplicate_decide", kwargs={"pk": suggestion.pk}
    )

    def named(project: Project, reader: User) -> str:
        if can(reader, "view", project):
            return f"{project.title} ({project.owner_organisation.name})"
        return _("A project owned by %(owner)s") % {"owner": project.owner_organisation.name}

    mails = [
        (
            subject,
            _(
                "Someone deciding on suggested duplicate projects found these two to be the "
                "same work:\n\n- %(first)s\n- %(second)s\n\nOnly someone who may change both "
                "can combine them: please ask their owners. The decision and its reason: %(url)s"
            )
            % {
                "first": named(suggestion.first, coordinator),
                "second": named(suggestion.second, coordinator),
                "url": url,
            },
            None,
            [coordinator.email],
        )
        for coordinator in sorted(coordinators.values(), key=lambda user: user.email)
    ]
    transaction.on_commit(lambda: send_mass_mail(mails))
    return len(mails)


@transaction.atomic
def combine_projects(*, keep: Project, other: Project, reason: str, by: User) -> Project:
    """Merge ``other`` into ``keep``: its milestones and councillors' questions move, its
    partners, services and area join keep's, and so do its outcomes of keep's partnership (a
    project counts toward its own partnership's outcomes only: the rest stay on ``other``, where
    its page still shows them). ``other`` is marked combined into ``keep`` and kept, never
    deleted; its page sends readers on. Only someone who may edit both may do it; audited."""
    if not (can(by, "edit", keep) and can(by, "edit", other)):
        raise NotPermitted(_("Only someone who may change both projects may combine them."))
    # Lock both rows, in a fixed order, so two people combining at once cannot cross.
    locked = {
        p.pk: p
        for p in Project.objects.select_for_update()
        .filter(pk__in=[keep.pk, other.pk])
        .order_by("pk")
    }
    keep, other = locked[keep.pk], locked[other.pk]
    if keep.pk == other.pk:
        raise ProjectError(_("A project cannot be combined with itself."), field="keep")
    if keep.combined_into_id is not None or other.combined_into_id is not None:
        raise ProjectError(_("One of these projects has already been combined."), field="keep")
    if not reason.strip():
        raise ProjectError(_("Say why."), field="reason")
    moved_milestones = Milestone.objects.filter(project=other).update(project=keep)
    moved_questions = Question.objects.filter(project=other).update(project=keep)
    keep.partner_organisations.add(
        *[
            o
            for o in [other.owner_organisation, *other.partner_organisations.all()]
            if o.pk != keep.owner_organisation_id
        ]
    )
    keep.services.add(*other.services.all())
    if keep.partnership_id is not None:
        keep.outcomes.add(*other.outcomes.filter(partnership_id=keep.partnership_id))
    keep.area_gss = sorted(set(keep.area_gss or ()) | set(other.area_gss or ()))
    keep.save(update_fields=["area_gss", "updated_at"])
    # Projects combined into other earlier now live on in keep.
    Project.objects.filter(combined_into=other).update(combined_into=keep)
    other.combined_into = keep
    other.combined_at = timezone.now()
    other.combined_by = by
    other.save(update_fields=["combined_into", "combined_at", "combined_by", "updated_at"])
    # Other open suggestions about the combined project are done with: it is no longer work.
    DuplicateSuggestion.objects.filter(
        Q(first=other) | Q(second=other), state=SuggestionState.OPEN
    ).exclude(first=keep, second=other).exclude(first=other, second=keep).update(
        state=SuggestionState.COMBINE,
        decision_reason=_("Combined into %(title)s.") % {"title": keep.title},
        decided_by=by,
        decided_at=timezone.now(),
    )
    # Whoever followed the combined project follows the one that stayed.
    moved_follows = move_key(key_of("project", other.pk), key_of("project", keep.pk))
    record_audit_event(
        AuditEvent.Kind.PROJECTS_COMBINED,
        actor=by,
        organisation=keep.owner_organisation,
        kept=keep.pk,
        combined=other.pk,
        milestones=moved_milestones,
        questions=moved_questions,
        follows=moved_follows,
    )
    reindex(keep)
    reindex(other)
    return keep
