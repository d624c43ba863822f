"""Custom comparison groups: a named set of councils a verified member of an organisation
defines, public or private to that organisation, chosen on an indicator page like the built-in
groups. Every list comes from ``permissions.visible_comparison_groups`` (through ``queries``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import can
from kitbag.performance import queries, services
from kitbag.performance.forms import ComparisonGroupForm
from kitbag.performance.models import ComparisonGroup, Source
from kitbag.registry.models import Organisation


@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/group_list.html",
        {
            "groups": list(queries.comparison_groups(request.user)),
            "may_create": can(request.user, "create_comparison_group"),
        },
    )


def _owners_for(user: User) -> object:
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user).values("organisation_id")
    ).order_by("name")


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    person = request.user
    assert isinstance(person, User)  # noqa: S101 (login_required has run)
    if not can(person, "create_comparison_group"):
        raise PermissionDenied
    form = ComparisonGroupForm(request.POST or None, owners=_owners_for(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = services.create_comparison_group(
            name=data["name"],
            description=data["description"],
            owner=data["owner"],
            visibility=data["visibility"],
            councils=data["councils"],
            created_by=person,
        )
        messages.success(request, _("The comparison group is saved."))
        return redirect("performance:group_detail", slug=group.slug)
    return render(request, "performance/group_form.html", {"form": form})


@login_required
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    person = request.user
    assert isinstance(person, User)  # noqa: S101 (login_required has run)
    group = queries.comparison_groups(person).filter(slug=slug).first()
    if group is None:
        raise Http404("No such comparison group")
    if not can(person, "edit", group):
        raise PermissionDenied
    councils = queries.comparison_group_councils(group)
    initial = {
        "name": group.name,
        "description": group.description,
        "owner": group.owner_organisation_id,
        "visibility": group.visibility,
        "councils": ", ".join(c.code or c.slug for c in councils),
    }
    form = ComparisonGroupForm(request.POST or None, owners=_owners_for(person), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_comparison_group(
            group=group,
            name=data["name"],
            description=data["description"],
            owner=data["owner"],
            visibility=data["visibility"],
            councils=data["councils"],
        )
        messages.success(request, _("The comparison group is saved."))
        return redirect("performance:group_detail", slug=group.slug)
    return render(request, "performance/group_form.html", {"form": form, "group": group})


@login_required
def group_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """A confirmation page; the group goes on its button (POST)."""
    group = queries.comparison_groups(request.user).filter(slug=slug).first()
    if group is None:
        raise Http404("No such comparison group")
    if not can(request.user, "delete", group):
        raise PermissionDenied
    if request.method == "POST":
        name = group.name
        services.delete_comparison_group(group=group)
        messages.success(request, _("The comparison group %(name)s is deleted.") % {"name": name})
        return redirect("performance:group_list")
    return render(request, "performance/group_confirm_delete.html", {"group": group})


@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group: ComparisonGroup | None = (
        queries.comparison_groups(request.user).filter(slug=slug).first()
    )
    if group is None:
        raise Http404("No such comparison group")
    choice = urlencode({"group": f"custom:{group.slug}"})
    indicators = [
        {
            "indicator": indicator,
            "url": reverse("performance:indicator_detail", args=[indicator.slug]) + f"?{choice}",
        }
        for indicator in queries.indicators(request.user)
        .filter(partnership__isnull=True, source__in=[Source.OFLOG, Source.LGBF])
        .order_by("source", "code")
    ]
    return render(
        request,
        "performance/group_detail.html",
        {
            "group": group,
            "councils": list(queries.comparison_group_councils(group)),
            "indicators": indicators,
            "may_edit": can(request.user, "edit", group),
            "may_delete": can(request.user, "delete", group),
        },
    )
