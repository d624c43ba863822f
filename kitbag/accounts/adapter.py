"""How django-allauth fits Kitbag: its hooks call our services, so the rules live in one place.

allauth offers a hook for most account events; the one it does not (an address confirmed by any
route: the emailed link, or a sign-in code, which proves the address too) comes through its
`email_confirmed` signal, connected in apps.py to `email_address_confirmed` below.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.forms import BaseForm, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import AuditEvent, Profile, User
from kitbag.accounts.services.memberships import grant_memberships_for_confirmed_email
from kitbag.core.rate_limits import Rate


class AccountAdapter(DefaultAccountAdapter):
    # allauth's wording, put in the plain style of GOV.UK: say what happened and what to do.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "Enter a correct email address and password. The password is case sensitive."
        ),
        "too_many_login_attempts": _(
            "You have tried to sign in too many times. "
            "Wait 5 minutes, then try again, or reset your password."
        ),
        "email_taken": _("An account already exists with this email address. Sign in instead."),
        "incorrect_code": _("The code is not correct. Check the code in the email and try again."),
        "enter_current_password": _("Enter your current password"),
        "incorrect_password": _("Your current password is not correct"),
        "invalid_or_expired_key": _("This link has expired or has already been used."),
        "rate_limited": _("You have made too many requests. Wait a few minutes, then try again."),
    }

    @transaction.atomic
    def save_user(
        self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True
    ) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Other parts of Kitbag read `user.profile` without checking that it exists.
            Profile.objects.get_or_create(user=user)
            record_audit_event(AuditEvent.Kind.SIGNED_UP, subject=user, actor=user)
        return user

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post_login(request, user, **kwargs)
        record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=user, actor=user)
        return response

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        record_failed_sign_in(email=credentials.get("email", ""), reason="wrong-password")

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            record_failed_sign_in(email=credentials.get("email", ""), reason="throttled")
            # The sign-in view answers 429 with Retry-After rather than the form (views/sign_in.py).
            request.kitbag_sign_in_locked_for = sign_in_lockout_seconds()  # type: ignore[attr-defined]
            raise

    def logout(self, request: HttpRequest) -> None:
        user = request.user
        if isinstance(user, User):
            record_audit_event(AuditEvent.Kind.SIGNED_OUT, subject=user, actor=user)
        super().logout(request)

    def set_password(self, user: Any, password: str) -> None:
        # allauth calls this for a change and for a reset, never at sign-up.
        super().set_password(user, password)
        record_audit_event(AuditEvent.Kind.PASSWORD_CHANGED, subject=user, actor=user)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        if template_prefix == "account/email/login_code":
            # The sign-in code is only good in the browser that asked for it (allauth keeps it in
            # that session), so a link carrying it signs in that browser and nobody else's.
            request = context.get("request")
            if request is not None:
                context["sign_in_url"] = request.build_absolute_uri(
                    reverse("account_confirm_login_code")
                    + "?"
                    + urlencode({"code": context["code"]})
                )
        super().send_mail(template_prefix, email, context)


def sign_in_lockout_seconds() -> int:
    """The longest window of ACCOUNT_RATE_LIMITS["login_failed"] ("10/m/ip,5/5m/key": 300): the
    most a locked-out person may have to wait, said in the 429's Retry-After."""
    windows = [
        Rate.parse("/".join(part.split("/")[:2])).seconds
        for part in str(settings.ACCOUNT_RATE_LIMITS.get("login_failed", "")).split(",")
        if part.strip()
    ]
    return max(windows, default=300)


def record_failed_sign_in(*, email: str, reason: str) -> None:
    # Only a link to the account tried, if there is one: the address typed is personal data and,
    # when it matches nobody, may be someone's mistyped password.
    subject = User.objects.filter(email__iexact=email).first() if email else None
    record_audit_event(AuditEvent.Kind.SIGN_IN_FAILED, subject=subject, reason=reason)


@transaction.atomic
def email_address_confirmed(*, user: User, email: str) -> None:
    record_audit_event(AuditEvent.Kind.EMAIL_CONFIRMED, subject=user, actor=user)
    grant_memberships_for_confirmed_email(user=user, email=email)
