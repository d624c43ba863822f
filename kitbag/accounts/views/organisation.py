"""Managing an organisation's members, invitations and email domains, and accepting an invitation.

Views parse the request, call a service and respond; a refused change comes back as an error on
the page it was made from, with what the person typed still in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kitbag.accounts.forms import DomainForm, InvitationForm, RoleForm
from kitbag.accounts.models import Invitation, Membership, MembershipRole, OrganisationDomain, User
from kitbag.accounts.permissions import can
from kitbag.accounts.services import memberships as services
from kitbag.accounts.services.memberships import MembershipError, NotAllowed
from kitbag.registry.models import Organisation


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can(request.user, "manage_members", organisation):
        raise PermissionDenied
    return organisation


def _members_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InvitationForm | None = None,
    domain_form: DomainForm | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The members page; `errors` are (message, id of the field it is about) for the summary."""
    members = (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user", "user__profile")
        .order_by("user__email")
    )
    page_errors = list(errors or [])
    for form, prefix in ((invite_form, "invite"), (domain_form, "domain")):
        if form is not None and form.is_bound:
            page_errors += [
                (str(message), f"{prefix}-{name}")
                for name, field_errors in form.errors.items()
                for message in field_errors
            ]
    context: dict[str, Any] = {
        "organisation": organisation,
        "members": members,
        "invitations": services.pending_invitations(organisation=organisation).order_by("email"),
        "domains": OrganisationDomain.objects.filter(organisation=organisation),
        "invite_form": invite_form or InvitationForm(prefix="invite"),
        "domain_form": domain_form or DomainForm(prefix="domain"),
        "can_manage_domains": can(request.user, "manage_domains", organisation),
        "roles": MembershipRole.choices,
        "errors": page_errors,
    }
    return render(
        request,
        "accounts/organisation_members.html",
        context,
        status=400 if page_errors else 200,
    )


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    return _members_page(request, _managed_organisation(request, slug))


def _membership_in(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.active().select_related("user", "organisation"),
        pk=pk,
        organisation=organisation,
    )


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = _membership_in(organisation, pk)
    form = RoleForm(request.POST)
    field_id = f"role-{membership.pk}"
    if not form.is_valid():
        return _members_page(request, organisation, errors=[(_("Choose a role."), field_id)])
    try:
        services.change_role(
            membership=membership,
            role=MembershipRole(form.cleaned_data["role"]),
            by=_signed_in_user(request),
        )
    except MembershipError as error:
        return _members_page(request, organisation, errors=[(str(error), field_id)])
    messages.success(
        request,
        _("%(person)s is now %(role)s.")
        % {"person": membership.user, "role": membership.get_role_display().lower()},
    )
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = _membership_in(organisation, pk)
    error = ""
    if request.method == "POST":
        try:
            services.remove_member(membership=membership, by=_signed_in_user(request))
        except MembershipError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("%(person)s is no longer a member.") % {"person": membership.user},
            )
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request,
        "accounts/remove_member.html",
        {
            "organisation": organisation,
            "membership": membership,
            "errors": [(error, "remove")] if error else [],
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST, prefix="invite")
    if not form.is_valid():
        return _members_page(request, organisation, invite_form=form)
    try:
        services.invite_to_organisation(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=MembershipRole(form.cleaned_data["role"]),
            by=_signed_in_user(request),
            site_url=request.build_absolute_uri("/"),
        )
    except MembershipError as error:
        form.add_error("email", str(error))
        return _members_page(request, organisation, invite_form=form)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.revoke_invitation(invitation=invitation, by=_signed_in_user(request))
    except MembershipError as error:
        return _members_page(request, organisation, errors=[(str(error), "invitations")])
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def add_domain(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = DomainForm(request.POST, prefix="domain")
    if not form.is_valid():
        return _members_page(request, organisation, domain_form=form)
    try:
        services.add_domain(
            organisation=organisation,
            domain=form.cleaned_data["domain"],
            by=_signed_in_user(request),
        )
    except MembershipError as error:
        form.add_error("domain", str(error))
        return _members_page(request, organisation, domain_form=form)
    messages.success(request, _("%(domain)s was added.") % {"domain": form.cleaned_data["domain"]})
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def remove_domain(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    domain = get_object_or_404(OrganisationDomain, pk=pk, organisation=organisation)
    try:
        services.remove_domain(domain=domain, by=_signed_in_user(request))
    except NotAllowed as error:
        raise PermissionDenied from error
    messages.success(request, _("%(domain)s was removed.") % {"domain": domain.domain})
    return redirect("accounts:organisation_members", slug=organisation.slug)


def _respond_to_invitation(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    user = _signed_in_user(request)
    error = ""
    if request.method == "POST":
        try:
            membership = services.accept_invitation(invitation=invitation, user=user)
        except MembershipError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("You are now a member of %(organisation)s.")
                % {"organisation": membership.organisation},
            )
            return redirect("accounts:profile")
    else:
        error = services.invitation_problem(invitation=invitation, user=user)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "errors": [(error, "invitation-problem")] if error and request.method == "POST" else [],
        },
        status=400 if error and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_by_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return _respond_to_invitation(request, invitation)


@login_required
@require_POST
def accept_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """Accepting from the account page: the confirmed address is the proof, not the link."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    # Only to its invitee does an invitation's number mean anything.
    addresses = services.confirmed_addresses(user=_signed_in_user(request))
    if invitation.email.lower() not in addresses:
        raise Http404
    return _respond_to_invitation(request, invitation)


urlpatterns = [
    path("organisations/<slug:slug>/members/", organisation_members, name="organisation_members"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        change_role,
        name="organisation_change_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        remove_member,
        name="organisation_remove_member",
    ),
    path("organisations/<slug:slug>/invitations/", invite, name="organisation_invite"),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/revoke/",
        revoke_invitation,
        name="organisation_revoke_invitation",
    ),
    path("organisations/<slug:slug>/domains/", add_domain, name="organisation_add_domain"),
    path(
        "organisations/<slug:slug>/domains/<int:pk>/remove/",
        remove_domain,
        name="organisation_remove_domain",
    ),
    path("invitations/<int:pk>/accept/", accept_invitation, name="invitation_accept"),
    path("invitations/<str:token>/", invitation_by_link, name="invitation"),
]
