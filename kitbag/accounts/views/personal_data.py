"""A person's own data: what we hold, a download of all of it, and deleting the account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kitbag.accounts import permissions
from kitbag.accounts.models import User
from kitbag.accounts.services import personal_data
from kitbag.core.downloads import json_response
from kitbag.core.rate_limits import rate_limited


class DeleteAccountForm(forms.Form):
    """Proof that the person at the keyboard is the account holder, not someone at an unlocked
    computer: their password, or, for people who sign in by emailed code, their address typed."""

    confirmation = forms.CharField(strip=False, max_length=254)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        self.by_password = user.has_usable_password()
        field = self.fields["confirmation"]
        if self.by_password:
            field.label = _("Your password")
            field.error_messages["required"] = _("Enter your password")
        else:
            field.label = _("Your email address")
            field.error_messages["required"] = _("Enter your email address")

    def clean_confirmation(self) -> str:
        value: str = self.cleaned_data["confirmation"]
        if self.by_password:
            if not self.user.check_password(value):
                raise forms.ValidationError(_("The password is not correct"))
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("Enter the email address of this account"))
        return value


def _owner(request: HttpRequest, action: str) -> User:
    if not request.user.is_authenticated:
        raise PermissionDenied
    # The real model instance, not request.user's lazy wrapper: permissions look rules up by type.
    user = User.objects.get(pk=request.user.pk)
    if not permissions.can(user, action, user):
        raise PermissionDenied
    return user


@login_required
@never_cache
@require_GET
def personal_data_page(request: HttpRequest) -> HttpResponse:
    user = _owner(request, "export_personal_data")
    return render(request, "accounts/personal_data.html", {"person": user})


@login_required
@require_POST
@rate_limited("personal-data-download")
def personal_data_download(request: HttpRequest) -> HttpResponse:
    user = _owner(request, "export_personal_data")
    data = personal_data.download_personal_data(user=user)
    filename = f"kitbag-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    # Indented: this file is for the person to read, not for a script.
    response = json_response(data, filename=filename, indent=2)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
# Few enough that the password box cannot be used to guess a password.
@rate_limited("account-delete")
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _owner(request, "erase_personal_data")
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        personal_data.erase_account(user=user, by=user)
        logout(request)
        return redirect("accounts:account_deleted")
    return render(
        request,
        "accounts/personal_data_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/personal_data_deleted.html")


urlpatterns = [
    path("data/", personal_data_page, name="personal_data"),
    path("data/download/", personal_data_download, name="personal_data_download"),
    path("data/delete/", delete_account, name="delete_account"),
    path("data/deleted/", account_deleted, name="account_deleted"),
]
