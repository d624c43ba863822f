"""Forms of the people pages: they parse what was typed; the rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kitbag.cases.forms import codes, services_matching
from kitbag.core.forms import TextLimitsMixin
from kitbag.network.models import MAX_FREE_TAGS, Offer
from kitbag.vocabularies.models import Code


class HelpOfferForm(TextLimitsMixin, forms.Form):
    """What I can help with. Services are chosen as on the case form (decision 0028): search,
    tick among the matches, and keep those ticked; "Find services" re-shows the form unsaved."""

    services = forms.ModelMultipleChoiceField(
        queryset=codes("lgsl-services"),
        to_field_name="code",
        required=False,
        label=_("Services you know"),
    )
    service_search = forms.CharField(
        label=_("Search for a service"),
        required=False,
        max_length=100,
        help_text=_("Type part of a service's name from the Local Government Service List."),
    )
    tags = forms.CharField(
        label=_("Your own tags"),
        required=False,
        max_length=600,
        help_text=_(
            "Separated by commas, at most %(count)d: for example, chatbots, housing repairs, "
            "agile procurement."
        )
        % {"count": MAX_FREE_TAGS},
    )
    offers = forms.MultipleChoiceField(
        label=_("What you offer"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accepts_messages = forms.BooleanField(
        label=_("People may ask me for help through Kitbag"),
        required=False,
        help_text=_(
            "Messages are emailed to you without your address being shown; you answer on "
            "Kitbag. Only while your profile is public."
        ),
    )

    def chosen(self) -> list[str]:
        value = self["services"].value() or []
        if isinstance(value, str):
            return [value]
        return [str(getattr(item, "code", item)) for item in value]

    @property
    def chosen_services(self) -> list[Code]:
        return list(codes("lgsl-services").filter(code__in=self.chosen()).order_by("label"))

    @property
    def service_matches(self) -> list[Code]:
        query = str(self["service_search"].value() or "")
        return services_matching(query=query, leaving_out=self.chosen())

    @property
    def chosen_offers(self) -> list[str]:
        value = self["offers"].value() or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    @property
    def offer_options(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Offer.choices]


class MessageForm(TextLimitsMixin, forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=150,
        required=False,
        help_text=_("A few words on what it is about."),
    )
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea,
        max_length=5000,
        help_text=_(
            "Say who you are, what you are working on and what you would like to ask. Do not "
            "write your email address here unless you want them to have it."
        ),
        error_messages={"required": _("Write your message.")},
    )
    shows_address = forms.BooleanField(
        label=_("Show them my email address"),
        required=False,
        help_text=_("Otherwise they answer you on Kitbag, and neither of you sees the other's."),
    )

    def __init__(self, *args: Any, with_subject: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_subject:
            del self.fields["subject"]


class MentoringForm(TextLimitsMixin, forms.Form):
    about = forms.CharField(
        label=_("What you would like help with"),
        widget=forms.Textarea,
        max_length=3000,
        error_messages={"required": _("Say what you would like help with.")},
    )
    shows_address = forms.BooleanField(
        label=_("Show them my email address"),
        required=False,
        help_text=_("Otherwise they answer you on Kitbag."),
    )


class MentoringDecisionForm(TextLimitsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose accept or decline.")},
    )
    answer = forms.CharField(
        label=_("A note with your answer (optional)"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
    shows_address = forms.BooleanField(
        label=_("If I accept, show them my email address"), required=False
    )


class ReportForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Say what is wrong with the message.")},
    )


class ResolveForm(TextLimitsMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What you did"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Say what you did about it.")},
    )
