"""Forms for recording spread: "we adopted this" and a relation between two cases.

They parse and check what was typed; who may record what, and the writes, are in services.py.
Amounts are typed the way people write them ("£12,500"); dates are a month and a year, because
that is what an officer remembers about when something started.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kitbag.core.forms import TextLimitsMixin
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code

# Amount fields hold 14 digits, two after the point.
MAX_AMOUNT = Decimal("999999999999.99")
NOTES_MAX_LENGTH = 2000
CHANGES_MAX_LENGTH = 4000
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def codes(list_slug: str) -> QuerySet[Code]:
    return Code.objects.filter(code_list__slug=list_slug, is_deprecated=False).order_by(
        "sort_order", "code"
    )


class CodeChoiceField(forms.ModelChoiceField):
    """A code chosen by its code ("live"), not its database id, so addresses and tests read well."""

    def __init__(self, list_slug: str, **kwargs: Any) -> None:
        super().__init__(
            queryset=codes(list_slug), to_field_name="code", empty_label=None, **kwargs
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class AmountField(forms.CharField):
    """Pounds, optional: "12500", "12,500", "£12,500.50"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=24, **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = str(super().clean(value) or "").strip()
        text = text.replace("£", "").replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Enter an amount in pounds, like 12,500"), code="invalid"
            ) from None
        if not amount.is_finite() or amount < 0:
            raise forms.ValidationError(_("Enter an amount of £0 or more"), code="negative")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(_("Enter an amount under £1 trillion"), code="too_big")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Enter an amount in pounds and pence, like 12,500.50"), code="precision"
            )
        return amount


class MonthYearMixin(forms.Form):
    """A GOV.UK date input of a month and a year, optional: both or neither.

    Errors are attached to the month box, so the error summary links to the first box.
    """

    month_year_prefix = "started"
    month_year_name = "started_on"

    def add_month_year(self, *, label: Any) -> None:
        prefix = self.month_year_prefix
        self.fields[f"{prefix}_month"] = forms.CharField(
            label=_("Month"), required=False, max_length=2
        )
        self.fields[f"{prefix}_year"] = forms.CharField(
            label=_("Year"), required=False, max_length=4
        )
        self.month_year_label = label

    def clean_month_year(self, cleaned: dict[str, Any]) -> None:
        prefix = self.month_year_prefix
        month_text = str(cleaned.get(f"{prefix}_month") or "").strip()
        year_text = str(cleaned.get(f"{prefix}_year") or "").strip()
        cleaned[self.month_year_name] = None
        if not month_text and not year_text:
            return
        month_field = f"{prefix}_month"
        if not month_text:
            self.add_error(month_field, _("The date must include a month"))
            return
        if not year_text:
            self.add_error(month_field, _("The date must include a year"))
            return
        if not (month_text.isdigit() and 1 <= int(month_text) <= 12):
            self.add_error(month_field, _("The month must be a number from 1 to 12"))
            return
        if not (year_text.isdigit() and len(year_text) == 4):
            self.add_error(month_field, _("The year must include 4 numbers, like 2024"))
            return
        when = dt.date(int(year_text), int(month_text), 1)
        # A planned start may be in the future; before 1950 is a typo.
        if when.year < 1950:
            self.add_error(month_field, _("The date must be in 1950 or later"))
            return
        cleaned[self.month_year_name] = when

    @staticmethod
    def month_year_initial(prefix: str, when: dt.date | None) -> dict[str, str]:
        if when is None:
            return {}
        return {f"{prefix}_month": str(when.month), f"{prefix}_year": str(when.year)}


class AdoptionForm(TextLimitsMixin, MonthYearMixin):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=None,
        label=_("Which organisation adopted it?"),
        error_messages={
            "required": _("Choose the organisation that adopted it"),
            "invalid_choice": _("Choose one of your organisations"),
        },
    )
    status = CodeChoiceField(
        "adoption-status",
        label=_("How far have you got?"),
        error_messages={
            "required": _("Choose how far you have got"),
            "invalid_choice": _("Choose how far you have got"),
        },
    )
    cost = AmountField(
        label=_("What did it cost? (optional)"),
        help_text=_("In pounds, what taking it on cost you so far. Leave blank if not known."),
    )
    annual_saving = AmountField(
        label=_("What does it save each year? (optional)"),
        help_text=_("In pounds a year, cashable or not. Leave blank if not known."),
    )
    notes = forms.CharField(
        label=_("Anything others should know (optional)"),
        help_text=_("What you changed, what helped, whom to ask."),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": _("Notes must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.add_month_year(label=_("When did it start? (optional)"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_month_year(cleaned)
        return cleaned


class RelationForm(TextLimitsMixin, MonthYearMixin):
    month_year_prefix = "happened"
    month_year_name = "happened_on"

    other_case = forms.CharField(
        label=_("The other case's address"),
        help_text=_(
            "Copy it from the other case's page, for example "
            "https://kitbag.example/cases/chatbot-for-council-tax/, or search for it above."
        ),
        max_length=1000,
        error_messages={"required": _("Enter the address of the other case, or search for it")},
    )
    relation = CodeChoiceField(
        "spread-relation",
        label=_("How does this case relate to the other one?"),
        error_messages={
            "required": _("Choose how this case relates to the other one"),
            "invalid_choice": _("Choose how this case relates to the other one"),
        },
    )
    changes_made = forms.CharField(
        label=_("What changed on the way? (optional)"),
        help_text=_("What you kept, what you changed and why."),
        required=False,
        max_length=CHANGES_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": _("What changed must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_month_year(label=_("When did it happen? (optional)"))

    def clean_other_case(self) -> str:
        slug = slug_from_address(self.cleaned_data["other_case"])
        if slug is None:
            raise forms.ValidationError(
                _("Enter the address of a case on Kitbag, like https://kitbag.example/cases/name/")
            )
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_month_year(cleaned)
        return cleaned


def slug_from_address(text: str) -> str | None:
    """A case's slug from its address (".../cases/<slug>/..."), its path, or the slug itself."""
    text = text.strip()
    if _SLUG.match(text):
        return text
    path = urlsplit(text).path if "://" in text else text.split("?")[0].split("#")[0]
    parts = [part for part in path.split("/") if part]
    if "cases" in parts:
        after = parts[parts.index("cases") + 1 :]
        if after and _SLUG.match(after[0]):
            return after[0]
    return None
