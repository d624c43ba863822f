"""Project pages: they parse, ask permission, call services or queries, and respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kitbag.accounts.permissions import can
from kitbag.performance.models import Partnership
from kitbag.projects import queries, services
from kitbag.projects.forms import (
    AnswerForm,
    CouncillorForm,
    DecisionForm,
    MilestoneForm,
    ProjectForm,
    QuestionForm,
    RatingOverrideForm,
)
from kitbag.projects.models import (
    Councillor,
    DuplicateSuggestion,
    Milestone,
    Project,
    ProjectStatus,
    Question,
    SuggestionState,
)

PAGE_SIZE = 25


def _filters(request: HttpRequest) -> queries.ProjectFilters:
    return queries.ProjectFilters(
        organisation=request.GET.get("organisation", "").strip(),
        partnership=request.GET.get("partnership", "").strip(),
        status=request.GET.get("status", "").strip(),
        service=request.GET.get("service", "").strip(),
        priority=request.GET.get("priority") == "1",
    )


def project_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(queries.projects_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "projects": queries.rated(page.object_list),
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "may_create": can(request.user, "create_project"),
            "overseen": queries.overseen_partnerships(request.user),
        },
    )


def _visible_project(request: HttpRequest, slug: str) -> Project:
    project = queries.project_detail(request.user, slug)
    if project is None:
        # The same answer whether it does not exist or may not be seen.
        raise Http404("No such project")
    return project


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if project.combined_into is not None and can(request.user, "view", project.combined_into):
        # Kept for the audit trail; its work lives on in the project that stayed.
        return redirect(project.combined_into.get_absolute_url() + f"?combined={project.slug}")
    rating = queries.rated([project])[0]
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "rating": rating,
            # Suggestions are partners' working information: only for people acting for a body.
            "similar": (
                queries.similar_projects(request.user, project)
                if can(request.user, "create_project")
                else []
            ),
            "just_written": request.GET.get("written") == "1",
            "combined_from": _combined_from(request, project),
            "may_edit": can(request.user, "edit", project),
            "may_ask": can(request.user, "ask_question", project),
            "may_answer": can(request.user, "answer_question", project),
            "question_form": QuestionForm(),
            "milestone_form": MilestoneForm(),
        },
    )


def _combined_from(request: HttpRequest, project: Project) -> Project | None:
    """The project a reader was sent on from, when it was combined into this one."""
    slug = request.GET.get("combined", "").strip()
    if not slug:
        return None
    found = queries.project_detail(request.user, slug)
    return found if found is not None and found.combined_into_id == project.pk else None


def _details(form: ProjectForm) -> services.ProjectDetails:
    data = form.cleaned_data
    return services.ProjectDetails(
        title=data["title"],
        description=data["description"],
        owner_organisation=data["owner_organisation"],
        partnership=data["partnership"],
        partner_organisations=data["partner_codes"],
        outcomes=list(data["outcomes"]),
        services=data["service_codes"],
        area_gss=data["area_codes"],
        status=data["status"],
        budget=data["budget"],
        spend_to_date=data["spend_to_date"],
        start_on=data["start_on"],
        end_on=data["end_on"],
        visibility=data["visibility"],
        is_priority=data["is_priority"],
    )


def _save(request: HttpRequest, form: ProjectForm, project: Project | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if project is None:
            project = services.create_project(details=_details(form), by=request.user)  # type: ignore[arg-type]
        else:
            project = services.update_project(
                project=project,
                details=_details(form),
                by=request.user,  # type: ignore[arg-type]
            )
    except services.NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except services.ProjectError as error:
        form.add_error(error.field or None, str(error))
        return None
    # The duplicate check has run (in this process, or queued): the page says what it found.
    return redirect(project.get_absolute_url() + "?written=1")


# The button that saves after the check step has shown similar projects.
SAVE_ANYWAY = "save_anyway"


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    """Two steps when similar projects exist: the first post checks and, finding some, shows
    them above the same form, every answer kept; saving again with "Save anyway" stores it."""
    if not can(request.user, "create_project"):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    similar: list[queries.DraftMatch] = []
    if request.method == "POST" and form.is_valid() and SAVE_ANYWAY not in request.POST:
        similar = _similar_to(request, form)
    if request.method == "POST" and not similar and (done := _save(request, form, None)):
        return done
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None, "draft_similar": similar, "save_anyway": SAVE_ANYWAY},
    )


def _similar_to(request: HttpRequest, form: ProjectForm) -> list[queries.DraftMatch]:
    data = form.cleaned_data
    return queries.similar_to_draft(
        request.user,
        title=data["title"],
        description=data["description"],
        outcomes=[o.pk for o in data["outcomes"]],
        services=[code.pk for code in data["service_codes"]],
        area_gss=data["area_codes"],
        start_on=data["start_on"],
        end_on=data["end_on"],
    )


@login_required
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if not can(request.user, "edit", project):
        raise PermissionDenied
    initial: dict[str, Any] = {
        "title": project.title,
        "description": project.description,
        "owner_organisation": project.owner_organisation,
        "partnership": project.partnership,
        "outcomes": list(project.outcomes.all()),
        "partner_codes": ", ".join(o.slug for o in project.partner_organisations.all()),
        "service_codes": ", ".join(s.code for s in project.services.all()),
        "area_codes": ", ".join(project.area_gss or []),
        "status": project.status,
        "budget": project.budget,
        "spend_to_date": project.spend_to_date,
        "start_on": project.start_on,
        "end_on": project.end_on,
        "visibility": project.visibility,
        "is_priority": project.is_priority,
    }
    form = ProjectForm(request.POST or None, initial=initial, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and (done := _save(request, form, project)):
        return done
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def milestone_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(
                project=project,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,  # type: ignore[arg-type]
            )
        except services.NotPermitted as error:
            raise PermissionDenied(str(error)) from error
        messages.success(request, _("Milestone added."))
    else:
        messages.error(request, _("Enter the milestone and its due date (YYYY-MM-DD)."))
    return redirect(project.get_absolute_url() + "#milestones")


@login_required
@require_POST
def milestone_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from django.utils import timezone

    project = _visible_project(request, slug)
    milestone = get_object_or_404(Milestone, pk=pk, project=project)
    try:
        services.mark_milestone_done(
            milestone=milestone,
            done_on=timezone.localdate(),
            by=request.user,  # type: ignore[arg-type]
        )
    except services.NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    return redirect(project.get_absolute_url() + "#milestones")


@login_required
def rating_override(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if not can(request.user, "override_rag", project):
        raise PermissionDenied
    form = RatingOverrideForm(
        request.POST or None,
        initial={"rating": project.rag_override, "reason": project.rag_override_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.override_rag(
                project=project,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
            return redirect(project.get_absolute_url())
        except services.ProjectError as error:
            form.add_error(error.field or None, str(error))
    return render(
        request,
        "projects/rating_form.html",
        {"form": form, "project": project, "rating": queries.rated([project])[0]},
    )


@login_required
@require_POST
def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    project = _visible_project(request, slug)
    if not can(request.user, "ask_question", project):
        raise PermissionDenied
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.ask_question(project=project, text=form.cleaned_data["text"], by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your question is published to the project's partners."))
    else:
        messages.error(request, _("Enter your question."))
    return redirect(project.get_absolute_url() + "#questions")


@login_required
def question_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _visible_project(request, slug)
    question = get_object_or_404(Question, pk=pk, project=project)
    if not can(request.user, "answer_question", project):
        raise PermissionDenied
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        services.answer_question(
            question=question,
            answer=form.cleaned_data["answer"],
            by=request.user,  # type: ignore[arg-type]
        )
        return redirect(project.get_absolute_url() + "#questions")
    return render(
        request,
        "projects/answer_form.html",
        {"form": form, "project": project, "question": question},
    )


@login_required
def oversight(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not can(request.user, "oversee", partnership):
        raise Http404("No such oversight page")
    return render(
        request,
        "projects/oversight.html",
        {
            "partnership": partnership,
            "projects": queries.priority_projects(request.user, partnership),
            "councillors": queries.current_councillors(partnership),
            "may_name": can(request.user, "name_councillors", partnership),
        },
    )


@login_required
def councillors(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator names and removes the partnership's councillors."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if not can(request.user, "name_councillors", partnership):
        raise Http404("No such page")
    form = CouncillorForm(
        request.POST if request.method == "POST" else None, partnership=partnership
    )
    if request.method == "POST" and form.is_valid():
        try:
            councillor = services.name_councillor(
                partnership=partnership,
                user=form.cleaned_data["user"],
                council=form.cleaned_data["council"],
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                _("%(who)s is now a councillor for this partnership.")
                % {"who": councillor.user.email},
            )
            return redirect("projects:councillors", slug=partnership.slug)
    return render(
        request,
        "projects/councillors.html",
        {
            "partnership": partnership,
            "form": form,
            "councillors": queries.current_councillors(partnership),
        },
    )


@login_required
@require_POST
def councillor_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not can(request.user, "name_councillors", partnership):
        raise Http404("No such page")
    councillor = get_object_or_404(
        Councillor, pk=pk, partnership=partnership, ended_at__isnull=True
    )
    services.remove_councillor(councillor=councillor, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(who)s is no longer a councillor for this partnership.")
        % {"who": councillor.user.email},
    )
    return redirect("projects:councillors", slug=partnership.slug)


@login_required
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    suggestions = queries.open_suggestions_for(request.user)
    return render(
        request,
        "projects/duplicate_queue.html",
        {"pairs": queries.disclosed_pairs(request.user, suggestions)},
    )


@login_required
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(
        DuplicateSuggestion.objects.select_related(
            "first__owner_organisation",
            "second__owner_organisation",
            "first__partnership__coordinator",
            "second__partnership__coordinator",
        ),
        pk=pk,
    )
    if not can(request.user, "decide", suggestion):
        raise Http404("No such suggestion")
    may_combine = can(request.user, "combine", suggestion)
    form = DecisionForm(
        request.POST or None,
        sides=(suggestion.first, suggestion.second) if may_combine else (),
    )
    if request.method == "POST" and form.is_valid():
        keep = form.cleaned_data["keep"]
        try:
            decision = services.decide_suggestion(
                suggestion=suggestion,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
                keep=(
                    suggestion.first
                    if keep == suggestion.first_id
                    else suggestion.second
                    if keep == suggestion.second_id
                    else None
                ),
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if decision.combined_into is not None:
                messages.success(
                    request,
                    _("Combined into %(title)s. The other project is kept and sends readers on.")
                    % {"title": decision.combined_into.title},
                )
                return redirect(decision.combined_into.get_absolute_url())
            if decision.suggestion.state == SuggestionState.COMBINE:
                messages.success(
                    request,
                    _(
                        "Decision recorded. Only someone who may change both projects can "
                        "combine them: the partnerships' coordinators have been told."
                    ),
                )
            else:
                messages.success(
                    request, _("Decision recorded. This pair will not be suggested again.")
                )
            return redirect("projects:duplicate_queue")
    return render(
        request,
        "projects/duplicate_decide.html",
        {
            "form": form,
            "suggestion": suggestion,
            "sides": queries.disclosed_pairs(request.user, [suggestion])[0],
            "may_combine": may_combine,
            "options": [
                {"value": value, "label": label}
                for value, label in SuggestionState.choices
                if value != SuggestionState.OPEN
            ],
        },
    )


def organisation_section(request: HttpRequest | None, organisation: Any) -> dict[str, Any] | None:
    """The organisation page's section: its projects as the reader may see them."""
    viewer = request.user if request is not None else None
    found = queries.organisation_projects(viewer, organisation.pk)
    if not found:
        return None
    return {"projects": found, "organisation": organisation}
