"""The form for writing and editing a case, and its itemised parts as formsets.

Two levels of checking (docs/decisions/0017-case-writing.md): saving a section of a draft asks
only for a title and that what was typed can be stored (a year is a number, a link is a link, an
itemised row has what a row needs); saving a section of a case already in review or public asks
for the part of the whole core (services.missing_before_review) that the section holds, field by
field. Each section of the task list (sections.py) is this one form cut to its fields
(`CaseForm(fields=...)`) and its parts (`part_formsets(parts=...)`). Questions a case can be
submitted without are labelled "(optional)"; the others are not (NEEDED_FOR_REVIEW).
Forms parse and check; who may do what, and the writes, are in services.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.permissions import Viewer
from kitbag.cases.models import (
    SUMMARY_MAX_WORDS,
    Asset,
    BenefitItem,
    Case,
    CasePartner,
    Contact,
    ContactOffer,
    CostItem,
    GeographicExtent,
    Novelty,
    Product,
    RecordType,
)
from kitbag.cases.permissions import organisations_viewer_may_act_for
from kitbag.cases.sections import SECTIONS
from kitbag.core.forms import TextLimitsMixin
from kitbag.core.json_shapes import MAX_AREA_CODES
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code

# Public-sector write-ups are Crown or council copyright, reusable under the OGL by default.
DEFAULT_LICENCE = "OGL-UK-3.0"
MAX_AMOUNT = Decimal("999999999999.99")
FIRST_YEAR, LAST_YEAR = 1950, 2100
# How many LGSL services a search shows at once: enough to choose from, few enough to read.
SERVICE_MATCHES = 20
_GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")


def services_matching(*, query: str, leaving_out: Iterable[str] = ()) -> list[Code]:
    """LGSL services whose name or number matches every word typed: the no-JavaScript search
    and the suggestions offered as one types (views_editing.service_suggestions)."""
    words = query.split()[:10]
    if not words:
        return []
    matches = codes("lgsl-services").exclude(code__in=list(leaving_out))
    for word in words:
        matches = matches.filter(Q(label__icontains=word) | Q(code=word))
    return list(matches.order_by("label")[:SERVICE_MATCHES])


def codes(list_slug: str) -> QuerySet[Code]:
    return Code.objects.filter(code_list__slug=list_slug, is_deprecated=False).order_by(
        "sort_order", "code"
    )


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Option:
    """One radio or checkbox: its value, label and an optional hint."""

    value: str
    label: str
    hint: str = ""


class CodeChoiceField(forms.ModelChoiceField):
    """A code chosen by its code ("beta"), not a database id, so addresses and tests read well."""

    def __init__(self, list_slug: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(queryset=codes(list_slug), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class CodesField(forms.ModelMultipleChoiceField):
    def __init__(self, list_slug: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(queryset=codes(list_slug), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class PoundsField(forms.DecimalField):
    """Pounds as people type them: "12500", "12,500", "£12,500.50"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=Decimal("0"), **kwargs)
        self.error_messages["invalid"] = _("Enter an amount in pounds, like 12500 or £12,500.50")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").replace(" ", "")
        amount = super().to_python(value)
        if amount is not None and amount > MAX_AMOUNT:
            raise forms.ValidationError(_("Enter an amount under £1 trillion"))
        return amount


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Enter a year as 4 digits, like 2023")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a year between %(first)s and %(last)s")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )


# Yes, no, or not said: not said is not the same as no (models keep None).
YES_NO_UNSAID = [("", _("Not said")), ("True", _("Yes")), ("False", _("No"))]


def yes_no_unsaid(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNSAID,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )


@dataclass(frozen=True)
class FunctionGroup:
    function: Code
    children: list[Code]
    has_chosen: bool


# Questions a case needs before review (services.missing_before_review), or needs in some cases:
# one of services, service areas or a sector; who assessed the evidence once a level is given.
# Every other question of the case form is labelled "(optional)".
NEEDED_FOR_REVIEW = frozenset(
    {
        "title",
        "summary",
        "lead_organisation",
        "phase",
        "operational_status",
        "services",
        "functions",
        "sector",
        "evidence_assessed_by",
    }
)

CODE_FIELDS = (
    "sector",
    "phase",
    "operational_status",
    "evidence_level",
    "evidence_assessed_by",
    "outcome",
)


class CaseForm(TextLimitsMixin, forms.ModelForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("Say what was tried and where, for example ‘Text reminders cut missed bins’."),
        error_messages={"required": _("Enter a title")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea,
        help_text=_("What it is and what happened, in no more than 60 words."),
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Lead organisation"),
        empty_label=_("Select the lead organisation"),
        help_text=_("You can lead a case for the organisations you are a member of."),
    )
    # No initial value: GOV.UK radios are never preselected. Left unanswered, a new case keeps the
    # model's default (a case study), as Django leaves a field with a default that was not posted.
    record_type = forms.ChoiceField(
        label=_("What kind of record is this?"),
        choices=RecordType.choices,
        required=False,
    )
    services = CodesField(
        "lgsl-services",
        label=_("Services"),
        help_text=_("Services from the Local Government Service List."),
    )
    functions = CodesField(
        "lgsl-functions",
        label=_("Service areas"),
        help_text=_("Select every area the case is about."),
    )
    sector = CodeChoiceField(
        "cofog",
        label=_("Sector"),
        empty_label=_("Not said"),
        help_text=_("For cases outside councils: the area of government it belongs to (COFOG)."),
    )
    phase = CodeChoiceField("govuk-phase", label=_("Phase"))
    operational_status = CodeChoiceField("operational-status", label=_("Operational status"))
    technologies = CodesField("technology", label=_("Technology used"))
    novelty = forms.ChoiceField(
        label=_("How new was it?"),
        choices=[("", _("Not said")), *Novelty.choices],
        required=False,
    )
    geographic_extent = forms.ChoiceField(
        label=_("Area covered"),
        choices=[("", _("Not said")), *GeographicExtent.choices],
        required=False,
    )
    area_codes = forms.CharField(
        label=_("Areas served (GSS codes)"),
        required=False,
        help_text=_("ONS codes separated by commas, for example E09000007, E09000019."),
    )
    start_year = YearField(label=_("Year it started"))
    end_year = YearField(label=_("Year it ended"), help_text=_("Leave empty if it is running."))
    team_size_fte = forms.DecimalField(
        label=_("Team size (full-time equivalent)"),
        required=False,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0"),
        error_messages={"invalid": _("Enter the team size as a number, like 2.5")},
    )
    duration_weeks = forms.IntegerField(
        label=_("How long it took, in weeks"),
        required=False,
        min_value=0,
        error_messages={"invalid": _("Enter the number of weeks, like 12")},
    )
    evidence_level = CodeChoiceField("nesta-evidence", label=_("Evidence level"))
    evidence_assessed_by = CodeChoiceField(
        "evidence-assessed-by", label=_("Who assessed the evidence"), empty_label=_("Not said")
    )
    outcome = CodeChoiceField("outcome-label", label=_("Outcome"))
    evidence_url = forms.URLField(
        label=_("Link to the evidence"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("An evaluation report or published results."),
    )
    algorithmic_transparency_record_url = forms.URLField(
        label=_("Algorithmic Transparency Record"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("If the case uses an algorithm, link to its record on GOV.UK."),
    )
    licence = forms.CharField(
        label=_("Licence of this write-up"),
        required=False,
        max_length=64,
        initial=DEFAULT_LICENCE,
        help_text=_("An SPDX identifier, for example OGL-UK-3.0 or CC-BY-4.0."),
    )

    class Meta:
        model = Case
        # Every question, section by section (sections.py): the task list asks them all.
        fields = [name for section in SECTIONS for name in section.fields]
        labels = {
            "problem": _("The problem"),
            "what_was_done": _("What we tried"),
            "results": _("Results"),
            "what_did_not_work": _("What did not work"),
            "conditions_for_success": _("Conditions for success"),
            "what_to_adapt": _("What others should adapt"),
            "lessons": _("Lessons"),
            "evidence_assessor_name": _("Name of the assessor"),
            "evidence_url": _("Link to the evidence"),
            "algorithmic_transparency_record_url": _("Algorithmic Transparency Record"),
            "area_description": _("Area served, in words"),
            "team_mix": _("In-house and supplier mix"),
        }
        help_texts = {
            "problem": _("Who had the problem, and why it mattered."),
            "what_did_not_work": _("Others learn most from this: say it plainly."),
            "conditions_for_success": _(
                "What needed to be in place: data, systems, skills, legal powers, a sponsor."
            ),
            "evidence_assessor_name": _("For example, the evaluator or What Works Centre."),
            "evidence_url": _("An evaluation report or published results."),
            "algorithmic_transparency_record_url": _(
                "If the case uses an algorithm, link to its record on GOV.UK."
            ),
            "team_mix": _("For example, 2 in-house developers and an agency designer."),
        }
        widgets = {
            name: forms.Textarea
            for name in (
                "problem",
                "what_was_done",
                "results",
                "what_did_not_work",
                "conditions_for_success",
                "what_to_adapt",
                "lessons",
            )
        }

    def __init__(
        self,
        *args: Any,
        viewer: Viewer,
        full_check: bool = False,
        fields: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.full_check = full_check
        if fields is not None:
            # One section of the task list: the other fields are neither shown, checked nor saved
            # (a ModelForm saves only the fields it has).
            wanted = set(fields)
            for name in [name for name in self.fields if name not in wanted]:
                del self.fields[name]
        for name, field in self.fields.items():
            if name not in NEEDED_FOR_REVIEW and not field.required:
                field.label = _("%(label)s (optional)") % {"label": field.label}
        if self.instance.pk is None and not self.is_bound:
            self.initial["record_type"] = ""
        if self.instance.pk is not None and not self.is_bound:
            # Codes are chosen by their code, so start from codes rather than database ids.
            for name in CODE_FIELDS:
                chosen = getattr(self.instance, name)
                self.initial[name] = chosen.code if chosen else None
        if "area_codes" in self.fields:
            # Shown as typed text, not as the JSON list the model keeps.
            self.initial["area_codes"] = ", ".join(self.instance.area_codes or [])
        if "lead_organisation" in self.fields:
            self._offer_leads(viewer)

    def _offer_leads(self, viewer: Viewer) -> None:
        acting_for = organisations_viewer_may_act_for(viewer)
        current_lead = self.instance.lead_organisation_id
        # Someone editing a case they may edit but not lead (a moderator) keeps its lead.
        leads = Organisation.objects.filter(
            Q(pk__in=acting_for.values("pk")) | Q(pk=current_lead)
        ).order_by("name")
        lead_field = self.fields["lead_organisation"]
        lead_field.queryset = leads  # type: ignore[attr-defined]
        if current_lead is None and not self.is_bound:
            only = list(leads[:2])
            if len(only) == 1:
                self.initial["lead_organisation"] = only[0].pk
        if len(self.lead_choices()) == 1:
            lead_field.empty_label = None  # type: ignore[attr-defined]

    def lead_choices(self) -> list[Organisation]:
        field = self.fields["lead_organisation"]
        if not hasattr(self, "_lead_choices"):
            self._lead_choices = list(field.queryset[:2])  # type: ignore[attr-defined]
        return self._lead_choices

    # Checks that apply to drafts too: what was typed must be storable.

    def clean_licence(self) -> str:
        return str(self.cleaned_data.get("licence") or "").strip() or DEFAULT_LICENCE

    def clean_area_codes(self) -> list[str]:
        text = self.cleaned_data.get("area_codes") or ""
        found = [part.strip().upper() for part in re.split(r"[,\s]+", text) if part.strip()]
        wrong = [value for value in found if not _GSS_CODE.match(value)]
        if wrong:
            raise forms.ValidationError(
                _("%(codes)s is not a GSS code: they look like E09000007")
                % {"codes": ", ".join(wrong)}
            )
        unique = list(dict.fromkeys(found))
        if len(unique) > MAX_AREA_CODES:
            raise forms.ValidationError(
                _("Enter %(max)s GSS codes or fewer") % {"max": MAX_AREA_CODES}
            )
        return unique

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error(
                "end_year", _("The year it ended must be the same as or after the start")
            )
        if self.full_check:
            self._check_the_core(data)
        return data

    def _check_the_core(self, data: dict[str, Any]) -> None:
        """The whole core, or the part of it this form (a section) asks for."""
        if "summary" in self.fields:
            summary = (data.get("summary") or "").strip()
            if not summary:
                self.add_error("summary", _("Enter a summary"))
            elif word_count(summary) > SUMMARY_MAX_WORDS:
                self.add_error(
                    "summary",
                    _("Summary must be %(max)s words or fewer") % {"max": SUMMARY_MAX_WORDS},
                )
        required = {
            "lead_organisation": _("Select the lead organisation"),
            "phase": _("Select the phase"),
            "operational_status": _("Select the operational status"),
        }
        for name, message in required.items():
            if name in self.fields and not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if "services" in self.fields and not (
            data.get("services") or data.get("functions") or data.get("sector")
        ):
            self.add_error(
                "services",
                _("Select at least one service or service area, or a sector for other cases"),
            )
        if (
            "evidence_assessed_by" in self.fields
            and data.get("evidence_level")
            and not data.get("evidence_assessed_by")
        ):
            self.add_error("evidence_assessed_by", _("Select who assessed the evidence"))

    # What the template needs to draw the code fields.

    def options(self, name: str) -> list[Option]:
        field = self.fields[name]
        if isinstance(field, CodeChoiceField | CodesField):
            assert field.queryset is not None
            return [
                Option(value=code.code, label=code.label, hint=code.description)
                for code in field.queryset
            ]
        return [Option(value=str(value), label=str(label)) for value, label in field.choices]  # type: ignore[attr-defined]

    @property
    def phase_options(self) -> list[Option]:
        return self.options("phase")

    @property
    def operational_status_options(self) -> list[Option]:
        return self.options("operational_status")

    @property
    def outcome_options(self) -> list[Option]:
        return self.options("outcome")

    @property
    def evidence_level_options(self) -> list[Option]:
        return self.options("evidence_level")

    @property
    def technology_options(self) -> list[Option]:
        return self.options("technologies")

    @property
    def record_type_options(self) -> list[Option]:
        return self.options("record_type")

    @property
    def novelty_options(self) -> list[Option]:
        return self.options("novelty")

    def chosen(self, name: str) -> list[str]:
        """The codes currently chosen in a multiple-choice field, as strings."""
        value = self[name].value()
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return [str(getattr(item, "code", item)) for item in value]

    @property
    def chosen_services(self) -> list[Code]:
        chosen = self.chosen("services")
        return list(codes("lgsl-services").filter(code__in=chosen).order_by("label"))

    def service_matches(self, query: str) -> list[Code]:
        """Services whose name or code matches what was typed, leaving out those chosen."""
        return services_matching(query=query, leaving_out=self.chosen("services"))

    @property
    def function_groups(self) -> list[FunctionGroup]:
        """Service areas under their top-level function, in the list's order."""
        all_functions = list(codes("lgsl-functions"))
        chosen = set(self.chosen("functions"))
        tops = {code.pk: code for code in all_functions if code.parent_id is None}
        children: dict[int, list[Code]] = {pk: [] for pk in tops}
        for code in all_functions:
            if code.parent_id in children:
                children[code.parent_id].append(code)
        return [
            FunctionGroup(
                function=top,
                children=children[pk],
                has_chosen=bool(chosen & {top.code, *(c.code for c in children[pk])}),
            )
            for pk, top in tops.items()
        ]

    @property
    def chosen_functions(self) -> list[str]:
        return self.chosen("functions")

    @property
    def chosen_technologies(self) -> list[str]:
        return self.chosen("technologies")


class OptionalLabelsMixin(forms.BaseForm):
    """A row's questions that a filled row may leave empty say "(optional)"; a checkbox on its
    own is never required, so it says nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.required and not isinstance(field, forms.BooleanField):
                field.label = _("%(label)s (optional)") % {"label": field.label}


class PartnerForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    name = forms.CharField(label=_("Organisation"), max_length=255)

    class Meta:
        model = CasePartner
        fields = ["name", "role"]
        labels = {"role": _("Role")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["name"] = self.instance.name

    def save(self, commit: bool = True) -> CasePartner:
        partner = super().save(commit=False)
        name = self.cleaned_data["name"].strip()
        # Only an exact name links to the registry: a guess that picked the wrong council would be
        # worse than the name kept as text.
        partner.organisation = Organisation.objects.filter(name__iexact=name).first()
        partner.organisation_name = "" if partner.organisation else name
        if commit:
            partner.save()
        return partner


class CostItemForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    amount = PoundsField(label=_("Amount in pounds"))
    price_year = YearField(label=_("Price year"), help_text=_("The year the prices are from."))
    nature = forms.ChoiceField(
        label=_("Capital or revenue"),
        choices=[("", _("Not said")), *CostItem.Nature.choices],
        required=False,
    )

    class Meta:
        model = CostItem
        fields = ["description", "amount", "recurrence", "nature", "in_kind", "price_year"]
        labels = {
            "description": _("What the cost was for"),
            "recurrence": _("One-off or recurring"),
            "in_kind": _("Given in kind, not in cash"),
        }


class BenefitItemForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    amount = PoundsField(label=_("Amount in pounds"))
    price_year = YearField(label=_("Price year"))
    cashable = yes_no_unsaid(_("Cashable"))

    class Meta:
        model = BenefitItem
        fields = ["description", "kind", "amount", "recurrence", "cashable", "price_year", "method"]
        labels = {
            "description": _("What the benefit is"),
            "kind": _("Kind of benefit"),
            "recurrence": _("One-off or recurring"),
            "method": _("How it was worked out"),
        }


class AssetForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")

    class Meta:
        model = Asset
        fields = ["title", "kind", "url", "licence"]
        labels = {
            "title": _("Name of the asset"),
            "kind": _("Kind of asset"),
            "url": _("Link"),
            "licence": _("Licence"),
        }
        help_texts = {"licence": _("An SPDX identifier, for example MIT or OGL-UK-3.0.")}


class ProductForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    is_open_source = yes_no_unsaid(_("Open source"))

    class Meta:
        model = Product
        fields = ["name", "supplier_name", "is_open_source"]
        labels = {"name": _("Product or platform"), "supplier_name": _("Supplier")}

    def save(self, commit: bool = True) -> Product:
        product = super().save(commit=False)
        name = product.supplier_name.strip()
        product.supplier = Organisation.objects.filter(name__iexact=name).first() if name else None
        if commit:
            product.save()
        return product


class ContactForm(OptionalLabelsMixin, TextLimitsMixin, forms.ModelForm):
    offers = forms.MultipleChoiceField(
        label=_("What they offer"),
        choices=ContactOffer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "offers", "is_public"]
        labels = {
            "name": _("Name"),
            "job_title": _("Role or job title"),
            "email": _("Email address"),
            "is_public": _("Show this contact to everyone, not only to signed-in people"),
        }

    @property
    def offer_options(self) -> list[Option]:
        return [Option(value=str(value), label=str(label)) for value, label in ContactOffer.choices]

    @property
    def chosen_offers(self) -> list[str]:
        value = self["offers"].value() or []
        return [str(item) for item in value]


@dataclass(frozen=True)
class Part:
    prefix: str
    model: type[Any]
    form: type[forms.ModelForm]
    heading: Any
    noun: Any
    hint: Any = ""


PARTS: tuple[Part, ...] = (
    Part("costs", CostItem, CostItemForm, _("Costs"), _("cost"), _("Itemise what it cost.")),
    Part(
        "benefits",
        BenefitItem,
        BenefitItemForm,
        _("Benefits and savings"),
        _("benefit"),
        _("Itemise savings and other benefits, cashable or not."),
    ),
    Part(
        "partners",
        CasePartner,
        PartnerForm,
        _("Partner organisations"),
        _("partner"),
        _("Other organisations that took part, funded, supplied or evaluated the work."),
    ),
    Part(
        "products",
        Product,
        ProductForm,
        _("Products and suppliers"),
        _("product"),
        _("Products or platforms used, so others on the same one can find you."),
    ),
    Part(
        "assets",
        Asset,
        AssetForm,
        _("Reusable assets"),
        _("asset"),
        _("Code, designs, research or procurement documents others can reuse."),
    ),
    Part(
        "contacts",
        Contact,
        ContactForm,
        _("Contacts"),
        _("contact"),
        _("People others can talk to, and what they offer."),
    ),
)
PART_PREFIXES = frozenset(part.prefix for part in PARTS)
MAX_ROWS = 30


class PartFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")


def part_formsets(
    *, data: Any | None, case: Case, add_row_to: str = "", parts: Iterable[str] | None = None
) -> list[tuple[Part, BaseInlineFormSet]]:
    """One formset per itemised part (or per part named in `parts`, for a section); `add_row_to`
    (a prefix) gets one blank row more."""
    formsets = []
    wanted = None if parts is None else set(parts)
    for part in PARTS:
        if wanted is not None and part.prefix not in wanted:
            continue
        formset_class = inlineformset_factory(
            Case,
            part.model,
            form=part.form,
            formset=PartFormSet,
            extra=1,
            can_delete=True,
            max_num=MAX_ROWS,
            validate_max=True,
        )
        bound = data
        if data is not None and part.prefix == add_row_to:
            bound = data.copy()
            key = f"{part.prefix}-TOTAL_FORMS"
            bound[key] = str(min(MAX_ROWS, int(bound.get(key) or 0) + 1))
        formsets.append((part, formset_class(data=bound, instance=case, prefix=part.prefix)))
    return formsets


def quieten(forms_: Iterable[forms.BaseForm | BaseInlineFormSet]) -> None:
    """Check the forms but show no errors: for "Add another", "Find services" and "Check for
    similar cases", which re-show the page with everything typed, and save nothing."""
    for form in forms_:
        if isinstance(form, BaseInlineFormSet):
            form.errors  # noqa: B018 - runs the checks once, so clearing them below sticks
            form._non_form_errors = ErrorList()  # type: ignore[attr-defined]
            form._errors = [ErrorDict() for _form in form.forms]  # type: ignore[attr-defined]
            for each in form.forms:
                each._errors = ErrorDict()  # type: ignore[attr-defined]
        else:
            form.errors  # noqa: B018
            form._errors = ErrorDict()  # type: ignore[attr-defined]


def error_list(
    form: CaseForm, formsets: Sequence[tuple[Part, BaseInlineFormSet]]
) -> list[tuple[str, str]]:
    """Every error as (message, id of the field to go to), in page order, for the summary."""
    errors: list[tuple[str, str]] = []
    first_field = next(iter(form), None)
    first = first_field.auto_id if first_field is not None else "main-content"
    for message in form.non_field_errors():
        errors.append((str(message), str(first)))
    for field in form:
        for message in field.errors:
            errors.append((str(message), str(field.auto_id)))
    for _part, formset in formsets:
        for message in formset.non_form_errors():
            errors.append((str(message), f"{formset.prefix}-rows"))
        for each in formset.forms:
            for field in each:
                for message in field.errors:
                    errors.append((str(message), str(field.auto_id)))
    return errors


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("New owner"),
        empty_label=_("Select a colleague"),
        help_text=_("Colleagues who are members of the lead organisation."),
        error_messages={"required": _("Select who the case should pass to")},
    )

    def __init__(self, *args: Any, colleagues: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        field.queryset = colleagues  # type: ignore[attr-defined]
        field.label_from_instance = _colleague_label  # type: ignore[attr-defined]


def _colleague_label(user: Any) -> str:
    profile = getattr(user, "profile", None)
    name = getattr(profile, "display_name", "") if profile is not None else ""
    return f"{name} ({user.email})" if name else str(user.email)


class MoveForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, reason_required: bool, reason_label: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.label = reason_label
        field.error_messages["required"] = _("Enter a reason")
