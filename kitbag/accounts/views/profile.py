"""A person's own account page, their public profile, leaving an organisation, and asking its
admins to become an editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kitbag.accounts.forms import ProfileForm
from kitbag.accounts.models import Membership, MembershipRole, Profile, User
from kitbag.accounts.permissions import can
from kitbag.accounts.queries import admin_label, admins_by_organisation
from kitbag.accounts.services import memberships as membership_services
from kitbag.accounts.services.memberships import MembershipError, NotAllowed
from kitbag.accounts.services.profiles import update_profile
from kitbag.core.rate_limits import rate_limited


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
    active = [m for m in memberships if m.is_active]
    # Members who may ask to become editors see who their organisation's admins are.
    may_ask = [m for m in active if can(user, "ask_to_become_editor", m)]
    by_organisation = admins_by_organisation(organisation_ids=[m.organisation_id for m in may_ask])
    admins = {
        m.pk: [admin_label(admin) for admin in by_organisation.get(m.organisation_id, [])]
        for m in may_ask
    }
    return render(
        request,
        "accounts/my_profile.html",
        {
            "profile": profile,
            "active_memberships": [(m, admins.get(m.pk)) for m in active],
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


@login_required
@require_POST
@rate_limited("editor-request")
def ask_to_become_editor(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    membership = get_object_or_404(
        Membership.objects.active().select_related("organisation"), pk=pk, user=user
    )
    try:
        sent = membership_services.ask_to_become_editor(
            membership=membership, by=user, site_url=request.build_absolute_uri("/")
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except MembershipError as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request,
            (
                _("Your request has been sent to the admins of %(organisation)s.")
                if sent.told == "admins"
                else _(
                    "%(organisation)s has no admin yet, so your request has been sent to the "
                    "people who run this service."
                )
            )
            % {"organisation": membership.organisation.name},
        )
    return redirect("accounts:profile")


urlpatterns = [
    path("profile/", my_profile, name="profile"),
    path("profile/edit/", edit_profile, name="profile_edit"),
    path("people/<int:pk>/", profile_detail, name="profile_detail"),
    path("memberships/<int:pk>/leave/", leave_organisation, name="leave_organisation"),
    path(
        "memberships/<int:pk>/ask-to-become-editor/",
        ask_to_become_editor,
        name="ask_to_become_editor",
    ),
]
