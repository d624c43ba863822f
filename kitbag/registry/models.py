"""The registry: every public body as one record with its identifiers, names, history and links.

A reorganised body is a new record linked by succession, never an edit of the old one, so that
anything that refers to an abolished council keeps pointing at what really existed.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local-authority", _("Local authority")
    POLICE_FORCE = "police-force", _("Police force")
    NHS_TRUST = "nhs-trust", _("NHS trust")
    CENTRAL_GOVERNMENT = "central-government", _("Central government organisation")
    OTHER = "other", _("Other organisation")


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    WALES = "Wales", _("Wales")
    SCOTLAND = "Scotland", _("Scotland")
    NORTHERN_IRELAND = "Northern Ireland", _("Northern Ireland")


class IdentifierScheme(models.TextChoices):
    LOCAL_AUTHORITY_CODE = "local-authority-code", _("mySociety local authority code")
    GSS = "gss", _("ONS GSS code")
    ODS = "ods", _("NHS ODS code")
    POLICE_FORCE = "police-force", _("Police force id (data.police.uk)")
    GOVUK_SLUG = "govuk-slug", _("GOV.UK organisation slug")
    GOVERNMENT_ORGANISATION = "government-organisation", _("Government organisation register id")
    COMPANIES_HOUSE = "companies-house", _("Companies House number")


# The identifier scheme whose value is a body's primary code, by kind of body.
PRIMARY_SCHEME = {
    OrganisationKind.LOCAL_AUTHORITY: IdentifierScheme.LOCAL_AUTHORITY_CODE,
    OrganisationKind.POLICE_FORCE: IdentifierScheme.POLICE_FORCE,
    OrganisationKind.NHS_TRUST: IdentifierScheme.ODS,
    OrganisationKind.CENTRAL_GOVERNMENT: IdentifierScheme.GOVUK_SLUG,
    OrganisationKind.OTHER: IdentifierScheme.COMPANIES_HOUSE,
}


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> OrganisationQuerySet:
        today = dt.date.today()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=today))

    def former(self) -> OrganisationQuerySet:
        return self.filter(end_date__lte=dt.date.today())

    def of_kind(self, kind: str) -> OrganisationQuerySet:
        return self.filter(kind=kind)

    def councils(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.LOCAL_AUTHORITY)


class Organisation(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("official name"), max_length=255)
    short_name = models.CharField(
        _("short name"),
        max_length=255,
        blank=True,
        help_text=_("The everyday name, e.g. 'Camden'."),
    )
    # The primary identifier's value (see PRIMARY_SCHEME), kept here so lists need no join.
    # As long as Identifier.value: some GOV.UK slugs run to nearly 100 characters.
    code = models.CharField(max_length=128, blank=True, db_index=True)
    classification_code = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("e.g. NMD, LBO, or a GOV.UK organisation type."),
    )
    classification_name = models.CharField(max_length=128, blank=True)
    nation = models.CharField(max_length=32, choices=Nation.choices, blank=True, db_index=True)
    region = models.CharField(max_length=64, blank=True, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    website = models.URLField(max_length=500, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    democracy_cms = models.CharField(_("democracy system"), max_length=64, blank=True)
    democracy_url = models.URLField(_("democracy site"), max_length=500, blank=True)
    # Lower-cased official name, short name and aliases joined, for a one-query name search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    parents = models.ManyToManyField(
        "self", through="ParentLink", symmetrical=False, related_name="children", blank=True
    )
    successors = models.ManyToManyField(
        "self", through="Succession", symmetrical=False, related_name="predecessors", blank=True
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "nation", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date > dt.date.today()


class Identifier(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(max_length=32, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=128)
    # False for codes a body used to have (former GSS codes) but no longer uses.
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["scheme", "-is_current", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class OrganisationName(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=255)
    language = models.CharField(max_length=8, default="en")
    source = models.CharField(max_length=64, help_text=_("Which import or person gave this name."))
    is_official = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_official", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="organisation_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ParentRelation(models.TextChoices):
    COUNTY = "county", _("County council")
    COMBINED_AUTHORITY = "combined-authority", _("Combined authority")
    PARENT_ORGANISATION = "parent-organisation", _("Parent organisation")


class ParentLink(models.Model):
    child = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="child_links")
    relation = models.CharField(max_length=32, choices=ParentRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "parent", "relation"], name="parent_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.parent} ({self.relation})"


class Succession(models.Model):
    predecessor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="predecessor_links"
    )
    date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
