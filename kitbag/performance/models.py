"""Indicators and their observations, imported from published sources with provenance on each.

This first slice holds published comparative data (Oflog, LGBF). Partnerships, outcomes,
visibility and sign-off come later and will add to these models, not replace them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kitbag.core.models import ImportRun
from kitbag.performance.statistics import Polarity as StatPolarity
from kitbag.registry.models import Organisation


class Source(models.TextChoices):
    OFLOG = "oflog", _("Oflog adult social care metrics")
    LGBF = "lgbf", _("Local Government Benchmarking Framework (Scotland)")


class Polarity(models.TextChoices):
    HIGHER_BETTER = StatPolarity.HIGHER_BETTER.value, _("Higher is better")
    LOWER_BETTER = StatPolarity.LOWER_BETTER.value, _("Lower is better")
    MIDPOINT = StatPolarity.MIDPOINT.value, _("Closest to a midpoint is best")
    CONTEXTUAL = StatPolarity.CONTEXTUAL.value, _("Contextual (neither better nor worse)")


class FamilyType(models.TextChoices):
    """The LGBF's two family-group partitions; which one an indicator uses is taken from the data."""

    NONE = "", _("None")
    RURALITY = "rurality", _("Rurality (environmental, culture, economic, corporate)")
    DEPRIVATION = "deprivation", _("Deprivation (children, social work, housing)")


class Indicator(models.Model):
    source = models.CharField(max_length=16, choices=Source.choices, db_index=True)
    code = models.CharField(max_length=32, help_text=_("The source's code, e.g. ASC1 or C&L01."))
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    definition = models.TextField(blank=True)
    category = models.CharField(max_length=128, blank=True)
    unit = models.CharField(max_length=64, blank=True)
    is_percentage = models.BooleanField(
        default=False, help_text=_("Changes are in points, not as a share of the previous value.")
    )
    show_as_percent = models.BooleanField(
        default=False, help_text=_("Stored as a fraction (0.42), shown as a percentage (42%).")
    )
    polarity = models.CharField(max_length=16, choices=Polarity.choices)
    midpoint = models.FloatField(null=True, blank=True)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    numerator_label = models.CharField(max_length=255, blank=True)
    denominator_label = models.CharField(max_length=255, blank=True)
    numerator_multiplier = models.FloatField(default=1.0)
    denominator_multiplier = models.FloatField(default=1.0)
    family_type = models.CharField(
        max_length=16, choices=FamilyType.choices, blank=True, default=FamilyType.NONE
    )
    licence = models.CharField(max_length=255, blank=True)
    source_note = models.TextField(blank=True, help_text=_("The source's own methodology text."))

    class Meta:
        ordering = ["source", "code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="indicator_unique_source_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Status(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")
    REVISED = "revised", _("Revised")
    SUSPECT = "suspect", _("Suspect")


class Observation(models.Model):
    """One value of one indicator for one body (or for the nation) in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="performance_observations"
    )
    gss = models.CharField(max_length=16, blank=True, db_index=True)
    period = models.CharField(
        max_length=32, help_text=_("An ISO 8601 interval, e.g. 2016-04-01/P1Y.")
    )
    period_label = models.CharField(max_length=16, help_text=_("The source's label, e.g. 2016-17."))
    period_start = models.DateField()
    value = models.FloatField(null=True, blank=True, help_text=_("Blank when the source has none."))
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FINAL)
    status_reason = models.CharField(max_length=255, blank=True)
    # What the source published beside the value, kept to compare Kitbag's own figures with.
    published_median = models.FloatField(null=True, blank=True)
    published_mads = models.FloatField(null=True, blank=True)
    published_group_average = models.FloatField(null=True, blank=True)
    # The LGBF repeats its Scotland figure on every council's row; kept per row because the
    # source is not always consistent within a code-year.
    published_national = models.FloatField(null=True, blank=True)
    published_national_numerator = models.FloatField(null=True, blank=True)
    published_national_denominator = models.FloatField(null=True, blank=True)
    family_group = models.CharField(max_length=32, blank=True)
    council_type = models.CharField(max_length=64, blank=True)
    # Provenance: the run that wrote the value, and where it is in the source.
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()

    class Meta:
        ordering = ["indicator", "period_start", "gss"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "gss", "period_label"], name="observation_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start"]),
            models.Index(fields=["organisation", "indicator"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.gss} {self.period_label}: {self.value}"
