"""Pages for writing a case and moving it through the workflow: thin views over services.

A case is written through a task list (docs/decisions/0029-case-task-list.md): `case_create` is
the first section for a case not saved yet, `case_edit` the task list of a saved one,
`case_edit_section` each section (sections.py) and `case_check` the check-your-answers page that
submits or publishes. A section's "Save and continue" saves a draft (decision 17: a draft needs
only a title); "Add another ...", "Find services" and "Check for similar cases" only show the
section again with everything typed, so each works without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import can
from kitbag.cases import queries, services
from kitbag.cases.forms import (
    CaseForm,
    MoveForm,
    TransferForm,
    error_list,
    part_formsets,
    quieten,
    services_matching,
)
from kitbag.cases.models import PUBLIC_STATUSES, Case, CaseRevision, RecordStatus
from kitbag.cases.permissions import organisations_viewer_may_act_for, visible_cases
from kitbag.cases.revisions import changes_between
from kitbag.cases.sections import FIRST_SECTION, SECTIONS, SECTIONS_BY_SLUG, Section, section_of
from kitbag.cases.similar_cases import similar_to_draft
from kitbag.cases.workflow import STEPS, step_is_open
from kitbag.core.rate_limits import consume, rate_limited, too_many_requests
from kitbag.vocabularies.models import Code


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _visible_case(request: HttpRequest, slug: str) -> Case:
    # A case the person may not see is as good as absent: 404, never 403, so drafts do not leak.
    return get_object_or_404(
        visible_cases(request.user).select_related("lead_organisation", "owner"), slug=slug
    )


def _editable_case(request: HttpRequest, slug: str) -> Case:
    case = _visible_case(request, slug)
    if not can(request.user, "edit", case):
        raise PermissionDenied
    return case


def _codes_from(request: HttpRequest, name: str, list_slug: str) -> list[Code]:
    values: list[str] = []
    for value in request.GET.getlist(name):
        values.extend(part.strip() for part in value.split(",") if part.strip())
    if not values:
        return []
    return list(Code.objects.filter(code_list__slug=list_slug, code__in=values[:20]))


def _similar(form: CaseForm, user: User, case: Case) -> list[Any]:
    # The first section has no codes: those of a saved case count, as the panel's script sends.
    title = str(form["title"].value() or "")
    problem = str(form["problem"].value() or "")
    if not (title.strip() or problem.strip()):
        return []
    saved = case.pk is not None
    return similar_to_draft(
        title=title,
        problem=problem,
        services=list(case.services.all()) if saved else (),
        functions=list(case.functions.all()) if saved else (),
        sector=case.sector if saved else None,
        viewer=user,
        exclude_pk=case.pk,
    )


def _section_page(request: HttpRequest, case: Case, section: Section) -> HttpResponse:
    """One section of the task list, for a new case (no pk: the first section) or a saved one."""
    user = _signed_in_user(request)
    data = request.POST if request.method == "POST" else None
    action = data.get("action", "") if data is not None else ""
    add_row_to = action.removeprefix("add-") if action.startswith("add-") else ""
    if add_row_to not in section.parts:
        add_row_to = ""
    # Saving a section of a case that reviewers or the public already see checks the part of the
    # whole core that the section holds (a draft needs only a title).
    full_check = action == "save" and case.pk is not None and case.status != RecordStatus.DRAFT
    form = CaseForm(data, instance=case, viewer=user, full_check=full_check, fields=section.fields)
    formsets = part_formsets(data=data, case=case, add_row_to=add_row_to, parts=section.parts)
    all_forms: list[Any] = [form, *(formset for _part, formset in formsets)]
    service_query = data.get("service_query", "").strip() if data is not None else ""

    if data is not None and action == "save":
        if all(each.is_valid() for each in all_forms):
            response = _save(request, form, formsets, user=user)
            if response is not None:
                return response
    elif data is not None:
        quieten(all_forms)

    context: dict[str, Any] = {
        "case": case,
        "section": section,
        "form": form,
        "formsets": formsets,
        "errors": error_list(form, formsets),
        "added_row_to": add_row_to,
    }
    if "title" in form.fields:
        # The panel shows whatever the title and problem already say, whichever button was
        # pressed (without JavaScript, "Check for similar cases" is how to ask again).
        context["similar"] = _similar(form, user, case)
        context["similar_asked"] = bool(form["title"].value() or form["problem"].value())
        context["similar_codes"] = {
            "services": ",".join(c.code for c in case.services.all()) if case.pk else "",
            "functions": ",".join(c.code for c in case.functions.all()) if case.pk else "",
            "sector": case.sector.code if case.pk and case.sector else "",
        }
    if "services" in form.fields:
        context["service_query"] = service_query
        context["service_matches"] = form.service_matches(service_query) if service_query else []
        context["service_searched"] = action == "find_services"
    return render(request, "cases/case_section.html", context)


def _save(
    request: HttpRequest, form: CaseForm, formsets: list[Any], *, user: User
) -> HttpResponse | None:
    """Save the checked section and go back to the task list; None to show it again."""

    def save_parts(saved: Case) -> None:
        for _part, formset in formsets:
            formset.instance = saved
            formset.save()

    is_draft = form.instance.pk is None or form.instance.status == RecordStatus.DRAFT
    try:
        case = services.save_case_and_step(
            case=form.save(commit=False),
            by=user,
            then="draft" if is_draft else "save",
            services=form.cleaned_data.get("services"),
            functions=form.cleaned_data.get("functions"),
            technologies=form.cleaned_data.get("technologies"),
            parts=save_parts if formsets else None,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None
    messages.success(
        request, _("Your draft has been saved.") if is_draft else _("Your changes have been saved.")
    )
    return redirect("cases:case_edit", slug=case.slug)


def _add_errors(form: CaseForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items() if hasattr(error, "error_dict") else []:
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)
    if not hasattr(error, "error_dict"):
        for problem in error.messages:
            form.add_error(None, problem)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_create(request: HttpRequest) -> HttpResponse:
    """The first section of a new case: saving it makes the draft the task list works on."""
    user = _signed_in_user(request)
    if not can(user, "create_case", None):
        raise PermissionDenied
    if not organisations_viewer_may_act_for(user).exists():
        return render(request, "cases/case_needs_membership.html", status=403)
    return _section_page(request, Case(), FIRST_SECTION)


@login_required
@require_GET
def case_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The task list of a saved case: each section, how far it has got, and check and submit."""
    case = _editable_case(request, slug)
    tasks = queries.case_task_list(case)
    ready = not any(task.missing for task in tasks)
    context = {
        "case": case,
        "tasks": tasks,
        "completed": sum(1 for task in tasks if task.status == "completed"),
        "ready": ready,
        "is_draft": case.status == RecordStatus.DRAFT,
    }
    return render(request, "cases/case_task_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_edit_section(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    chosen = SECTIONS_BY_SLUG.get(section)
    if chosen is None:
        raise Http404
    return _section_page(request, _editable_case(request, slug), chosen)


def _anchor(name: str) -> str:
    """Where on its section's page a field or itemised part is."""
    return f"{name}-rows" if name in SECTION_PARTS else f"id_{name}"


SECTION_PARTS = frozenset(part for section in SECTIONS for part in section.parts)


def _answer_label(name: str) -> str:
    """A question as its section asks it (the form's label), else as the history names it."""
    field = CaseForm.base_fields.get(name)
    return str(field.label) if field is not None and field.label else field_label(name)


def _answers(case: Case) -> list[dict[str, Any]]:
    """Every answer of the case by section, as the check-your-answers page shows them."""
    shown = readable(services.snapshot(case))
    shown["contacts"] = [
        ", ".join(filter(None, [contact.name, contact.job_title]))
        for contact in case.contacts.all()
    ]
    shown["area_codes"] = ", ".join(case.area_codes or [])
    missing = services.missing_before_review(case)
    sections = []
    for section in SECTIONS:
        url = reverse("cases:case_edit_section", args=[case.slug, section.slug])
        rows = []
        for name in (*section.fields, *section.parts):
            value = shown.get(name)
            rows.append(
                {
                    "name": name,
                    "label": _answer_label(name),
                    "value": value if value not in (None, "", []) else "",
                    "is_list": isinstance(value, list),
                    "missing": missing.get(name, ""),
                    "change_url": f"{url}#{_anchor(name)}",
                }
            )
        sections.append({"section": section, "url": url, "rows": rows})
    return sections


def _finishing_buttons(case: Case, user: User) -> list[tuple[str, str]]:
    """The check page's buttons, as (action, label), main one first."""
    buttons: list[tuple[str, str]] = []
    if step_is_open(case=case, action="submit_for_review", viewer=user):
        buttons.append(("submit", _("Submit for review")))
    if step_is_open(case=case, action="publish", viewer=user):
        buttons.append(("publish", _("Publish")))
    return buttons


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers, then submit for review or publish (services.submit_checked_case)."""
    case = _editable_case(request, slug)
    user = _signed_in_user(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    problems: list[tuple[str, str]] = []
    if action in {"submit", "publish"}:
        try:
            services.submit_checked_case(case=case, by=user, then=action)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems = [
                    (str(message), f"answer-{name}")
                    for name, messages_ in error.message_dict.items()
                    for message in messages_
                ]
            else:
                problems = [(str(message), "check-buttons") for message in error.messages]
        else:
            messages.success(
                request,
                _("The case has been published.")
                if action == "publish"
                else _("The case has been submitted for review."),
            )
            return redirect(case.get_absolute_url())
    missing = services.missing_before_review(case)
    context = {
        "case": case,
        "answers": _answers(case),
        "missing": [
            (message, section_of(name), _anchor(name)) for name, message in missing.items()
        ],
        "buttons": _finishing_buttons(case, user),
        "errors": problems,
    }
    return render(request, "cases/case_check.html", context, status=400 if problems else 200)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Cases waiting for review by the person asking: those they may publish."""
    user = _signed_in_user(request)
    context = {
        "cases": list(queries.cases_waiting_for_review(viewer=user)),
        "counts": queries.review_counts(viewer=user),
        "may_review": queries.may_review_cases(user),
    }
    return render(request, "cases/review_list.html", context)


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    theirs = Case.objects.filter(owner=user).select_related("lead_organisation")
    their_organisations = Membership.objects.active().filter(user=user).organisation_ids()
    awaiting = (
        Case.objects.filter(
            status=RecordStatus.IN_REVIEW, lead_organisation_id__in=their_organisations
        )
        .exclude(owner=user)
        .select_related("lead_organisation", "owner")
    )
    context = {
        "drafts": theirs.filter(status=RecordStatus.DRAFT),
        "in_review": theirs.filter(status=RecordStatus.IN_REVIEW),
        "owned": theirs.filter(status__in=PUBLIC_STATUSES).order_by("last_confirmed_at", "title"),
        "awaiting_review": awaiting,
        "stale_after_days": services.STALE_AFTER.days,
    }
    return render(request, "cases/my_cases.html", context)


@require_GET
def similar_prompt(request: HttpRequest) -> HttpResponse:
    """The "others working on this" panel for the case form's script, as an HTML fragment."""
    retry_after = consume(request, scope="similar-prompt")
    if retry_after is not None:
        return too_many_requests(request, retry_after=retry_after)
    title = request.GET.get("title", "")[:255]
    problem = request.GET.get("problem", "")[:4000]
    sector = _codes_from(request, "sector", "cofog")
    asked = bool(title.strip() or problem.strip())
    exclude = request.GET.get("case", "")
    similar = (
        similar_to_draft(
            title=title,
            problem=problem,
            services=_codes_from(request, "services", "lgsl-services"),
            functions=_codes_from(request, "functions", "lgsl-functions"),
            sector=sector[0] if sector else None,
            viewer=request.user,
            exclude_pk=int(exclude) if exclude.isdigit() else None,
        )
        if asked
        else []
    )
    response = render(
        request,
        "cases/partials/_similar_prompt.html",
        {"similar": similar, "similar_asked": asked},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def service_suggestions(request: HttpRequest) -> HttpResponse:
    """LGSL services matching what is typed, as JSON, for the services section's autocomplete
    (cases/static/cases/service_autocomplete.js); without JavaScript "Find services" does this."""
    retry_after = consume(request, scope="service-suggestions")
    if retry_after is not None:
        return too_many_requests(request, retry_after=retry_after)
    query = request.GET.get("q", "")[:100]
    chosen = [code for value in request.GET.getlist("chosen") for code in value.split(",")][:100]
    matches = services_matching(query=query, leaving_out=chosen)
    body = {"results": [{"code": code.code, "label": code.label} for code in matches]}
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


def _step_page(
    request: HttpRequest,
    case: Case,
    action: str,
    take: Callable[[str], Case],
) -> HttpResponse:
    step = STEPS[action]
    # A button elsewhere may post a step that asks for a reason without one: ask for it here,
    # as if the page had been opened, rather than greet the person with an error.
    asked = request.method == "POST" and (not step.needs_page or "reason" in request.POST)
    form = MoveForm(
        request.POST if asked else None,
        reason_required=step.reason_required,
        reason_label=step.reason_label or _("Reason"),
    )
    status = 200  # a reason missing is shown like any form error
    problem = ""
    if not step_is_open(case=case, action=action, viewer=request.user):
        problem = _("A case that is %(status)s cannot be moved that way.") % {
            "status": case.get_status_display().lower()
        }
    elif asked and form.is_valid():
        try:
            take(form.cleaned_data["reason"])
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, str(step.done_message))
            return redirect(case.get_absolute_url())
    if problem:
        status = 409
    errors = [(str(message), "id_reason") for message in form.errors.get("reason", [])]
    if problem:
        errors.append((problem, "step-problem"))
    return render(
        request,
        "cases/case_move_confirm.html",
        {"case": case, "step": step, "form": form, "errors": errors, "problem": problem},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_move(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in services.TRANSITIONS:
        raise Http404
    case = _visible_case(request, slug)
    _statuses, _to, permission = services.TRANSITIONS[action]
    if not can(request.user, permission, case):
        raise PermissionDenied
    user = _signed_in_user(request)
    return _step_page(
        request,
        case,
        action,
        lambda reason: services.move_case(case=case, action=action, by=user, reason=reason),
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    case = _visible_case(request, slug)
    if not can(request.user, "confirm", case):
        raise PermissionDenied
    user = _signed_in_user(request)

    def confirm(reason: str) -> Case:
        if not step_is_open(case=case, action="confirm", viewer=user):
            raise ValidationError(_("Only a published case can be confirmed as up to date."))
        return services.confirm_case(case=case, by=user)

    return _step_page(request, case, "confirm", confirm)


def author_label(revision: CaseRevision, *, viewer_may_edit: bool) -> str:
    """Who made a revision, as the viewer may see it: email addresses only to colleagues."""
    author = revision.author
    if author is None:
        return _("Kitbag")
    public_name = services.person_label(author)
    if public_name:
        return public_name
    if viewer_may_edit:
        profile = getattr(author, "profile", None)
        return str(getattr(profile, "display_name", "") or author.email)
    return _("A member of the team")


def _history_case(request: HttpRequest, slug: str) -> Case:
    case = _visible_case(request, slug)
    if not can(request.user, "view_history", case):
        raise Http404
    return case


@require_GET
def case_history(request: HttpRequest, slug: str) -> HttpResponse:
    case = _history_case(request, slug)
    may_edit = can(request.user, "edit", case)
    revisions = list(case.revisions.select_related("author__profile").order_by("-number"))
    rows = [(revision, author_label(revision, viewer_may_edit=may_edit)) for revision in revisions]
    return render(request, "cases/case_history.html", {"case": case, "rows": rows})


# Names for the snapshot's keys that are not plain model fields (services.snapshot).
_PART_LABELS = {
    "lead_organisation": _("Lead organisation"),
    "owner": _("Owner"),
    "services": _("Services"),
    "functions": _("Service areas"),
    "technologies": _("Technology used"),
    "partners": _("Partner organisations"),
    "costs": _("Costs"),
    "benefits": _("Benefits and savings"),
    "assets": _("Reusable assets"),
    "products": _("Products and suppliers"),
    "contacts": _("Contacts"),
    "sector": _("Sector"),
    "phase": _("Phase"),
    "operational_status": _("Operational status"),
    "evidence_level": _("Evidence level"),
    "evidence_assessed_by": _("Who assessed the evidence"),
    "outcome": _("Outcome"),
    "status": _("Status"),
}


def field_label(name: str) -> str:
    if name in _PART_LABELS:
        return str(_PART_LABELS[name])
    try:
        label = str(getattr(Case._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - an older snapshot may hold a field since removed
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def readable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with stored choice values ("in-review") as their labels ("In review")."""
    shown = dict(snapshot)
    for name, value in snapshot.items():
        choices = _CHOICES.get(name)
        if choices and isinstance(value, str):
            shown[name] = str(choices.get(value, value))
    return shown


# Case fields with stored choices; the snapshot's other keys are codes' labels or parts.
_CHOICES: dict[str, dict[str, Any]] = {
    field.name: dict(field.flatchoices)
    for field in Case._meta.concrete_fields
    if getattr(field, "choices", None)
}


@require_GET
def case_revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    case = _history_case(request, slug)
    revision = get_object_or_404(case.revisions.select_related("author__profile"), number=number)
    previous = case.revisions.filter(number__lt=number).order_by("-number").first()
    changes = [
        {
            "label": field_label(change.field),
            "change": change,
            # word_diff_html escapes every word itself; only its <del> and <ins> are markup.
            "diff": mark_safe(change.word_diff_html()) if change.is_text else "",  # noqa: S308
        }
        for change in changes_between(
            readable(previous.snapshot) if previous else {}, readable(revision.snapshot)
        )
    ]
    newer = case.revisions.filter(number__gt=number).order_by("number").first()
    context = {
        "case": case,
        "revision": revision,
        "previous": previous,
        "newer": newer,
        "changes": changes,
        "author": author_label(revision, viewer_may_edit=can(request.user, "edit", case)),
    }
    return render(request, "cases/case_revision.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("case-writes")
def case_transfer(request: HttpRequest, slug: str) -> HttpResponse:
    case = _visible_case(request, slug)
    if not can(request.user, "transfer_ownership", case):
        raise PermissionDenied
    user = _signed_in_user(request)
    colleagues = services.colleagues_for(case).select_related("profile")
    form = TransferForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_ownership(case=case, to=form.cleaned_data["to"], by=user)
        except ValidationError as error:
            form.add_error("to", " ".join(error.messages))
        else:
            messages.success(
                request, _("The case has passed to its new owner, who has been sent an email.")
            )
            return redirect(case.get_absolute_url())
    errors = [(str(message), "id_to") for message in form.errors.get("to", [])]
    return render(
        request,
        "cases/case_transfer.html",
        {"case": case, "form": form, "errors": errors, "has_colleagues": colleagues.exists()},
    )
