"""Pages for recording spread: "we adopted this" and relations between cases.

Thin: parse the form, call the service (which checks permissions again), respond. A refusal the
service explains (a ValidationError) comes back as an error on the form with what was typed.
Writes share one rate limit ("case-spread" in core/rate_limits.py) with the API's spread writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import can
from kitbag.cases import services
from kitbag.cases.forms_spread import AdoptionForm, RelationForm, codes
from kitbag.cases.models import Adoption, Case, CaseRelation
from kitbag.cases.permissions import visible_cases
from kitbag.cases.queries import CaseSearch, adoption_organisations, search_cases
from kitbag.core.rate_limits import rate_limited
from kitbag.registry.models import Organisation

# One budget for every spread write, on the pages and through the API (kitbag/api/cases/views.py):
# generous for a person recording their organisation's adoptions, tight enough to stop a flood.
SEARCH_RESULTS = 10


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _service_errors(form: Any, error: ValidationError, *, default_field: str) -> None:
    """Put a service's ValidationError on the form fields it names (or the first field)."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            target = name if name in form.fields else default_field
            for field_error in field_errors:
                form.add_error(target, field_error)
    else:
        for message in error.messages:
            form.add_error(default_field, message)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("case-spread")
def adoption_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _person(request)
    case = get_object_or_404(
        visible_cases(user).public().select_related("lead_organisation"), slug=slug
    )
    is_member = Membership.objects.active().filter(user=user).exists()
    organisations = adoption_organisations(user, case)
    context: dict[str, Any] = {"case": case}
    if not is_member or not can(user, "record_adoption", case):
        return render(
            request, "cases/adoption_form.html", {**context, "not_member": True}, status=403
        )
    if not organisations.exists():
        return render(
            request, "cases/adoption_form.html", {**context, "only_lead": True}, status=403
        )

    existing = _existing_adoption(request, case, organisations)
    if request.method == "POST":
        form = AdoptionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                adoption = services.record_adoption(
                    case=case,
                    adopter=data["organisation"],
                    status=data["status"],
                    by=user,
                    started_on=data["started_on"],
                    cost=data["cost"],
                    annual_saving=data["annual_saving"],
                    notes=data["notes"].strip(),
                )
            except ValidationError as error:
                _service_errors(form, error, default_field="organisation")
            else:
                messages.success(
                    request,
                    _("%(organisation)s is recorded as %(status)s")
                    % {
                        "organisation": adoption.adopter.name,
                        "status": adoption.status.label.lower(),
                    },
                )
                return redirect(case.get_absolute_url())
    else:
        form = AdoptionForm(
            initial=_adoption_initial(existing, organisations), organisations=organisations
        )
    return render(
        request,
        "cases/adoption_form.html",
        {
            **context,
            "form": form,
            "existing": existing,
            "can_delete_existing": existing is not None and can(user, "delete", existing),
            "statuses": codes("adoption-status"),
            "single_organisation": organisations.first() if organisations.count() == 1 else None,
        },
        status=400 if form.errors else 200,
    )


def _existing_adoption(
    request: HttpRequest, case: Case, organisations: QuerySet[Organisation]
) -> Adoption | None:
    """The adoption the form will update: of the only organisation, or the one in ?organisation=."""
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    candidates = organisations.filter(slug=chosen) if chosen else organisations
    if candidates.count() != 1:
        return None
    return (
        Adoption.objects.filter(case=case, adopter__in=candidates)
        .select_related("status", "adopter")
        .first()
    )


def _adoption_initial(
    existing: Adoption | None, organisations: QuerySet[Organisation]
) -> dict[str, Any]:
    if existing is None:
        only = organisations.first() if organisations.count() == 1 else None
        return {"organisation": only.slug} if only else {}
    return {
        "organisation": existing.adopter.slug,
        "status": existing.status.code,
        "cost": "" if existing.cost is None else f"{existing.cost:,.2f}".removesuffix(".00"),
        "annual_saving": ""
        if existing.annual_saving is None
        else f"{existing.annual_saving:,.2f}".removesuffix(".00"),
        "notes": existing.notes,
        **AdoptionForm.month_year_initial("started", existing.started_on),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("case-spread")
def adoption_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    case = get_object_or_404(visible_cases(user), slug=slug)
    adoption = get_object_or_404(
        Adoption.objects.select_related("adopter", "status"), pk=pk, case=case
    )
    if not can(user, "delete", adoption):
        raise PermissionDenied
    if request.method == "POST":
        services.remove_adoption(adoption=adoption, by=user)
        messages.success(
            request,
            _("The adoption by %(organisation)s is removed")
            % {"organisation": adoption.adopter.name},
        )
        return redirect(case.get_absolute_url())
    return render(
        request, "cases/adoption_confirm_delete.html", {"case": case, "adoption": adoption}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("case-spread")
def relation_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _person(request)
    case = get_object_or_404(visible_cases(user), slug=slug)
    if not can(user, "relate", case):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    chosen_slug = request.GET.get("other", "").strip()
    if request.method == "POST":
        form = RelationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            other = visible_cases(user).filter(slug=data["other_case"]).first()
            if other is None:
                form.add_error("other_case", _("There is no case you can see at that address"))
            elif other.pk == case.pk:
                form.add_error("other_case", _("Enter the address of a different case"))
            else:
                try:
                    services.relate_cases(
                        from_case=case,
                        to_case=other,
                        relation=data["relation"],
                        by=user,
                        changes_made=data["changes_made"].strip(),
                        happened_on=data["happened_on"],
                    )
                except ValidationError as error:
                    _service_errors(form, error, default_field="other_case")
                except PermissionDenied:
                    form.add_error("other_case", _("There is no case you can see at that address"))
                else:
                    messages.success(
                        request,
                        _("This case is now linked to %(title)s") % {"title": other.title},
                    )
                    return redirect(case.get_absolute_url())
    else:
        form = RelationForm(initial={"other_case": chosen_slug} if chosen_slug else None)
    chosen = (
        visible_cases(user).exclude(pk=case.pk).filter(slug=chosen_slug).first()
        if chosen_slug
        else None
    )
    results = []
    if query:
        found = search_cases(
            search_for=CaseSearch(query=query, page_size=SEARCH_RESULTS + 1), viewer=user
        )
        results = [hit for hit in found.hits if hit.case.pk != case.pk][:SEARCH_RESULTS]
    return render(
        request,
        "cases/relation_form.html",
        {
            "case": case,
            "form": form,
            "query": query,
            "searched": bool(query),
            "results": results,
            "chosen": chosen,
            "relations": codes("spread-relation"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("case-spread")
def relation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    case = get_object_or_404(visible_cases(user), slug=slug)
    # Either end of the relation may offer to delete it.
    relation = get_object_or_404(
        CaseRelation.objects.select_related("from_case", "to_case", "relation").filter(
            Q(from_case=case) | Q(to_case=case)
        ),
        pk=pk,
    )
    if not can(user, "delete", relation):
        raise PermissionDenied
    other = relation.to_case if relation.from_case_id == case.pk else relation.from_case
    if request.method == "POST":
        services.remove_relation(relation=relation, by=user)
        # The other case may be a draft this person cannot see: its title is not theirs to read.
        messages.success(
            request,
            _("The link to %(title)s is removed") % {"title": other.title}
            if can(user, "view", other)
            else _("The link is removed"),
        )
        return redirect(case.get_absolute_url())
    return render(
        request,
        "cases/relation_confirm_delete.html",
        {
            "case": case,
            "relation": relation,
            "other": other,
            "other_visible": can(user, "view", other),
        },
    )
