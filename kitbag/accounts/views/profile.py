"""A person's own account page, their public profile, and leaving an organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kitbag.accounts.forms import ProfileForm
from kitbag.accounts.models import Membership, MembershipRole, Profile, User
from kitbag.accounts.permissions import can
from kitbag.accounts.services import memberships as membership_services
from kitbag.accounts.services.memberships import MembershipError
from kitbag.accounts.services.profiles import update_profile


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    profile = membership_services.ensure_profile(user=user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("-started_at")
    )
    addresses = membership_services.confirmed_addresses(user=user)
    address_filter = Q(pk__in=[])
    for address in addresses:
        address_filter |= Q(email__iexact=address)
    invitations = (
        membership_services.pending_invitations()
        .filter(address_filter)
        .select_related("organisation")
        .order_by("organisation__name")
        if addresses
        else []
    )
    return render(
        request,
        "accounts/my_profile.html",
        {
            "profile": profile,
            "active_memberships": [m for m in memberships if m.is_active],
            "ended_memberships": [m for m in memberships if not m.is_active],
            "invitations": invitations,
            "admin_role": MembershipRole.ADMIN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    profile = membership_services.ensure_profile(user=user)
    form = ProfileForm(request.POST or None, instance=profile, user=user)
    if request.method == "POST" and form.is_valid():
        update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(Profile.objects.select_related("user", "organisation"), pk=pk)
    # A private profile is as good as absent: saying it exists would say the person has an account.
    if not profile.is_public or not can(request.user, "view", profile):
        raise Http404
    shown_membership = (
        Membership.objects.active()
        .filter(user_id=profile.user_id, organisation=profile.organisation)
        .first()
        if profile.organisation_id
        else None
    )
    return render(
        request,
        "accounts/profile_detail.html",
        {"profile": profile, "membership": shown_membership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    membership = get_object_or_404(
        Membership.objects.active().select_related("organisation"), pk=pk, user=user
    )
    error = ""
    if request.method == "POST":
        try:
            membership_services.leave_organisation(membership=membership, user=user)
        except MembershipError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("You have left %(organisation)s.") % {"organisation": membership.organisation},
            )
            return redirect("accounts:profile")
    context: dict[str, Any] = {
        "membership": membership,
        "errors": [(error, "leave")] if error else [],
    }
    return render(
        request, "accounts/leave_organisation.html", context, status=400 if error else 200
    )


urlpatterns = [
    path("profile/", my_profile, name="profile"),
    path("profile/edit/", edit_profile, name="profile_edit"),
    path("people/<int:pk>/", profile_detail, name="profile_detail"),
    path("memberships/<int:pk>/leave/", leave_organisation, name="leave_organisation"),
]
