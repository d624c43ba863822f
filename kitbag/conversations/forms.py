"""The organisers' forms: a conversation's settings, its seed statements, one more statement.

They only parse; the rules (length bounds, a consultation of the owner's) are in services.py,
whose errors the views put back on the field they name.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kitbag.consultations.models import Consultation
from kitbag.conversations.models import Conversation, Moderation
from kitbag.conversations.services import (
    MAX_STATEMENT_LENGTH,
    MIN_STATEMENT_LENGTH,
    ConversationSettings,
)
from kitbag.core.forms import TextLimitsMixin
from kitbag.registry.models import Organisation

ANYONE, SIGNED_IN = "anyone", "signed-in"


class ConsultationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consultation) -> str:
        return f"{obj.organisation.name}: {obj.title}"


class ConversationForm(TextLimitsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("The conversation belongs to this organisation; its members run it."),
    )
    consultation = ConsultationChoiceField(
        label=_("Part of a consultation (optional)"),
        queryset=Consultation.objects.none(),
        required=False,
        empty_label=_("No: a conversation on its own"),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    question = forms.CharField(
        label=_("Opening question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("What people are asked, shown above the statements."),
    )
    moderation = forms.ChoiceField(label=_("Participants' statements"), choices=Moderation.choices)
    participation = forms.ChoiceField(
        label=_("Who may take part"),
        choices=[
            (ANYONE, _("Anyone, without signing in")),
            (SIGNED_IN, _("Only people who sign in")),
        ],
    )
    max_statement_length = forms.IntegerField(
        label=_("Maximum length of a statement, in characters"),
        min_value=MIN_STATEMENT_LENGTH,
        max_value=MAX_STATEMENT_LENGTH,
        help_text=_("Polis uses 140. Short statements are easier to agree or disagree with."),
    )
    seeds = forms.CharField(
        label=_("Seed statements (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One statement a line. They are shown at once; you can add more later."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None,
        consultations: QuerySet[Consultation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:  # editing: the owner stays, and seeds are added one at a time
            del self.fields["organisation"]
            del self.fields["seeds"]
        else:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(ConsultationChoiceField, self.fields["consultation"]).queryset = consultations

    def radio_options(self, name: str) -> list[dict[str, str]]:
        choices: Any = cast(forms.ChoiceField, self.fields[name]).choices  # a plain list here
        return [{"value": str(v), "label": str(label)} for v, label in choices]

    @property
    def moderation_options(self) -> list[dict[str, str]]:
        return self.radio_options("moderation")

    @property
    def participation_options(self) -> list[dict[str, str]]:
        return self.radio_options("participation")

    def conversation_settings(self) -> ConversationSettings:
        data = self.cleaned_data
        return ConversationSettings(
            title=data["title"],
            question=data.get("question", ""),
            moderation=data["moderation"],
            allow_anonymous=data["participation"] == ANYONE,
            max_statement_length=data["max_statement_length"],
            consultation=data.get("consultation"),
        )

    @staticmethod
    def initial_for(conversation: Conversation) -> dict[str, Any]:
        return {
            "consultation": conversation.consultation_id,
            "title": conversation.title,
            "question": conversation.question,
            "moderation": conversation.moderation,
            "participation": ANYONE if conversation.allow_anonymous else SIGNED_IN,
            "max_statement_length": conversation.max_statement_length,
        }


class SeedStatementForm(TextLimitsMixin, forms.Form):
    """One more statement from the organisers (or several, one a line)."""

    text = forms.CharField(
        label=_("Add a seed statement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One statement; or several, one a line."),
    )
    is_meta = forms.BooleanField(
        label=_("It is about the participant (meta), not an opinion"), required=False
    )
