"""Forms of the project pages: they parse and check shapes; the rules are in services.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.models import Membership, User
from kitbag.performance.models import Outcome, Partnership, PartnershipMember, Visibility
from kitbag.projects.models import Project, ProjectStatus, Rating, SuggestionState
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("What the project does, for whom"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Markdown. Say what it does and for whom: this is what finds similar work."),
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    outcomes = forms.ModelMultipleChoiceField(
        label=_("Outcomes it contributes to"),
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_codes = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        help_text=_("Their registry slugs, separated by commas, e.g. devon-county-council."),
    )
    service_codes = forms.CharField(
        label=_("LGSL services"),
        required=False,
        help_text=_("LGSL service codes, separated by commas, e.g. 1041, 1106."),
    )
    area_codes = forms.CharField(
        label=_("Area"),
        required=False,
        help_text=_("GSS codes, separated by commas, e.g. E07000042."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    budget = forms.DecimalField(
        label=_("Budget (£)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    spend_to_date = forms.DecimalField(
        label=_("Spend to date (£)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    start_on = forms.DateField(label=_("Start date (YYYY-MM-DD)"), required=False)
    end_on = forms.DateField(label=_("End date (YYYY-MM-DD)"), required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices)
    is_priority = forms.BooleanField(
        label=_("A priority project (shown to the partnership's councillors)"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = Membership.objects.active().filter(user=user).organisation_ids()
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=mine
        ).order_by("name")
        partnerships = Partnership.objects.filter(
            pk__in=PartnershipMember.objects.filter(
                organisation_id__in=mine, left_on__isnull=True
            ).values("partnership_id")
        )
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        self.fields["outcomes"].queryset = Outcome.objects.filter(  # type: ignore[attr-defined]
            partnership__in=partnerships
        ).select_related("partnership")
        self.fields["outcomes"].label_from_instance = lambda o: f"{o.title} ({o.partnership})"  # type: ignore[attr-defined]

    def clean_partner_codes(self) -> list[Organisation]:
        slugs = _codes(self.cleaned_data["partner_codes"])
        found = list(Organisation.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {o.slug for o in found})
        if missing:
            raise forms.ValidationError(
                _("No organisation %(s)s in the registry.") % {"s": ", ".join(missing)}
            )
        return found

    def clean_service_codes(self) -> list[Code]:
        codes = _codes(self.cleaned_data["service_codes"])
        found = list(Code.objects.in_list("lgsl-services").filter(code__in=codes))
        missing = sorted(set(codes) - {c.code for c in found})
        if missing:
            raise forms.ValidationError(_("No LGSL service %(s)s.") % {"s": ", ".join(missing)})
        return found

    def clean_area_codes(self) -> list[str]:
        codes = [code.upper() for code in _codes(self.cleaned_data["area_codes"])]
        wrong = [code for code in codes if not (len(code) == 9 and code[0].isalpha())]
        if wrong:
            raise forms.ValidationError(
                _("%(s)s is not a GSS code (a letter and eight digits).") % {"s": ", ".join(wrong)}
            )
        return codes


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=255)
    due_on = forms.DateField(label=_("Due date (YYYY-MM-DD)"))


class RatingOverrideForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("No override: use the computed rating")), *Rating.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), widget=forms.Textarea, max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("The answer"), widget=forms.Textarea, max_length=8000)


class DecisionForm(forms.Form):
    state = forms.ChoiceField(
        label=_("What are these two projects?"),
        choices=[
            (value, label)
            for value, label in SuggestionState.choices
            if value != SuggestionState.OPEN
        ],
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea, max_length=4000)
    keep = forms.TypedChoiceField(
        label=_("If you combine them, which project stays?"),
        help_text=_(
            "The other's milestones, partners, outcomes, services and councillors' questions "
            "move to it; the other is kept, marked as combined, and its page sends readers on."
        ),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, sides: Sequence[Project] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(p.pk), p.title) for p in sides]  # type: ignore[attr-defined]
        self.keep_options = [
            {"value": str(p.pk), "label": p.title, "hint": p.owner_organisation.name} for p in sides
        ]


class CouncillorForm(forms.Form):
    """Name a councillor: a person with a Kitbag account, by address or from the members of the
    partnership's organisations."""

    email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_("The address of their Kitbag account."),
    )
    member = forms.ModelChoiceField(
        label=_("Or choose a member of a partner organisation"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("None chosen"),
    )
    council = forms.ModelChoiceField(
        label=_("The council they sit on"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not said"),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = PartnershipMember.objects.filter(
            partnership=partnership, left_on__isnull=True
        ).values("organisation_id")
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                pk__in=Membership.objects.active()
                .filter(organisation_id__in=organisations)
                .values("user_id"),
            )
            .exclude(pk__in=partnership.councillors.filter(ended_at__isnull=True).values("user_id"))
            .order_by("email")
        )
        self.fields["council"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=organisations
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, member = data.get("email"), data.get("member")
        if self.errors:
            return data
        if bool(email) == bool(member):
            raise forms.ValidationError(
                _("Enter their email address or choose a member, not both."), code="one_of"
            )
        if email:
            found = User.objects.filter(email__iexact=email, is_active=True).first()
            if found is None:
                self.add_error(
                    "email",
                    _("No Kitbag account has this address: ask them to create one first."),
                )
                return data
            data["user"] = found
        else:
            data["user"] = member
        return data
