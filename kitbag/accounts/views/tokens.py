"""A person's API tokens: list, create (the token is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kitbag.accounts import permissions
from kitbag.accounts.models import User
from kitbag.accounts.services import tokens
from kitbag.core.forms import TextLimitsMixin


class TokenForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Something to tell it apart by, such as the script or computer that uses it."),
        error_messages={
            "required": _("Enter a name for the token"),
            "max_length": _("Name must be 80 characters or fewer"),
        },
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the token"))
        return name


def _person(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not permissions.can(user, "create_api_token"):
        raise PermissionDenied
    return user


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = tokens.create_token(user=user, name=form.cleaned_data["name"])
        # Rendered, not redirected to: the plain token must never be in a URL or the session.
        response = render(
            request, "accounts/token_created.html", {"token": token, "raw_token": raw}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": permissions.manageable_tokens(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    token = get_object_or_404(permissions.manageable_tokens(user), pk=pk)
    if not permissions.can(user, "manage", token):
        raise Http404  # the same answer as for a token that does not exist
    tokens.revoke_token(token=token, by=user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token_list")


urlpatterns = [
    path("tokens/", token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
]
