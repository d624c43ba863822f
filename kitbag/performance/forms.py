"""Forms for partnerships, their members and indicators, and partners' figures."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kitbag.core.forms import TextLimitsMixin
from kitbag.performance.models import GroupVisibility, MemberRole, Polarity, Status, Visibility
from kitbag.performance.periods import PeriodError, financial_year, parse_period
from kitbag.registry.models import Identifier, Organisation, OrganisationKind

GSS_CODE = re.compile(r"[EWSNK]\d{8}")

VISIBILITY_HELP = _(
    "Public: anyone. Partners only: verified members of the partnership's organisations. "
    "One organisation: only its verified members."
)


def _gss_list(text: str) -> list[str]:
    codes = [code.strip().upper() for code in re.split(r"[\s,]+", text) if code.strip()]
    bad = [code for code in codes if not GSS_CODE.fullmatch(code)]
    if bad:
        raise forms.ValidationError(
            _("%(codes)s: a GSS code is a letter and eight digits, such as E06000001"),
            params={"codes": ", ".join(bad)},
        )
    return codes


class PartnershipForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(
        label=_("What the partnership is for"),
        widget=forms.Textarea,
        required=False,
        max_length=20000,
    )
    area_description = forms.CharField(
        label=_("Area, in words"),
        max_length=255,
        required=False,
        help_text=_("For example: Mid Devon"),
    )
    area_gss = forms.CharField(
        label=_("Area GSS codes"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas or spaces, for example E07000042"),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the partnership"),
        choices=Visibility.choices,
        help_text=VISIBILITY_HELP,
    )
    embargo_until = forms.DateTimeField(
        label=_("Not public before"),
        required=False,
        help_text=_("Optional. For example 2027-04-01 09:30"),
    )

    def __init__(self, *args: Any, leads: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if leads is not None:
            self.fields["lead"] = forms.ModelChoiceField(
                label=_("Lead organisation"),
                queryset=leads,
                empty_label=None,
                help_text=_("An organisation you are a verified member of."),
            )

    def clean_area_gss(self) -> list[str]:
        return _gss_list(self.cleaned_data.get("area_gss") or "")


class MemberForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation's registry code"),
        max_length=128,
        help_text=_("As on its registry page, for example E06000001 or KEN"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)

    def clean_organisation(self) -> Organisation:
        code = self.cleaned_data["organisation"].strip()
        found = (
            Organisation.objects.filter(code__iexact=code).first()
            or Organisation.objects.filter(slug=code).first()
            or Organisation.objects.filter(identifiers__value__iexact=code).first()
        )
        if found is None:
            raise forms.ValidationError(_("No organisation in the registry has that code"))
        return found


class OutcomeForm(TextLimitsMixin, forms.Form):
    title = forms.CharField(label=_("Outcome"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, max_length=20000
    )
    area_description = forms.CharField(label=_("Area, in words"), max_length=255, required=False)


class IndicatorForm(TextLimitsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("Short, for example FALLS1"))
    name = forms.CharField(label=_("Name"), max_length=255)
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea, required=False, max_length=20000
    )
    unit = forms.CharField(label=_("Unit"), max_length=64, required=False)
    polarity = forms.ChoiceField(label=_("Which way is better"), choices=Polarity.choices)
    midpoint = forms.FloatField(
        label=_("Midpoint"),
        required=False,
        help_text=_("Only when closest to a midpoint is best"),
    )
    decimal_places = forms.IntegerField(
        label=_("Decimal places"), min_value=0, max_value=6, initial=1
    )
    numerator_label = forms.CharField(label=_("Numerator"), max_length=255, required=False)
    denominator_label = forms.CharField(label=_("Denominator"), max_length=255, required=False)
    source_name = forms.CharField(label=_("Source"), max_length=255, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=255, required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see its figures"), choices=Visibility.choices, help_text=VISIBILITY_HELP
    )

    def __init__(self, *args: Any, owners: Any, outcomes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Owning organisation"), queryset=owners, empty_label=None
        )
        self.fields["outcome"] = forms.ModelChoiceField(
            label=_("Outcome it measures"),
            queryset=outcomes,
            required=False,
            empty_label=_("None yet"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("polarity") == Polarity.MIDPOINT and data.get("midpoint") is None:
            self.add_error("midpoint", _("Enter the midpoint"))
        return data


def _year_choices() -> list[tuple[str, Any]]:
    return [("", _("Choose a year"))] + [
        (str(year), financial_year(year).label) for year in range(2030, 2004, -1)
    ]


class FigureForm(TextLimitsMixin, forms.Form):
    financial_year = forms.ChoiceField(
        label=_("Financial year"),
        choices=_year_choices,
        required=False,
        help_text=_("April to March. Or give any period below."),
    )
    period = forms.CharField(
        label=_("Or another period"),
        max_length=32,
        required=False,
        help_text=_("An ISO 8601 interval such as 2023-01-01/P3M or 2022-04-01/P2Y"),
    )
    organisation = forms.CharField(
        label=_("Organisation the figure is about (registry code)"),
        max_length=128,
        required=False,
    )
    area = forms.CharField(
        label=_("Or an area (GSS code)"),
        max_length=16,
        required=False,
    )
    value = forms.FloatField(label=_("Value"))
    numerator = forms.FloatField(label=_("Numerator"), required=False)
    denominator = forms.FloatField(label=_("Denominator"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.FINAL)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=2000)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PARTNERS,
        help_text=_("Until it is published only partners (or your organisation) see it."),
    )
    embargo_until = forms.DateTimeField(
        label=_("Not public before"),
        required=False,
        help_text=_("Optional, even once published. For example 2027-04-01 09:30"),
    )

    def __init__(self, *args: Any, indicators: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ModelChoiceField(
            label=_("Indicator"), queryset=indicators, empty_label=None
        )
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Entered for"),
            queryset=owners,
            empty_label=None,
            help_text=_("The organisation that owns and signs off the figure"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("financial_year") and data.get("period"):
            self.add_error("period", _("Choose a financial year or give a period, not both"))
        elif data.get("financial_year"):
            data["the_period"] = financial_year(int(data["financial_year"]))
        elif data.get("period"):
            try:
                data["the_period"] = parse_period(data["period"])
            except PeriodError as error:
                self.add_error("period", str(error))
        else:
            self.add_error("financial_year", _("Choose a financial year or give a period"))
        code, area = (data.get("organisation") or "").strip(), (data.get("area") or "").strip()
        if bool(code) == bool(area):
            self.add_error("organisation", _("Give an organisation or an area (one of them)"))
        elif code:
            found = Organisation.objects.filter(code__iexact=code).first()
            if found is None:
                self.add_error("organisation", _("No organisation in the registry has that code"))
            data["subject"] = found
        elif not GSS_CODE.fullmatch(area.upper()):
            self.add_error("area", _("A GSS code is a letter and eight digits"))
        else:
            data["area"] = area.upper()
        if data.get("denominator") == 0:
            self.add_error("denominator", _("A denominator cannot be 0"))
        return data


class TargetForm(FigureForm):
    """A target: the figure form's period and subject, a value and a note."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, indicators=None, owners=None, **kwargs)
        for name in (
            "indicator",
            "owner",
            "numerator",
            "denominator",
            "status",
            "visibility",
            "embargo_until",
        ):
            del self.fields[name]
        self.fields["value"].label = _("Target value")
        self.fields["note"].label = _("Why this target (optional)")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    visibility = forms.ChoiceField(
        label=_("Who can see these figures"),
        choices=Visibility.choices,
        initial=Visibility.PARTNERS,
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Uploaded for"), queryset=owners, empty_label=None
        )


class ComparisonGroupForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=120,
        help_text=_("For example: Coastal unitary councils"),
    )
    description = forms.CharField(
        label=_("Why these councils"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    councils = forms.CharField(
        label=_("Councils"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_(
            "At least two. Registry codes or GSS codes, separated by commas, spaces or new "
            "lines, for example KEN, E06000001"
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see and use the group"),
        choices=GroupVisibility.choices,
        initial=GroupVisibility.PUBLIC,
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Owning organisation"),
            queryset=owners,
            empty_label=None,
            help_text=_("An organisation you are a verified member of. Its members may edit it."),
        )
        self.order_fields(["name", "description", "owner", "visibility", "councils"])

    def clean_councils(self) -> list[Organisation]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data.get("councils") or "") if c]
        found: dict[str, Organisation] = {}
        councils = Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
        upper = {c.upper() for c in codes}
        for council in councils.filter(Q(code__in=codes) | Q(code__in=upper) | Q(slug__in=codes)):
            found.setdefault(council.code.upper(), council)
            found.setdefault(council.slug.upper(), council)
        for identifier in Identifier.objects.filter(
            organisation__in=councils, value__in=upper
        ).select_related("organisation"):
            found.setdefault(identifier.value.upper(), identifier.organisation)
        unknown = [c for c in codes if c.upper() not in found]
        if unknown:
            raise forms.ValidationError(
                _("%(codes)s: no council in the registry has this code"),
                params={"codes": ", ".join(unknown[:20])},
            )
        chosen = list({found[c.upper()].pk: found[c.upper()] for c in codes}.values())
        if len(chosen) < 2:
            raise forms.ValidationError(_("Give at least two different councils"))
        return chosen
