"""Forms for profiles and organisation membership. They parse and check input; the rules about who
may do what, and the writes, are in services/."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.models import Membership, MembershipRole, Profile, User
from kitbag.accounts.services.memberships import MembershipError, normalise_domain
from kitbag.core.forms import TextLimitsMixin
from kitbag.registry.models import Organisation


class ProfileForm(TextLimitsMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Do not show an organisation"),
        label=_("Organisation"),
        help_text=_("Only organisations you are a member of can be shown."),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "job_title", "organisation", "help_with", "is_public"]
        labels = {
            "display_name": _("Name"),
            "job_title": _("Role or job title"),
            "help_with": _("What I can help with"),
            "is_public": _("Show my profile publicly"),
        }
        help_texts = {
            "display_name": _("The name other people will see."),
            "job_title": _("For example, Head of Digital."),
            "help_with": _(
                "Topics, skills or experience you are happy to be contacted about. "
                "You can use Markdown for lists and links."
            ),
            "is_public": _(
                "Anyone can then see your name, role, organisation and what you can help with. "
                "Your email address is never shown."
            ),
        }
        widgets = {"help_with": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=Membership.objects.active().filter(user=user).organisation_ids()
        )


class InvitationForm(TextLimitsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The person accepts by signing in with this address."),
        max_length=254,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )


class DomainForm(TextLimitsMixin, forms.Form):
    domain = forms.CharField(
        label=_("Email domain"),
        help_text=_("For example, camden.gov.uk. People who confirm an address there join."),
        max_length=253,
    )

    def clean_domain(self) -> str:
        try:
            return normalise_domain(self.cleaned_data["domain"])
        except MembershipError as error:
            raise forms.ValidationError(str(error)) from error


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


# GOV.UK asks error messages to say what to do ("Enter your email address"), not Django's
# "This field is required."; allauth's forms keep their behaviour and take our wording.
_REQUIRED_MESSAGES = {
    "email": _("Enter your email address"),
    "login": _("Enter your email address"),
    "password": _("Enter your password"),
    "password1": _("Enter a password"),
    "password2": _("Enter your password again"),
}


def _govuk_required_messages(form: forms.Form) -> None:
    for name, field in form.fields.items():
        if name in _REQUIRED_MESSAGES:
            field.error_messages["required"] = _REQUIRED_MESSAGES[name]


class KitbagSignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_required_messages(self)


class KitbagLoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_required_messages(self)
