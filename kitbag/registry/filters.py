"""The organisation list's filters, shared by the page, its downloads and the API.

One FilterSet means the page and `/api/v1/organisations` accept the same parameters and return the
same organisations: they cannot drift. The page shows invalid values as errors and ignores them; the
API answers 400.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kitbag.registry import queries
from kitbag.registry.models import Nation, Organisation, OrganisationKind, OrganisationQuerySet

CURRENT_CHOICES = [("true", _("Current")), ("false", _("Former (abolished or closed)"))]


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or code"),
        method="filter_name",
        # Not stripped, so that the length limit the API schema states is the one applied.
        strip=False,
        max_length=200,
        error_messages={"max_length": _("Enter a name or code of 200 characters or fewer.")},
        help_text=_(
            "Words that must all appear in a name or alias, or an exact code (GSS, ODS, "
            "3-letter code). A confident match by the name resolver comes first."
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of body"),
        choices=OrganisationKind.choices,
        empty_label=_("All kinds"),
        error_messages={
            "invalid_choice": _("Choose a kind of body from the list: “%(value)s” is not one.")
        },
        help_text=_("Kind of body."),
    )
    nation = django_filters.ChoiceFilter(
        label=_("Nation"),
        choices=Nation.choices,
        empty_label=_("All nations"),
        error_messages={
            "invalid_choice": _("Choose a nation from the list: “%(value)s” is not one.")
        },
        help_text=_("UK nation."),
    )
    region = django_filters.CharFilter(
        label=_("Region"),
        field_name="region",
        strip=False,
        max_length=64,
        error_messages={"max_length": _("Enter a region of 64 characters or fewer.")},
        help_text=_("Region, exactly as shown on the organisation, e.g. 'London'."),
    )
    type = django_filters.CharFilter(
        label=_("Type"),
        field_name="classification_code",
        strip=False,
        max_length=64,
        error_messages={"max_length": _("Enter a type code of 64 characters or fewer.")},
        help_text=_(
            "Type code, e.g. NMD (non-metropolitan district), LBO (London borough), UA "
            "(unitary authority), or a GOV.UK organisation type."
        ),
    )
    current = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CURRENT_CHOICES,
        method="filter_current",
        empty_label=_("Current and former"),
        error_messages={
            "invalid_choice": _("Choose current, former or both: “%(value)s” is none of them.")
        },
        help_text=_("true: only bodies that exist today; false: only abolished or closed ones."),
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_name(
        self, queryset: OrganisationQuerySet, name: str, value: str
    ) -> OrganisationQuerySet:
        # The resolver is narrowed by kind too, so "Bristol" with kind=nhs-trust finds the trust.
        kind = self.form.cleaned_data.get("kind") or None
        return queries.matching_name(queryset, value, kind=kind)

    def filter_current(
        self, queryset: OrganisationQuerySet, name: str, value: str
    ) -> OrganisationQuerySet:
        if value == "true":
            return queryset.current()
        if value == "false":
            return queryset.former()
        return queryset
